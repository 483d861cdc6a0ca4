"""The inspector's records on a supervision: register, plan, check-in, breach, hours, end."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qorgau.accounts.models import Role, User
from qorgau.probation import services
from qorgau.probation.models import Basis, Status, Supervision
from qorgau.probation.rulebook import probation_book
from qorgau.proceedings.models import Proceeding
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.probation import (
    BreachForm,
    CheckInForm,
    EndForm,
    HoursForm,
    PlanForm,
    RegisterForm,
)
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import with_roles
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.probation import common

FORM = "web/plans/form.html"


def _load(request: AuthedRequest, pk: int) -> Supervision:
    user = with_roles(request.user)
    supervision = (
        Supervision.objects.visible_to(user)
        .select_related("juvenile", "proceeding")
        .filter(pk=pk)
        .first()
    )
    if supervision is None:
        raise Http404
    if not services.may_record(user, supervision):
        raise PermissionDenied
    return supervision


def _page(
    request: AuthedRequest,
    supervision: Supervision,
    form: forms.Form,
    title: str,
    button: str,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "caption": f"{supervision.juvenile.full_name} · {supervision.proceeding.number}",
        "title": title,
        "button": button,
        "back_url": common.supervision_url(supervision),
        "has_errors": bool(form.errors),
        **extra,
    }
    return render(request, FORM, context)


def _record(
    request: AuthedRequest,
    supervision: Supervision,
    form: forms.Form,
    call: Callable[[], Any],
    done: str,
) -> HttpResponse | None:
    """Call the service on a valid form; the supervision page on success, None to show errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(request, done)
    return redirect("supervision_detail", pk=supervision.pk)


def _inspectors(supervision: Supervision) -> Any:
    return (
        User.objects.filter(is_active=True, agency_id=supervision.agency_id)
        .filter(groups__name=Role.PROBATION_INSPECTOR)
        .order_by("last_name", "first_name", "id")
    )


@login_required
@once_per_form
def register(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = _load(request, pk)
    if supervision.status != Status.AWAITING:
        raise PermissionDenied
    grounds = (
        probation_book().choices("deferral_grounds", supervision.starts_on)
        if supervision.basis == Basis.DEFERRED
        else []
    )
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        inspectors=_inspectors(supervision),
        grounds=grounds,
        initial={"inspector": request.user.pk},
    )

    def call() -> Any:
        data = form.cleaned_data
        return services.register(
            actor=request.user,
            supervision=supervision,
            registered_on=data["registered_on"],
            inspector=data["inspector"],
            deferral_ground=data.get("deferral_ground") or "",
        )

    done = _record(request, supervision, form, call, _("The minor is registered"))
    rule = probation_book().report_rule(supervision.starts_on)
    intro = _("The minor had to report by %(day)s: %(rule)s (%(citation)s)") % {
        "day": supervision.report_by.strftime("%d.%m.%Y"),
        "rule": rule.label,
        "citation": rule.citation,
    }
    return done or _page(
        request, supervision, form, _("Register the minor"), _("Register"), intro=intro
    )


@login_required
@once_per_form
def plan(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = _load(request, pk)
    initial = {
        "report_every_days": supervision.report_every_days,
        "first_check_in_on": supervision.next_check_in_on,
        "obligations": supervision.obligations,
        "work_hours": supervision.work_hours,
    }
    form = PlanForm(request.POST if request.method == "POST" else None, initial=initial)

    def call() -> Any:
        data = form.cleaned_data
        return services.set_plan(
            actor=request.user,
            supervision=supervision,
            report_every_days=data["report_every_days"],
            first_check_in_on=data["first_check_in_on"],
            obligations=data["obligations"],
            work_hours=data["work_hours"],
        )

    done = _record(request, supervision, form, call, _("The supervision plan is saved"))
    return done or _page(
        request, supervision, form, _("Set the supervision plan"), _("Save the plan")
    )


@login_required
@once_per_form
def check_in(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = _load(request, pk)
    form = CheckInForm(
        request.POST if request.method == "POST" else None,
        initial={"due_on": supervision.next_check_in_on},
    )

    def call() -> Any:
        data = form.cleaned_data
        return services.record_check_in(
            actor=request.user,
            supervision=supervision,
            due_on=data["due_on"],
            attendance=data["attendance"],
            reason=data["reason"],
            notes=data["notes"],
        )

    done = _record(request, supervision, form, call, _("Check-in recorded"))
    return done or _page(request, supervision, form, _("Record a check-in"), _("Save check-in"))


@login_required
@once_per_form
def breach(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = _load(request, pk)
    form = BreachForm(request.POST if request.method == "POST" else None)

    def call() -> Any:
        data = form.cleaned_data
        return services.record_breach(
            actor=request.user,
            supervision=supervision,
            occurred_on=data["occurred_on"],
            description=data["description"],
            response=data["response"],
        )

    done = _record(request, supervision, form, call, _("Breach recorded"))
    return done or _page(request, supervision, form, _("Record a breach"), _("Save breach"))


@login_required
@once_per_form
def hours(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = _load(request, pk)
    if not supervision.work_hours:
        raise PermissionDenied
    form = HoursForm(request.POST if request.method == "POST" else None)

    def call() -> Any:
        data = form.cleaned_data
        return services.record_hours(
            actor=request.user,
            supervision=supervision,
            worked_on=data["worked_on"],
            hours=data["hours"],
            place=data["place"],
        )

    done = _record(request, supervision, form, call, _("Hours recorded"))
    intro = _("%(left)s of %(total)s hours are left to work.") % {
        "left": supervision.hours_left,
        "total": supervision.work_hours,
    }
    return done or _page(
        request, supervision, form, _("Record hours worked"), _("Save hours"), intro=intro
    )


@login_required
@once_per_form
def end(request: AuthedRequest, pk: int) -> HttpResponse:
    supervision = _load(request, pk)
    cases = Proceeding.objects.filter(accused__juvenile_id=supervision.juvenile_id).exclude(
        pk=supervision.proceeding_id
    )
    form = EndForm(request.POST if request.method == "POST" else None, cases=cases)

    def call() -> Any:
        data = form.cleaned_data
        return services.end_supervision(
            actor=request.user,
            supervision=supervision,
            ended_on=data["ended_on"],
            reason=data["reason"],
            notes=data["notes"],
            new_proceeding=data["new_proceeding"],
        )

    done = _record(request, supervision, form, call, _("The supervision has ended"))
    return done or _page(
        request, supervision, form, _("End the supervision"), _("End the supervision")
    )
