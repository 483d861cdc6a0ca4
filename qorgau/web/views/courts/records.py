"""The court's records: register a case, schedule and adjourn hearings, summon, presence, the
social worker's report, the judgment. Each form calls one service."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.courts import selectors, services
from qorgau.courts.models import CaseKind, CourtCase, Courtroom, Hearing, HearingStatus
from qorgau.people.models import Juvenile
from qorgau.web.forms.courts import (
    AdjournForm,
    JudgmentForm,
    PresenceForm,
    RegisterForm,
    ReportForm,
    ScheduleForm,
    SummonForm,
)
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import with_roles
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.courts import common


def _page(
    request: AuthedRequest, form: forms.Form, title: str, button: str, back_url: str, **extra: Any
) -> HttpResponse:
    context = {
        "form": form, "title": title, "button": button, "back_url": back_url,
        "has_errors": bool(form.errors), **extra,
    }  # fmt: skip
    return render(request, "web/courts/form.html", context)


def _record(
    request: AuthedRequest,
    form: forms.Form,
    call: Callable[[], Any],
    done: str,
    to: str,
    aliases: dict[str, str] | None = None,
) -> HttpResponse | None:
    """Call the service on a valid form: to the page `to` on success, None to show errors."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        call()
    except ValidationError as error:
        add_service_errors(form, error, aliases or getattr(form, "ALIASES", {}))
        return None
    messages.success(request, done)
    return redirect(to)


def _judged_case(request: AuthedRequest, pk: int) -> CourtCase:
    user = with_roles(request.user)
    case = common.visible_court_case(user, pk)
    if not services.is_judge_of(user, case.court_id):
        raise PermissionDenied
    return case


def _judged_hearing(request: AuthedRequest, pk: int) -> Hearing:
    user = with_roles(request.user)
    visible = CourtCase.objects.visible_to(user).values("pk")
    hearing = (
        Hearing.objects.select_related("case__juvenile", "courtroom", "judge")
        .filter(pk=pk, case__in=visible)
        .first()
    )
    if hearing is None:
        raise Http404
    if not services.is_judge_of(user, hearing.case.court_id):
        raise PermissionDenied
    return hearing


def _case_url(case: CourtCase) -> str:
    return reverse("court_case_detail", args=[case.pk])


@login_required
@once_per_form
def register(request: AuthedRequest, kind: str) -> HttpResponse:
    user = with_roles(request.user)
    court = common.own_court(user)
    if kind not in (CaseKind.ADMINISTRATIVE, CaseKind.CIVIL) or not services.is_judge_of(
        user, court.pk
    ):
        raise PermissionDenied if kind in CaseKind.values else Http404
    form = RegisterForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        juveniles=Juvenile.objects.seen_by(user).order_by("last_name", "first_name", "id"),
        judges=common.judges_of(court),
    )
    created: list[CourtCase] = []

    def call() -> None:
        data = form.cleaned_data
        created.append(
            services.register_case(
                actor=user, court=court, kind=kind, juvenile=data.get("juvenile"),
                received_at=data["at"], judge=data.get("judge"),
                article=data.get("article") or "", matter=data.get("matter") or "",
                foreign_adoption=bool(data.get("foreign_adoption")),
                summary=data.get("summary") or "", parties=form.parties(),
            )
        )  # fmt: skip

    if request.method == "POST" and form.is_valid():
        try:
            call()
        except ValidationError as error:
            add_service_errors(form, error, {"received_at": "on", "parties": "party_1_name"})
        else:
            messages.success(request, _("Court case registered"))
            return redirect(_case_url(created[0]))
    title = (
        _("Register an administrative offence case")
        if kind == CaseKind.ADMINISTRATIVE
        else _("Register a civil case about a child")
    )
    return _page(request, form, title, _("Register the case"), reverse("court_cases"))


