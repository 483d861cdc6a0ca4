"""Reads of court cases and hearings that the pages, the Today panel and the API share."""

import datetime
from dataclasses import dataclass
from statistics import median

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from qorgau.accounts.models import Agency, User
from qorgau.courts.models import (
    OCCUPYING,
    CaseKind,
    CourtCase,
    CourtCaseQuerySet,
    Courtroom,
    Hearing,
    HearingStatus,
    SocialWorkerReport,
    Summons,
    hearing_day_bounds,
)

HOME_ROWS = 10


def _with_details(cases: CourtCaseQuerySet) -> CourtCaseQuerySet:
    return cases.select_related(
        "court", "judge", "juvenile", "proceeding", "accused", "judgment", "report__author",
        "report__assessment",
    ).prefetch_related(
        "parties__agency",
        Prefetch(
            "hearings",
            queryset=Hearing.objects.select_related("courtroom", "judge").prefetch_related(
                Prefetch("summonses", queryset=Summons.objects.select_related("participant"))
            ),
        ),
    )  # fmt: skip


def with_details(case: CourtCase) -> CourtCase:
    """The same case with its parties, hearings, summonses and report loaded."""
    return _with_details(CourtCase.objects.filter(pk=case.pk)).get()


def case_for_track(*, actor: User, accused_id: int) -> CourtCase | None:
    """The court case of a minor's track, for the proceeding's page."""
    return (
        CourtCase.objects.visible_to(actor)
        .filter(accused_id=accused_id)
        .select_related("judge", "court", "judgment")
        .first()
    )


def report_of(case: CourtCase) -> SocialWorkerReport | None:
    try:
        return case.report
    except SocialWorkerReport.DoesNotExist:
        return None


def hearings_between(
    *,
    court: Agency,
    start: datetime.datetime,
    end: datetime.datetime,
    judge: User | None = None,
    courtroom: Courtroom | None = None,
) -> QuerySet[Hearing]:
    """The court's hearings in a period (a day, a week), optionally of one judge or courtroom."""
    hearings = Hearing.objects.filter(court=court, starts_at__gte=start, starts_at__lt=end)
    if judge is not None:
        hearings = hearings.filter(judge=judge)
    if courtroom is not None:
        hearings = hearings.filter(courtroom=courtroom)
    return hearings.select_related("case__juvenile", "courtroom", "judge").order_by(
        "starts_at", "id"
    )


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=7)


def court_calendar(
    *,
    court: Agency,
    monday: datetime.date,
    judge: User | None = None,
    courtroom: Courtroom | None = None,
) -> list[tuple[datetime.date, list[Hearing]]]:
    """The week from Monday: each day with its hearings."""
    start, _ = hearing_day_bounds(monday)
    end = start + datetime.timedelta(days=7)
    days: dict[datetime.date, list[Hearing]] = {
        monday + datetime.timedelta(days=i): [] for i in range(7)
    }
    for hearing in hearings_between(
        court=court, start=start, end=end, judge=judge, courtroom=courtroom
    ):
        days[timezone.localdate(hearing.starts_at)].append(hearing)
    return list(days.items())


def _held() -> Exists:
    return Exists(Hearing.objects.filter(case_id=OuterRef("pk"), status=HearingStatus.HELD))


def _has_report() -> Exists:
    return Exists(SocialWorkerReport.objects.filter(case_id=OuterRef("pk")))


@dataclass(frozen=True)
class JudgeToday:
    hearings: list[Hearing]
    awaiting_judgment: list[CourtCase]
    reports_missing: list[CourtCase]
    caseload: int

    @property
    def empty(self) -> bool:
        return not (self.hearings or self.awaiting_judgment or self.reports_missing)


def judge_today(actor: User, today: datetime.date | None = None) -> JudgeToday | None:
    """Today for a judge: today's hearings, the cases heard and awaiting judgment, and the
    cases whose social worker's report is still missing."""
    if actor.agency_id is None or not actor.has_perm("courts.change_courtcase"):
        return None
    today = today or timezone.localdate()
    start, end = hearing_day_bounds(today)
    hearings = list(
        Hearing.objects.filter(judge=actor, starts_at__gte=start, starts_at__lt=end)
        .select_related("case__juvenile", "courtroom")
        .order_by("starts_at", "id")
    )
    mine = CourtCase.objects.filter(judge=actor, decided_at=None)
    awaiting = list(
        mine.filter(_held()).select_related("juvenile").order_by("received_at", "id")[:HOME_ROWS]
    )
    missing = list(
        mine.filter(kind__in=[CaseKind.CRIMINAL, CaseKind.ADMINISTRATIVE])
        .exclude(_has_report())
        .select_related("juvenile")
        .order_by("received_at", "id")[:HOME_ROWS]
    )
    return JudgeToday(hearings, awaiting, missing, mine.count())


def caseload(*, actor: User, judge: User) -> CourtCaseQuerySet:
    """The judge's undecided cases, oldest first (a judge's caseload is tens of cases)."""
    return (
        CourtCase.objects.visible_to(actor)
        .filter(judge=judge, decided_at=None)
        .select_related("juvenile", "court")
        .annotate(held=Count("hearings", filter=Q(hearings__status=HearingStatus.HELD)))
        .order_by("received_at", "id")
    )


def reports_due(actor: User) -> CourtCaseQuerySet:
    """For a court social worker: the court's undecided criminal and administrative cases with
    no report yet, the one with the nearest hearing first."""
    if actor.agency_id is None or not actor.has_perm("courts.add_socialworkerreport"):
        return CourtCase.objects.none()
    next_hearing = (
        Hearing.objects.filter(case_id=OuterRef("pk"), status__in=OCCUPYING)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        CourtCase.objects.filter(
            court_id=actor.agency_id,
            decided_at=None,
            kind__in=[CaseKind.CRIMINAL, CaseKind.ADMINISTRATIVE],
        )
        .exclude(_has_report())
        .annotate(next_hearing=next_hearing)
        .select_related("juvenile", "judge")
        .order_by("next_hearing", "received_at", "id")
    )


@dataclass(frozen=True)
class CourtFigures:
    received: int
    decided: int
    median_days: float | None
    foreign_adoptions: int
    by_kind: dict[str, int]


def court_figures(*, court: Agency, year: int) -> CourtFigures:
    """The court's figures for a year: cases received and decided, the median time from
    receipt to judgment, and adoptions by foreign citizens (counted on their own)."""
    start = timezone.make_aware(
        datetime.datetime.combine(datetime.date(year, 1, 1), datetime.time())
    )
    end = timezone.make_aware(
        datetime.datetime.combine(datetime.date(year + 1, 1, 1), datetime.time())
    )
    cases = CourtCase.objects.filter(court=court, received_at__gte=start, received_at__lt=end)
    by_kind = dict(cases.values_list("kind").annotate(n=Count("id")).order_by())
    decided = list(cases.exclude(decided_at=None).values_list("received_at", "decided_at"))
    days = [(d - r).total_seconds() / 86400 for r, d in decided if d is not None]
    return CourtFigures(
        received=sum(by_kind.values()),
        decided=len(decided),
        median_days=round(median(days), 1) if days else None,
        foreign_adoptions=cases.filter(foreign_adoption=True).count(),
        by_kind={kind: by_kind.get(kind, 0) for kind in CaseKind.values},
    )


def time_to_judgment(case: CourtCase, now: datetime.datetime | None = None) -> int:
    """Days from the court's receipt of the case to its judgment (or to now while undecided)."""
    end = case.decided_at or now or timezone.now()
    return (end - case.received_at).days
