"""The mediator's records: consent, withdrawal, meetings, the agreement (checked), payments."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from qorgau.mediation import selectors, services
from qorgau.mediation.models import ApologyForm, Mediation, Side, Status
from qorgau.mediation.rulebook import mediation_book
from qorgau.mediation.services import tenge
from qorgau.proceedings.models import ParticipantRole
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.mediation import (
    AgreementForm,
    ConsentForm,
    FailForm,
    PaymentForm,
    SessionForm,
    UndertakingsForm,
    WithdrawForm,
    agreement_from_session,
    agreement_to_session,
)
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import with_roles
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.mediation import common

SESSION_KEY = "mediation_agreement_%s"


def _load(request: AuthedRequest, pk: int) -> Mediation:
    user = with_roles(request.user)
    mediation = Mediation.objects.visible_to(user).filter(pk=pk).first()
    if mediation is None:
        raise Http404
    return selectors.with_details(mediation)


def _page(
    request: AuthedRequest,
    mediation: Mediation,
    form: forms.Form,
    title: str,
    button: str,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "case": mediation.proceeding,
        "accused": mediation.accused,
        "mediation": mediation,
        "title": title,
        "button": button,
        "back_url": reverse("mediation_detail", args=[mediation.pk]),
        "has_errors": bool(form.errors),
        **extra,
    }
    return render(request, extra.pop("template", "web/mediation/form.html"), context)


def _record(
    request: AuthedRequest,
    mediation: Mediation,
    form: forms.Form,
    call: Callable[[], Any],
    done: str,
    aliases: dict[str, str] | None = None,
) -> HttpResponse | None:
    """Call the service on a valid form; the mediation page on success, None to show errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        call()
    except ValidationError as error:
        add_service_errors(form, error, aliases or {"at": "on"})
        return None
    messages.success(request, done)
    return redirect("mediation_detail", pk=mediation.pk)


def _require_recorder(request: AuthedRequest, mediation: Mediation) -> None:
    if not services.may_record(request.user, mediation):
        raise PermissionDenied


@login_required
def consent(request: AuthedRequest, pk: int, side: str) -> HttpResponse:
    if side not in Side.values:
        raise Http404
    mediation = _load(request, pk)
    _require_recorder(request, mediation)
    representatives = mediation.proceeding.participants.filter(
        role=ParticipantRole.LEGAL_REPRESENTATIVE
    ).order_by("id")
    form = ConsentForm(
        request.POST if request.method == "POST" else None,
        side=side,
        representatives=representatives.filter(accused__in=[mediation.accused_id])
        | representatives.filter(accused=None),
    )

    def call() -> Any:
        data = form.cleaned_data
        return services.record_consent(
            actor=request.user,
            mediation=mediation,
            side=side,
            given=data["given"],
            at=data["at"],
            representative=data.get("representative"),
            victim_representative=data.get("victim_representative") or "",
            reason=data.get("reason") or "",
        )

    done = _record(request, mediation, form, call, _("Answer on consent recorded"))
    if done:
        return done
    title = (
        _("The minor's side: consent to mediation")
        if side == Side.ACCUSED
        else _("The victim's side: consent to mediation")
    )
    principle = mediation_book().principle("voluntary")
    return _page(request, mediation, form, title, _("Save answer"), principle=principle)


@login_required
def withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    mediation = _load(request, pk)
    sides = common.withdrawal_sides(request.user, mediation)
    if not sides:
        raise PermissionDenied
    form = WithdrawForm(request.POST if request.method == "POST" else None, sides=sides)

    def call() -> Any:
        data = form.cleaned_data
        return services.withdraw_consent(
            actor=request.user, mediation=mediation, side=data["side"], at=data["at"],
            reason=data.get("reason") or "",
        )  # fmt: skip

    done = _record(request, mediation, form, call, _("Withdrawal of consent recorded"))
    if done:
        return done
    principle = mediation_book().principle("voluntary")
    return _page(
        request, mediation, form, _("Record a withdrawal of consent"), _("Save withdrawal"),
        principle=principle,
    )  # fmt: skip


@login_required
@once_per_form
def session(request: AuthedRequest, pk: int) -> HttpResponse:
    mediation = _load(request, pk)
    _require_recorder(request, mediation)
    form = SessionForm(request.POST if request.method == "POST" else None)

    def call() -> Any:
        data = form.cleaned_data
        return services.record_session(
            actor=request.user, mediation=mediation, kind=data["kind"], held_at=data["at"],
            duration_minutes=data["duration_minutes"], present=data["present"],
            notes=data.get("notes") or "",
        )  # fmt: skip

    done = _record(request, mediation, form, call, _("Meeting recorded"), {"held_at": "on"})
    return done or _page(request, mediation, form, _("Record a meeting"), _("Save meeting"))