@login_required
@once_per_form
def schedule(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _judged_case(request, pk)
    judges = common.judges_of(case.court)
    form = ScheduleForm(
        request.POST if request.method == "POST" else None,
        courtrooms=Courtroom.objects.filter(court_id=case.court_id, is_active=True).order_by(
            "name"
        ),
        judges=judges,
        initial={"minutes": 60, "judge": case.judge_id or request.user.pk},
    )

    def call() -> Any:
        data = form.cleaned_data
        return services.schedule_hearing(
            actor=request.user, case=case, courtroom=data["courtroom"], starts_at=data["at"],
            minutes=data["minutes"], judge=data["judge"],
        )  # fmt: skip

    done = _record(request, form, call, _("Hearing scheduled"), _case_url(case))
    return done or _page(
        request, form, _("Schedule a hearing"), _("Schedule the hearing"), _case_url(case),
        court_case=case,
    )  # fmt: skip


@login_required
@once_per_form
def adjourn(request: AuthedRequest, pk: int) -> HttpResponse:
    hearing = _judged_hearing(request, pk)
    form = AdjournForm(request.POST if request.method == "POST" else None)

    def call() -> Any:
        data = form.cleaned_data
        return services.adjourn_hearing(
            actor=request.user, hearing=hearing, reason=data["reason"],
            next_starts_at=data.get("next_at"),
        )  # fmt: skip

    done = _record(request, form, call, _("Hearing adjourned"), _case_url(hearing.case))
    return done or _page(
        request, form, _("Adjourn the hearing"), _("Adjourn the hearing"),
        _case_url(hearing.case), court_case=hearing.case, hearing=hearing,
    )  # fmt: skip


@login_required
@once_per_form
def summon(request: AuthedRequest, pk: int) -> HttpResponse:
    hearing = _judged_hearing(request, pk)
    case = hearing.case
    participants = (
        case.proceeding.participants.exclude(role__in=["victim", "adult_coparticipant"]).order_by(
            "role", "id"
        )
        if case.proceeding_id and case.proceeding
        else CourtCase.objects.none()
    )
    form = SummonForm(
        request.POST if request.method == "POST" else None,
        participants=participants,  # type: ignore[arg-type]
        initial={"sent_on": timezone.localdate()},
    )

    def call() -> Any:
        data = form.cleaned_data
        return services.summon(
            actor=request.user, hearing=hearing, summoned_as=data["summoned_as"],
            full_name=data.get("full_name") or "", participant=data.get("participant"),
            method=data["method"], sent_on=data["sent_on"],
        )  # fmt: skip

    done = _record(request, form, call, _("Summons recorded"), _case_url(case))
    return done or _page(
        request, form, _("Summon to the hearing"), _("Record the summons"), _case_url(case),
        court_case=case, hearing=hearing,
    )  # fmt: skip


@login_required
@once_per_form
def presence(request: AuthedRequest, pk: int) -> HttpResponse:
    hearing = _judged_hearing(request, pk)
    if hearing.status == HearingStatus.ADJOURNED:
        raise Http404
    summonses = list(hearing.summonses.order_by("summoned_as", "id"))
    form = PresenceForm(request.POST if request.method == "POST" else None, summonses=summonses)

    def call() -> Any:
        return services.record_presence(actor=request.user, hearing=hearing, present=form.present())

    done = _record(request, form, call, _("Presence recorded"), _case_url(hearing.case))
    return done or _page(
        request, form, _("Who was present at the hearing"), _("Record presence"),
        _case_url(hearing.case), court_case=hearing.case, hearing=hearing,
        nobody_summoned=not summonses,
    )  # fmt: skip


@login_required
@once_per_form
def report(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case = common.visible_court_case(user, pk)
    if not services.is_social_worker_of(user, case.court_id):
        raise PermissionDenied
    form = ReportForm(request.POST if request.method == "POST" else None)

    def call() -> Any:
        data = form.cleaned_data
        return services.file_report(
            actor=user, case=case, family_situation=data["family_situation"],
            alternatives=data["alternatives"], recommendation=data.get("recommendation") or "",
        )  # fmt: skip

    done = _record(request, form, call, _("Report filed"), _case_url(case))
    from qorgau.support.models.assessment import Assessment

    assessment = (
        Assessment.objects.completed()
        .filter(juvenile_id=case.juvenile_id)
        .order_by("-completed_at", "-id")
        .first()
    )
    return done or _page(
        request, form, _("File the social worker's report"), _("File the report"),
        _case_url(case), court_case=case, assessment=assessment,
    )  # fmt: skip


@login_required
@once_per_form
def judgment(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _judged_case(request, pk)
    case = selectors.with_details(case)
    report_ = selectors.report_of(case)
    form = JudgmentForm(
        request.POST if request.method == "POST" else None,
        kind=case.kind,
        has_report=report_ is not None,
    )

    def call() -> Any:
        data = form.cleaned_data
        return services.record_judgment(
            actor=request.user, case=case, decided_at=data["at"],
            report_followed=data.get("report_followed"), notes=data.get("notes") or "",
            **form.outcome(),
        )  # fmt: skip

    title = _("Record the judgment") if case.kind == CaseKind.CRIMINAL else _("Record the decision")
    done = _record(request, form, call, _("Judgment recorded"), _case_url(case))
    return done or _page(
        request, form, title, title, _case_url(case), court_case=case, report=report_,
    )  # fmt: skip
