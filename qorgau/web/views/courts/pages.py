"""The court's pages: the hearings calendar, the caseload, a court case, the reports due."""

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date

from qorgau.courts import presence, selectors, services
from qorgau.courts.models import CaseKind, CourtCase, Courtroom, HearingStatus
from qorgau.courts.rulebook import court_book
from qorgau.proceedings.legal_rules import rule_book
from qorgau.support.models.assessment import RiskLevel
from qorgau.web.views.cases.common import case_url, with_roles
from qorgau.web.views.common import AuthedRequest, paginate, query_without_page
from qorgau.web.views.courts import common


@login_required
def calendar(request: AuthedRequest) -> HttpResponse:
    """A week agenda of the court's hearings, for one judge or courtroom if chosen."""
    user = with_roles(request.user)
    court = common.own_court(user)
    day = parse_date(request.GET.get("week") or "") or timezone.localdate()
    monday, _end = selectors.week_of(day)
    judges = list(common.judges_of(court))
    rooms = list(Courtroom.objects.filter(court=court, is_active=True).order_by("name"))
    judge = next((j for j in judges if str(j.pk) == request.GET.get("judge")), None)
    if request.GET.get("judge") is None and user in judges:
        judge = user  # a judge opens their own calendar first
    room = next((r for r in rooms if str(r.pk) == request.GET.get("courtroom")), None)
    days = selectors.court_calendar(court=court, monday=monday, judge=judge, courtroom=room)
    base = {"judge": judge.pk if judge else "", "courtroom": room.pk if room else ""}

    def week_url(start: datetime.date) -> str:
        from urllib.parse import urlencode

        return "?" + urlencode({**base, "week": start.isoformat()})

    return render(
        request,
        "web/courts/calendar.html",
        {
            "court": court,
            "days": [
                {
                    "day": d,
                    "today": d == timezone.localdate(),
                    "rows": [
                        {
                            "hearing": h,
                            "tag": common.hearing_tag(h),
                            "url": reverse("court_case_detail", args=[h.case_id]),
                        }
                        for h in hearings
                    ],
                }
                for d, hearings in days
            ],
            "monday": monday,
            "sunday": monday + datetime.timedelta(days=6),
            "previous_url": week_url(monday - datetime.timedelta(days=7)),
            "next_url": week_url(monday + datetime.timedelta(days=7)),
            "judges": judges,
            "rooms": rooms,
            "judge": judge,
            "room": room,
            "week": monday,
        },
    )


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    """The court's cases: a judge's caseload by default, filtered by kind and state."""
    user = with_roles(request.user)
    court = common.own_court(user)
    cases = CourtCase.objects.filter(court=court)
    judges = list(common.judges_of(court))
    judge = next((j for j in judges if str(j.pk) == request.GET.get("judge")), None)
    if request.GET.get("judge") is None and user in judges:
        judge = user
    if judge is not None:
        cases = cases.filter(judge=judge)
    kind = request.GET.get("kind", "")
    if kind in CaseKind.values:
        cases = cases.filter(kind=kind)
    state = request.GET.get("state", "open")
    if state == "open":
        cases = cases.filter(decided_at=None)
    elif state == "decided":
        cases = cases.exclude(decided_at=None)
    page = paginate(
        request, cases.select_related("juvenile", "judge").order_by("-received_at", "-id")
    )
    now = timezone.now()
    return render(
        request,
        "web/courts/list.html",
        {
            "court": court,
            "page_obj": page,
            "rows": [
                {
                    "case": c,
                    "kind": common.kind_tag(c),
                    "tag": common.case_tag(c),
                    "days": selectors.time_to_judgment(c, now),
                    "url": reverse("court_case_detail", args=[c.pk]),
                }
                for c in page.object_list
            ],
            "judges": judges,
            "judge": judge,
            "kind": kind,
            "kinds": CaseKind.choices,
            "state": state,
            "query": query_without_page(request),
            "may_register": services.is_judge_of(user, court.pk),
            "figures": selectors.court_figures(court=court, year=timezone.localdate().year),
        },
    )


def _outcome_rows(case: CourtCase) -> list[dict[str, Any]]:
    if case.kind == CaseKind.CRIMINAL:
        event = case.judgment
        if event is None:
            return []
        punishment = rule_book().get("punishments", event.punishment) if event.punishment else None
        return [
            {"key": "verdict", "value": event.get_verdict_display()},
            {"key": "punishment", "value": punishment.label if punishment else ""},
            {"key": "term_months", "value": event.term_months},
            {"key": "fine_amount", "value": event.fine_amount},
            {"key": "conditional", "value": event.probation_months if event.conditional else None},
            {"key": "deferred", "value": event.deferral_months if event.deferred else None},
        ]
    penalty = court_book().penalty(case.penalty) if case.penalty else None
    return [
        {"key": "decision", "value": case.get_decision_display()},
        {"key": "penalty", "value": penalty.label if penalty else ""},
        {"key": "fine_amount", "value": case.fine_amount},
    ]


@login_required
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    if not user.has_perm("courts.view_courtcase"):
        raise PermissionDenied
    try:
        case = services.view_case(actor=user, pk=pk)
    except CourtCase.DoesNotExist:
        raise Http404 from None
    case = selectors.with_details(case)
    judge = services.is_judge_of(user, case.court_id)
    report = selectors.report_of(case)
    hearings = list(case.hearings.all())
    article = court_book().article(case.article) if case.article else None
    return render(
        request,
        "web/courts/detail.html",
        {
            "case": case,
            "kind": common.kind_tag(case),
            "tag": common.case_tag(case),
            "article": article,
            "hearings": [
                {
                    "hearing": h,
                    "tag": common.hearing_tag(h),
                    "summonses": list(h.summonses.all()),
                    "breaches": presence.describe(h.presence_findings),
                    "may_act": judge and not case.is_decided,
                    "begun": h.starts_at <= timezone.now(),
                }
                for h in hearings
            ],
            "held": any(h.status == HearingStatus.HELD for h in hearings),
            "report": report,
            "risk_society": RiskLevel(report.risk_to_society).label
            if report and report.risk_to_society
            else "",
            "risk_child": RiskLevel(report.risk_to_child).label
            if report and report.risk_to_child
            else "",
            "outcome": _outcome_rows(case),
            "days": selectors.time_to_judgment(case),
            "judge_may_act": judge and not case.is_decided,
            "may_report": report is None
            and not case.is_decided
            and services.is_social_worker_of(user, case.court_id),
            "proceeding_url": case_url(case.proceeding, case.accused) if case.proceeding else "",
        },
    )


@login_required
def reports_due(request: AuthedRequest) -> HttpResponse:
    """For the court social worker: the cases whose report is still to be filed."""
    user = with_roles(request.user)
    court = common.own_court(user)
    if not services.is_social_worker_of(user, court.pk):
        raise PermissionDenied
    page = paginate(request, selectors.reports_due(user))
    return render(
        request,
        "web/courts/reports.html",
        {
            "court": court,
            "page_obj": page,
            "rows": [
                {
                    "case": c,
                    "kind": common.kind_tag(c),
                    "url": reverse("court_case_detail", args=[c.pk]),
                    "report_url": reverse("court_report", args=[c.pk]),
                }
                for c in page.object_list
            ],
            "query": query_without_page(request),
        },
    )