@login_required
def agreement(request: AuthedRequest, pk: int) -> HttpResponse:
    """The agreement's answers; valid ones go to the check page, nothing is signed here."""
    mediation = _load(request, pk)
    _require_recorder(request, mediation)
    stored = request.session.get(SESSION_KEY % pk)
    initial: dict[str, Any] = {}
    if request.method != "POST" and stored:
        # "Change" from the check page: the answers come back as they were given.
        kwargs = agreement_from_session(stored)
        initial = {k: kwargs[k] for k in ("signed_on", "compensation", "undertakings", "deadline")}
        initial["apology"] = kwargs["apology"] or "none"
        for i, (due, amount) in enumerate(kwargs["instalments"], start=1):
            initial[f"due_{i}"], initial[f"amount_{i}"] = due, amount
    form = AgreementForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        try:
            # Checked now so the person fixes the schedule on this page, not after the check.
            services.check_schedule(
                compensation=kwargs["compensation"], instalments=sorted(kwargs["instalments"]),
                signed_on=kwargs["signed_on"], deadline=kwargs["deadline"],
            )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error, {"instalments": "amount_1"})
        else:
            request.session[SESSION_KEY % pk] = agreement_to_session(kwargs)
            return redirect("mediation_agreement_check", pk=pk)
    return _page(
        request, mediation, form, _("Record the agreement"), _("Continue"),
        template="web/mediation/agreement_form.html",
    )  # fmt: skip


@login_required
@once_per_form
def agreement_check(request: AuthedRequest, pk: int) -> HttpResponse:
    """Check answers before signing: the agreement has legal effect (it can end the case)."""
    mediation = _load(request, pk)
    _require_recorder(request, mediation)
    stored = request.session.get(SESSION_KEY % pk)
    if not stored:
        return redirect("mediation_agreement", pk=pk)
    kwargs = agreement_from_session(stored)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.sign_agreement(actor=request.user, mediation=mediation, **kwargs)
        except ValidationError as error:
            errors = [str(m) for m in error.messages]
        else:
            del request.session[SESSION_KEY % pk]
            messages.success(request, _("Agreement recorded"))
            return redirect("mediation_detail", pk=pk)
    change = reverse("mediation_agreement", args=[pk])
    apology = ApologyForm(kwargs["apology"]).label if kwargs["apology"] else _("no apology")
    rows = [
        {"key": _("Date signed"), "value": kwargs["signed_on"], "change_url": change},
        {"key": _("Apology"), "value": apology, "change_url": change},
        {"key": _("Compensation of harm"), "value": _("%(amount)s tenge") % {
            "amount": tenge(kwargs["compensation"])}, "change_url": change},
        {"key": _("Other undertakings"), "value": kwargs["undertakings"], "change_url": change},
        {"key": _("Deadline for fulfilment"), "value": kwargs["deadline"], "change_url": change},
    ]  # fmt: skip
    instalments = [{"due_on": d, "amount": tenge(a)} for d, a in kwargs["instalments"]]
    return render(
        request,
        "web/mediation/agreement_check.html",
        {
            "mediation": mediation,
            "case": mediation.proceeding,
            "accused": mediation.accused,
            "rows": rows,
            "instalments": instalments,
            "errors": errors,
            "has_errors": bool(errors),
            "back_url": change,
            "no_worse": mediation_book().principle("no_worse_outcome"),
        },
    )


@login_required
@once_per_form
def payment(request: AuthedRequest, pk: int) -> HttpResponse:
    mediation = _load(request, pk)
    _require_recorder(request, mediation)
    if mediation.status != Status.AGREEMENT:
        raise PermissionDenied
    form = PaymentForm(request.POST if request.method == "POST" else None)

    def call() -> Any:
        data = form.cleaned_data
        return services.record_payment(
            actor=request.user, mediation=mediation, paid_on=data["paid_on"],
            amount=data["amount"], method=data["method"],
        )  # fmt: skip

    done = _record(request, mediation, form, call, _("Payment recorded"))
    if done:
        return done
    outstanding = common.money(mediation.agreement)["outstanding"]
    lead = _("Outstanding: %(amount)s tenge.") % {"amount": outstanding}
    return _page(request, mediation, form, _("Record a payment"), _("Save payment"), lead=lead)


@login_required
def undertakings(request: AuthedRequest, pk: int) -> HttpResponse:
    mediation = _load(request, pk)
    _require_recorder(request, mediation)
    form = UndertakingsForm(request.POST if request.method == "POST" else None)

    def call() -> Any:
        return services.confirm_undertakings(
            actor=request.user, mediation=mediation, done_on=form.cleaned_data["done_on"]
        )

    done = _record(request, mediation, form, call, _("Undertakings recorded as done"))
    if done:
        return done
    agreement = common.agreement_of(mediation)
    lead = agreement.undertakings if agreement else ""
    return _page(
        request, mediation, form, _("Record that the undertakings were done"), _("Save"), lead=lead
    )


@login_required
def fail(request: AuthedRequest, pk: int) -> HttpResponse:
    mediation = _load(request, pk)
    _require_recorder(request, mediation)
    form = FailForm(request.POST if request.method == "POST" else None)

    def call() -> Any:
        data = form.cleaned_data
        return services.record_failure(
            actor=request.user, mediation=mediation, at=data["at"], reason=data["reason"]
        )

    done = _record(request, mediation, form, call, _("Outcome recorded"))
    if done:
        return done
    principle = mediation_book().principle("no_worse_outcome")
    return _page(
        request, mediation, form, _("Record that the mediation ended without reconciliation"),
        _("Save outcome"), principle=principle,
    )  # fmt: skip
