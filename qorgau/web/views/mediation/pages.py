"""The mediation page and the referral: a question page for who asks, then the referral form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.accounts.models import Role, User
from qorgau.mediation import selectors, services
from qorgau.mediation.models import Mediation, Source
from qorgau.mediation.rulebook import condition_text, mediation_book
from qorgau.proceedings.models import Accused, ParticipantRole
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.mediation import ReferForm, SourceForm
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import case_minor, case_url, visible_case, with_roles
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.mediation import common


def mediation_url(mediation: Mediation) -> str:
    return reverse("mediation_detail", args=[mediation.pk])


@login_required
def mediation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    if not user.has_perm("mediation.view_mediation"):
        raise PermissionDenied
    try:
        mediation = services.view_mediation(actor=user, pk=pk)
    except Mediation.DoesNotExist:
        raise Http404 from None
    mediation = selectors.with_details(mediation)
    agreement = common.agreement_of(mediation)
    book = mediation_book()
    context: dict[str, Any] = {
        "mediation": mediation,
        "case": mediation.proceeding,
        "accused": mediation.accused,
        "tag": common.status_tag(mediation),
        "steps": common.steps(mediation),
        "sessions": list(mediation.sessions.all()),
        "read_notes": services.may_read_notes(user, mediation),
        "agreement": agreement,
        "actions": common.actions(user, mediation),
        "termination_url": common.termination_url(user, mediation),
        "case_url": case_url(mediation.proceeding, mediation.accused),
        "voluntary": book.principle("voluntary"),
        "no_worse": book.principle("no_worse_outcome"),
    }
    if agreement is not None:
        context["schedule"] = common.schedule_rows(agreement)
        context["money"] = common.money(agreement)
        context["payments"] = list(agreement.payments.all())
    return render(request, "web/mediation/detail.html", context)


def _referral_page(user: User, pk: int, accused_pk: int) -> tuple[Any, Accused, list[str]]:
    case = visible_case(user, pk)
    accused = case_minor(case, accused_pk)
    sources = services.allowed_sources(user, accused)
    if not sources or accused.stage not in services.REFERRAL_STAGES:
        raise PermissionDenied
    return case, accused, sources


@login_required
def refer_source(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case, accused, sources = _referral_page(user, pk, accused_pk)
    form = SourceForm(request.POST if request.method == "POST" else None, sources=sources)
    if request.method == "POST" and form.is_valid():
        url = reverse("mediation_refer", args=[case.pk, accused.pk])
        return redirect(f"{url}?source={form.cleaned_data['source']}")
    return render(
        request,
        "web/cases/question.html",
        {
            "form": form,
            "case": case,
            "accused": accused,
            "title": _("Who asks for mediation?"),
            "button": _("Continue"),
            "back_url": case_url(case, accused),
            "has_errors": bool(form.errors),
        },
    )


def _condition(accused: Accused) -> str:
    """The condition the law sets for the gravest current charge, if any (shown to confirm)."""
    order = ["misdemeanour", "minor", "medium", "grave", "especially_grave"]
    gravities = [
        c.article.gravity for c in accused.charges.filter(ended_at=None).select_related("article")
    ]
    if not gravities:
        return ""
    rule = mediation_book().gravity(max(gravities, key=order.index), timezone.localdate())
    if rule is None or not rule["admitted"]:
        return ""
    return condition_text(rule)


@login_required
@once_per_form
def refer_form(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case, accused, sources = _referral_page(user, pk, accused_pk)
    source = request.GET.get("source", "")
    if source not in sources:
        return redirect("mediation_refer_source", pk=case.pk, accused_pk=accused.pk)
    victims = case.participants.filter(role=ParticipantRole.VICTIM).order_by("id")
    mediators = (
        User.objects.filter(is_active=True, groups__name=Role.SOCIAL_PSYCHOLOGIST)
        .exclude(agency=None)
        .select_related("agency")
        .order_by("last_name", "first_name", "id")
    )
    form = ReferForm(
        request.POST if request.method == "POST" else None,
        victims=victims,
        mediators=mediators,
        condition=_condition(accused),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mediation = services.refer(
                actor=user,
                accused=accused,
                victim=data["victim"],
                source=source,
                mediator=data["mediator"],
                referred_at=data["at"],
                professional_name=data["professional_name"],
                professional_registry_number=data["professional_registry_number"],
                condition_confirmed=bool(data.get("condition_confirmed")),
            )
        except ValidationError as error:
            add_service_errors(form, error, {"referred_at": "on"})
        else:
            messages.success(request, _("Referred to mediation"))
            return redirect(mediation_url(mediation))
    return render(
        request,
        "web/mediation/form.html",
        {
            "form": form,
            "case": case,
            "accused": accused,
            "title": _("Refer to mediation"),
            "lead": _("Asked for by: %(source)s.") % {"source": Source(source).label},
            "button": _("Refer to mediation"),
            "back_url": reverse("mediation_refer_source", args=[case.pk, accused.pk]),
            "principle": mediation_book().principle("voluntary"),
            "has_errors": bool(form.errors),
            "no_victim": not victims.exists(),
        },
    )
