"""The juvenile courts in the JSON API: cases, the hearings calendar, reports and judgments.

Thin over qorgau.courts.services, which check the caller's role and court, validate, write in
one transaction and audit. A case outside the caller's scope answers 404; ids in a body that
name nothing the caller may use answer 422 naming the field.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema, Status

from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.api.common import acting_user, paginate, responses
from qorgau.api.courts_schemas import (
    AdjournIn,
    CourtCaseOut,
    CourtCasePage,
    HearingOut,
    JudgmentIn,
    PresenceIn,
    RegisterIn,
    ReportIn,
    ScheduleIn,
    SummonIn,
)
from qorgau.api.versions import answer_etag
from qorgau.courts import presence, selectors, services
from qorgau.courts.models import CaseKind, CourtCase, Courtroom, Hearing
from qorgau.courts.rulebook import court_book
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Participant

router = Router(tags=["courts"])

MESSAGE_NO_OFFSET = _(
    "Give the time with its offset from UTC, for example 2026-03-01T21:30:00+05:00."
)
MESSAGE_UNKNOWN = _("There is no record with the number %(id)s that you may use here.")

SCOPE = (
    "A court case is seen by its court, by any agency that is a party to it, and, for a "
    "criminal case, by every agency of its proceeding. A civil or administrative case is not "
    "seen by the police or the prosecution unless they are parties. Outside that scope it "
    "answers 404. Every reading is written to the audit trail."
)
JUDGES = (
    "Only a judge of the court hearing the case (`courts.change_courtcase`) may call it; others "
    "get 403."
)


def _aware(field: str, moment: Any) -> None:
    if moment is not None and timezone.is_naive(moment):
        raise ValidationError({field: MESSAGE_NO_OFFSET})


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    name = obj.get_full_name() if isinstance(obj, User) else getattr(obj, "full_name", None)
    return {"id": obj.pk, "name": name or str(obj)}


def _hearing(hearing: Hearing, number: str) -> dict[str, Any]:
    return {
        "id": hearing.pk,
        "case": hearing.case_id,
        "case_number": number,
        "courtroom": {"id": hearing.courtroom_id, "name": hearing.courtroom.name},
        "judge": _ref(hearing.judge),
        "starts_at": hearing.starts_at,
        "ends_at": hearing.ends_at,
        "status": hearing.status,
        "adjournment_reason": hearing.adjournment_reason,
        "next_hearing": hearing.next_hearing_id,
        "summonses": [
            {
                "id": s.pk,
                "summoned_as": s.summoned_as,
                "name": s.full_name,
                "participant": s.participant_id,
                "method": s.method,
                "sent_on": s.sent_on,
                "present": s.present,
            }
            for s in hearing.summonses.all()
        ],
        "safeguards_breached": presence.describe(hearing.presence_findings),
    }


def _out(case: CourtCase) -> dict[str, Any]:
    report = selectors.report_of(case)
    judgment = case.judgment
    return {
        "id": case.pk,
        "kind": case.kind,
        "number": case.number,
        "court": {"id": case.court_id, "name": case.court.name},
        "judge": _ref(case.judge),
        "juvenile": _ref(case.juvenile),
        "received_at": case.received_at,
        "proceeding": case.proceeding_id,
        "accused": case.accused_id,
        "article": case.article,
        "matter": case.matter,
        "foreign_adoption": case.foreign_adoption,
        "summary": case.summary,
        "parties": [
            {"role": p.role, "name": p.full_name, "agency": p.agency_id} for p in case.parties.all()
        ],
        "hearings": [_hearing(h, case.number) for h in case.hearings.all()],
        "report": None
        if report is None
        else {
            "author": _ref(report.author),
            "filed_at": report.filed_at,
            "family_situation": report.family_situation,
            "risk_to_society": report.risk_to_society,
            "risk_to_child": report.risk_to_child,
            "assessment": report.assessment_id,
            "alternatives": report.alternatives,
            "recommendation": report.recommendation,
        },
        "judgment": None
        if judgment is None
        else {
            "event": judgment.pk,
            "verdict": judgment.verdict,
            "punishment": judgment.punishment,
            "term_months": judgment.term_months,
            "fine_amount": judgment.fine_amount,
            "conditional": judgment.conditional,
            "probation_months": judgment.probation_months,
            "deferred": judgment.deferred,
            "deferral_months": judgment.deferral_months,
        },
        "decision": case.decision,
        "penalty": case.penalty,
        "fine_amount": case.fine_amount,
        "decided_at": case.decided_at,
        "report_followed": case.report_followed,
        "days_to_judgment": selectors.time_to_judgment(case),
        "version": case.version,
    }


def _answer(request: HttpRequest, case: CourtCase) -> dict[str, Any]:
    """The case as stored now (a service changed its own locked copy), with its ETag."""
    case = selectors.with_details(case)
    answer_etag(request, case)
    return _out(case)


def _case(user: User, case_id: int) -> CourtCase:
    return CourtCase.objects.visible_to(user).get(pk=case_id)


def _hearing_of(user: User, hearing_id: int) -> Hearing:
    visible = CourtCase.objects.visible_to(user).values("pk")
    return Hearing.objects.select_related("case").get(pk=hearing_id, case__in=visible)


def _unknown(field: str, pk: int) -> ValidationError:
    return ValidationError({field: MESSAGE_UNKNOWN % {"id": pk}})


class CourtCaseFilters(Schema):
    page: int = 1
    kind: CaseKind | None = None
    judge: int | None = None
    undecided: bool = False


@router.get(
    "/court-cases",
    response=responses({200: CourtCasePage}, 401, 403, 422),
    summary="List court cases",
    description="The court cases the caller may see, newest first, filtered by kind, judge and "
    "whether undecided. Staff whose role reads court cases (`courts.view_courtcase`); others "
    "get 403. " + SCOPE,
)
def list_court_cases(request: HttpRequest, filters: Query[CourtCaseFilters]) -> dict[str, Any]:
    user = acting_user(request, "courts.view_courtcase")
    cases = CourtCase.objects.visible_to(user).select_related("juvenile", "judge")
    if filters.kind:
        cases = cases.filter(kind=filters.kind)
    if filters.judge:
        cases = cases.filter(judge_id=filters.judge)
    if filters.undecided:
        cases = cases.filter(decided_at=None)
    page = paginate(cases.order_by("-received_at", "-id"), filters.page)
    page["results"] = [
        {
            "id": c.pk, "kind": c.kind, "number": c.number, "juvenile": _ref(c.juvenile),
            "judge": _ref(c.judge), "received_at": c.received_at, "decided_at": c.decided_at,
        }
        for c in page["results"]
    ]  # fmt: skip
    return page


@router.get(
    "/court-cases/{case_id}",
    response=responses({200: CourtCaseOut}, 401, 403, 404),
    summary="Read a court case",
    description="The case with its parties, hearings (summonses, presence, the safeguards a "
    "hearing breached), the social worker's report, and the judgment (for a criminal case, "
    "the proceeding's JUDGMENT event) or decision, with the days from receipt to judgment. "
    "Staff whose role reads court cases; others get 403. " + SCOPE,
)
def read_court_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = acting_user(request, "courts.view_courtcase")
    return _answer(request, services.view_case(actor=user, pk=case_id))


@router.post(
    "/court-cases",
    response=responses({201: CourtCaseOut}, 400, 401, 403, 404, 422),
    summary="Register an administrative or civil case",
    description="A case about a child, with its parties; the child is required. Criminal "
    "cases are not registered here: they arrive when the indictment is approved. A judge of "
    "the court (`courts.add_courtcase`) may call it, for their own court; others get 403.",
)
def register_court_case(request: HttpRequest, payload: RegisterIn) -> Status[dict[str, Any]]:
    user = acting_user(request, "courts.add_courtcase")
    _aware("received_at", payload.received_at)
    juvenile = None
    if payload.juvenile is not None:
        juvenile = Juvenile.objects.seen_by(user).filter(pk=payload.juvenile).first()
        if juvenile is None:
            raise _unknown("juvenile", payload.juvenile)
    judge = None
    if payload.judge is not None:
        judge = User.objects.filter(pk=payload.judge).first()
        if judge is None:
            raise _unknown("judge", payload.judge)
    parties = []
    for party in payload.parties:
        agency = None
        if party.agency is not None:
            agency = Agency.objects.filter(pk=party.agency).first()
            if agency is None:
                raise _unknown("parties", party.agency)
        parties.append({"role": party.role, "full_name": party.full_name, "agency": agency})
    court = user.agency
    if court is None or court.agency_type != AgencyType.JUVENILE_COURT:
        court = None
    case = services.register_case(
        actor=user, court=court, kind=payload.kind, juvenile=juvenile,  # type: ignore[arg-type]
        received_at=payload.received_at, judge=judge, article=payload.article,
        matter=payload.matter or "", foreign_adoption=payload.foreign_adoption,
        summary=payload.summary, parties=parties,
    )  # fmt: skip
    return Status(201, _answer(request, case))


@router.post(
    "/court-cases/{case_id}/hearings",
    response=responses({201: CourtCaseOut}, 400, 401, 403, 404, 422),
    summary="Schedule a hearing",
    description="Refused (422, naming the other hearing) when the judge or the courtroom "
    "already has a hearing at an overlapping time; on PostgreSQL the database refuses it too. "
    + JUDGES,
)
def schedule_hearing(
    request: HttpRequest, case_id: int, payload: ScheduleIn
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    _aware("starts_at", payload.starts_at)
    case = _case(user, case_id)
    courtroom = Courtroom.objects.filter(pk=payload.courtroom).first()
    if courtroom is None:
        raise _unknown("courtroom", payload.courtroom)
    judge = None
    if payload.judge is not None:
        judge = User.objects.filter(pk=payload.judge, groups__name=Role.JUDGE).first()
        if judge is None:
            raise _unknown("judge", payload.judge)
    services.schedule_hearing(
        actor=user, case=case, courtroom=courtroom, starts_at=payload.starts_at,
        minutes=payload.minutes, judge=judge,
    )  # fmt: skip
    return Status(201, _answer(request, case))


@router.post(
    "/hearings/{hearing_id}/adjournment",
    response=responses({200: CourtCaseOut}, 400, 401, 403, 404, 422),
    summary="Adjourn a hearing",
    description="With the reason (required); optionally books the next hearing, checked for "
    "clashes as any other. " + JUDGES,
)
def adjourn_hearing(request: HttpRequest, hearing_id: int, payload: AdjournIn) -> dict[str, Any]:
    user = acting_user(request)
    _aware("next_starts_at", payload.next_starts_at)
    hearing = _hearing_of(user, hearing_id)
    services.adjourn_hearing(
        actor=user, hearing=hearing, reason=payload.reason,
        next_starts_at=payload.next_starts_at, next_minutes=payload.next_minutes,
    )  # fmt: skip
    return _answer(request, hearing.case)


@router.post(
    "/hearings/{hearing_id}/summonses",
    response=responses({201: CourtCaseOut}, 400, 401, 403, 404, 422),
    summary="Summon a person to a hearing",
    description="The minor, the legal representative, the defender, the pedagogue or the "
    "psychologist; in a criminal case a participant of the proceeding may be named. " + JUDGES,
)
def summon(request: HttpRequest, hearing_id: int, payload: SummonIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    hearing = _hearing_of(user, hearing_id)
    participant = None
    if payload.participant is not None:
        participant = Participant.objects.filter(pk=payload.participant).first()
        if participant is None:
            raise _unknown("participant", payload.participant)
    services.summon(
        actor=user, hearing=hearing, summoned_as=payload.summoned_as,
        full_name=payload.full_name, participant=participant, method=payload.method,
        sent_on=payload.sent_on,
    )  # fmt: skip
    return Status(201, _answer(request, hearing.case))


@router.post(
    "/hearings/{hearing_id}/presence",
    response=responses({200: CourtCaseOut}, 400, 401, 403, 404, 422),
    summary="Record who was present at a hearing",
    description="Marks the hearing held and applies the safeguards' presence rules to it as "
    "to an interrogation (defender; legal representative; a pedagogue or psychologist for a "
    "minor under 16); what it breached is returned on the hearing. " + JUDGES,
)
def record_presence(request: HttpRequest, hearing_id: int, payload: PresenceIn) -> dict[str, Any]:
    user = acting_user(request)
    hearing = _hearing_of(user, hearing_id)
    services.record_presence(actor=user, hearing=hearing, present=payload.present)
    return _answer(request, hearing.case)


@router.post(
    "/court-cases/{case_id}/report",
    response=responses({201: CourtCaseOut}, 400, 401, 403, 404, 422),
    summary="File the court social worker's report",
    description="Before the judgment, once per case: the family situation, the alternatives "
    "to custody proposed; the risk levels are taken from the child's latest completed "
    "assessment. Only a social worker of the court (`courts.add_socialworkerreport`) may call "
    "it; others get 403.",
)
def file_report(request: HttpRequest, case_id: int, payload: ReportIn) -> Status[dict[str, Any]]:
    user = acting_user(request)
    case = _case(user, case_id)
    services.file_report(
        actor=user, case=case, family_situation=payload.family_situation,
        alternatives=payload.alternatives, recommendation=payload.recommendation,
    )  # fmt: skip
    return Status(201, _answer(request, case))


@router.post(
    "/court-cases/{case_id}/judgment",
    response=responses({200: CourtCaseOut}, 400, 401, 403, 404, 422),
    summary="Record the judgment or decision",
    description="Needs a hearing held (else 422). A criminal judgment is recorded once, as the "
    "proceeding's JUDGMENT event (verdict, punishment, term, conditional, deferred), and the "
    "case points at it; an administrative case records its decision and penalty, a civil case "
    "its decision. When a social worker's report is filed, `report_followed` is required. "
    + JUDGES,
)
def record_judgment(request: HttpRequest, case_id: int, payload: JudgmentIn) -> dict[str, Any]:
    user = acting_user(request)
    _aware("decided_at", payload.decided_at)
    case = _case(user, case_id)
    extra: dict[str, Any] = (
        payload.criminal()
        if case.kind == CaseKind.CRIMINAL
        else {
            "decision": payload.decision or "",
            "penalty": payload.penalty,
            "fine_amount": payload.fine_amount,
        }
    )
    services.record_judgment(
        actor=user, case=case, decided_at=payload.decided_at,
        report_followed=payload.report_followed, notes=payload.notes, **extra,
    )  # fmt: skip
    return _answer(request, case)


class CalendarFilters(Schema):
    week: datetime.date | None = None
    judge: int | None = None
    courtroom: int | None = None


@router.get(
    "/courts/{court_id}/hearings",
    response=responses({200: list[HearingOut]}, 401, 403, 404),
    summary="The hearings calendar of a court",
    description="The week (from the Monday of `week`, this week by default) of the court's "
    "hearings, optionally of one judge or courtroom. Only the court's own staff may read it "
    "(`courts.view_courtcase`); others get 404.",
)
def court_calendar(
    request: HttpRequest, court_id: int, filters: Query[CalendarFilters]
) -> list[dict[str, Any]]:
    user = acting_user(request, "courts.view_courtcase")
    if not user.is_superuser and user.agency_id != court_id:
        raise Agency.DoesNotExist
    court = Agency.objects.get(pk=court_id, agency_type=AgencyType.JUVENILE_COURT)
    monday, end = selectors.week_of(filters.week or timezone.localdate())
    start = timezone.make_aware(datetime.datetime.combine(monday, datetime.time.min))
    stop = timezone.make_aware(datetime.datetime.combine(end, datetime.time.min))
    judge = User.objects.filter(pk=filters.judge).first() if filters.judge else None
    room = Courtroom.objects.filter(pk=filters.courtroom).first() if filters.courtroom else None
    hearings = selectors.hearings_between(
        court=court, start=start, end=stop, judge=judge, courtroom=room
    ).prefetch_related("summonses")
    return [_hearing(h, h.case.number) for h in hearings]


@router.get(
    "/court-rules",
    response=responses({200: dict[str, Any]}, 401),
    summary="Reference data of the juvenile courts",
    tags=["reference"],
    description="The articles of the Code of Administrative Offences (with their source and "
    "whether each is confirmed), the administrative penalties for minors, and the safeguards a "
    "hearing is judged by; each with its citation, dates in force and kk/ru/en text. Any "
    "signed-in staff member may call it.",
)
def read_court_rules(request: HttpRequest) -> dict[str, Any]:
    acting_user(request)
    book = court_book()
    return {
        "profile": book.profile,
        "sections": {
            name: [
                {
                    "code": r.code, "citation": r.citation, "confirmed": r.confirmed,
                    "valid_from": r.valid_from, "valid_to": r.valid_to, "text": r.text,
                    **r.attributes,
                }
                for r in rules
            ]
            for name, rules in book.rules.items()
        },
    }  # fmt: skip
