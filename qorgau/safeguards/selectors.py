"""Reads of violations that the oversight pages, the case page and "Today" share.

Every read starts from `Violation.objects.visible_to(actor)`: a violation is seen by whoever
sees its case. Each function takes a fixed number of queries, however many violations match.
"""

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Prefetch, Q, Value, When, Window
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from qorgau.accounts.models import Agency, User
from qorgau.audit.models import AuditEvent
from qorgau.core.models import Territory
from qorgau.proceedings.models import Accused, ProceduralEvent, Proceeding
from qorgau.safeguards.models import UNRESOLVED, Severity, Status, Violation, ViolationQuerySet
from qorgau.safeguards.rulebook import safeguard_book

# A status filter beside the statuses themselves: open or seen, not yet answered for good.
NOT_ANSWERED = "unresolved"
DEFAULT_PERIOD_DAYS = 30
TREND_MONTHS = 12
RED_CASES = 15

SEVERITY_RANK: dict[str, int] = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
SEVERITY_ORDER = Case(
    When(severity=Severity.HIGH, then=Value(0)),
    When(severity=Severity.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


@dataclass(frozen=True)
class ViolationFilters:
    detected_from: datetime.date | None = None
    detected_to: datetime.date | None = None
    region_id: int | None = None  # a top-level territory: the case's own, or its district's
    agency_id: int | None = None  # the responsible agency
    rule_id: str = ""
    status: str = ""  # a Status value, or NOT_ANSWERED
    severity: str = ""
    responsible_id: int | None = None


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of the day on Kazakhstan's clocks."""
    return timezone.make_aware(
        datetime.datetime.combine(day, datetime.time()), timezone.get_default_timezone()
    )


def _filtered(actor: User, filters: ViolationFilters, *, period: bool = True) -> ViolationQuerySet:
    violations = Violation.objects.visible_to(actor)
    if filters.region_id:
        violations = violations.filter(
            Q(proceeding__territory_id=filters.region_id)
            | Q(proceeding__territory__parent_id=filters.region_id)
        )
    if filters.agency_id:
        violations = violations.filter(responsible_agency_id=filters.agency_id)
    if filters.responsible_id:
        violations = violations.filter(responsible_id=filters.responsible_id)
    if filters.rule_id:
        violations = violations.filter(rule_id=filters.rule_id)
    if filters.severity:
        violations = violations.filter(severity=filters.severity)
    if filters.status == NOT_ANSWERED:
        violations = violations.unresolved()
    elif filters.status:
        violations = violations.filter(status=filters.status)
    if period and filters.detected_from:
        violations = violations.filter(detected_at__gte=_start_of(filters.detected_from))
    if period and filters.detected_to:
        end = _start_of(filters.detected_to + datetime.timedelta(days=1))
        violations = violations.filter(detected_at__lt=end)
    return violations


def violations_for_list(*, actor: User, filters: ViolationFilters) -> ViolationQuerySet:
    """The violations the actor may see, filtered, newest first, with what a list row shows."""
    return _filtered(actor, filters).select_related(
        "proceeding", "accused__juvenile", "responsible", "responsible_agency"
    )


def violation_for_page(*, actor: User, pk: int) -> Violation | None:
    """One violation with its case, minor, people and proving events (their authors' agencies)."""
    events = ProceduralEvent.objects.select_related("author__agency").order_by("started_at", "id")
    return (
        Violation.objects.visible_to(actor)
        .select_related(
            "proceeding__territory",
            "accused__juvenile",
            "responsible__agency",
            "responsible_agency",
            "status_changed_by",
        )
        .prefetch_related(Prefetch("events", queryset=events))
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class HistoryEntry:
    status: str
    at: datetime.datetime
    by: str  # empty: found by the automatic check
    changes: dict[str, Any] = field(default_factory=dict)  # note, act_type, act_number, act_date


def history(violation: Violation) -> list[HistoryEntry]:
    """When the violation was found, then each answer as the audit trail recorded it."""
    entries = [HistoryEntry(Status.OPEN, violation.detected_at, "")]
    answers = AuditEvent.objects.filter(
        action="violation.status",
        subject_type=Proceeding._meta.label_lower,
        subject_id=str(violation.proceeding_id),
        details__violation_id=violation.pk,
    ).order_by("at", "id")
    for answer in answers:
        changes = {name: new for name, (_old, new) in answer.changes.items()}
        status = changes.pop("status", "")
        entries.append(HistoryEntry(status, answer.at, answer.actor_name, changes))
    if len(entries) == 1 and violation.status_changed_at is not None:
        # Answered outside the services (no trail): the current state is all there is.
        by = violation.status_changed_by
        entries.append(
            HistoryEntry(
                violation.status,
                violation.status_changed_at,
                (by.get_full_name() or by.username) if by else "",
                {
                    "note": violation.note,
                    "act_type": violation.act_type,
                    "act_number": violation.act_number,
                    "act_date": violation.act_date.isoformat() if violation.act_date else "",
                },
            )
        )
    return entries


def flags_of_minor(accused: Accused) -> list[Violation]:
    """A minor's violations for the case page, not yet answered first: two queries.

    Only the ids of the proving events are read; the timeline already holds the events.
    """
    violations = Violation.objects.filter(accused=accused).prefetch_related(
        Prefetch("events", queryset=ProceduralEvent.objects.only("id"))
    )
    return sorted(
        violations,
        key=lambda v: (
            not v.is_unresolved,
            SEVERITY_RANK.get(v.severity, 3),
            -v.detected_at.timestamp(),
            -v.pk,
        ),
    )


def red_flags(*, actor: User, limit: int = 10) -> tuple[int, list[Violation]]:
    """The violations not yet answered in the cases the actor sees: how many, and the first rows.

    The gravest first, then the newest. The first ids and the count in one narrow query (the
    count a window over the matching ids), then the joins for those rows only: a window over
    the joined rows made PostgreSQL join every unanswered violation of the agency's cases.
    """
    first = list(
        Violation.objects.visible_to(actor)
        .unresolved()
        .annotate(severity_order=SEVERITY_ORDER, matching=Window(Count("id")))
        .order_by("severity_order", "-detected_at", "-id")
        .values_list("pk", "matching")[:limit]
    )
    if not first:
        return 0, []
    ids = [pk for pk, _ in first]
    rows = Violation.objects.select_related("proceeding", "accused__juvenile").in_bulk(ids)
    return int(first[0][1]), [rows[pk] for pk in ids]


# --- The oversight dashboard -----------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        end = self.start - datetime.timedelta(days=1)
        return Period(end - datetime.timedelta(days=self.days - 1), end)


def period_of(filters: ViolationFilters, today: datetime.date) -> Period:
    """The period the filters name; the last 30 days by default, or up to today from a start."""
    end = filters.detected_to or today
    start = filters.detected_from or end - datetime.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
    return Period(start, max(start, end))


@dataclass(frozen=True)
class Comparison:
    """A figure in this period and in the previous period of the same length."""

    current: float | None
    previous: float | None


@dataclass(frozen=True)
class GroupRow:
    key: Any  # the id (or rule id) the list filter takes
    label: str
    detail: str  # the rule's citation; the staff member's agency
    open_now: int
    detected: int  # in the period
    detected_before: int  # in the previous period
    median_hours: float | None  # from detection to the answer, for those answered


@dataclass(frozen=True)
class MonthRow:
    month: datetime.date  # its first day
    detected: int
    unresolved: int


@dataclass(frozen=True)
class CaseFlags:
    case: Proceeding
    high: int
    total: int


@dataclass
class Overview:
    period: Period
    previous: Period
    open: Comparison  # not yet answered at the end of each period
    new: Comparison  # detected in each period
    reaction_hours: Comparison  # median time from detection to the answer
    by_region: list[GroupRow]
    by_agency: list[GroupRow]
    by_rule: list[GroupRow]
    by_staff: list[GroupRow]
    trend: list[MonthRow]
    red_cases: list[CaseFlags]
    red_case_count: int


def _hours(row: Mapping[str, Any]) -> float:
    return float((row["status_changed_at"] - row["detected_at"]).total_seconds() / 3600)


def _median(rows: Iterable[Mapping[str, Any]]) -> float | None:
    hours = [_hours(row) for row in rows if row["status_changed_at"] is not None]
    return statistics.median(hours) if hours else None


def _unresolved_at(moment: datetime.datetime) -> Q:
    """Found by then and not answered for good by then (the final answer is the last change)."""
    return Q(detected_at__lt=moment) & (Q(status__in=UNRESOLVED) | Q(status_changed_at__gte=moment))


def _groups(
    rows: list[Mapping[str, Any]],
    key: str,
    period: Period,
    names: Callable[[set[Any]], dict[Any, tuple[str, str]]],
) -> list[GroupRow]:
    start, previous_start = _start_of(period.start), _start_of(period.previous().start)
    end = _start_of(period.end + datetime.timedelta(days=1))
    grouped: dict[Any, list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    labels = names({k for k in grouped if k is not None})
    result = []
    for group, members in grouped.items():
        current = [r for r in members if start <= r["detected_at"] < end]
        before = [r for r in members if previous_start <= r["detected_at"] < start]
        open_now = sum(1 for r in members if r["status"] in UNRESOLVED)
        if not (current or before or open_now):
            continue
        label, detail = labels.get(group, ("", ""))
        result.append(
            GroupRow(
                key=group,
                label=label,
                detail=detail,
                open_now=open_now,
                detected=len(current),
                detected_before=len(before),
                median_hours=_median(current),
            )
        )
    return sorted(result, key=lambda g: (-g.open_now, -g.detected, g.label))


def _region_names(ids: set[Any]) -> dict[Any, tuple[str, str]]:
    return {t.pk: (t.name, "") for t in Territory.objects.filter(pk__in=ids)}


def _agency_names(ids: set[Any]) -> dict[Any, tuple[str, str]]:
    return {a.pk: (a.name, "") for a in Agency.objects.filter(pk__in=ids)}


def _staff_names(ids: set[Any]) -> dict[Any, tuple[str, str]]:
    users = User.objects.filter(pk__in=ids).select_related("agency")
    return {u.pk: (u.get_full_name() or u.username, str(u.agency or "")) for u in users}


def _rule_names(ids: set[Any]) -> dict[Any, tuple[str, str]]:
    book = safeguard_book()
    result = {}
    for rule_id in ids:
        rule = book.get(rule_id)
        result[rule_id] = (rule.label, rule.citation) if rule else (rule_id, "")
    return result


def _trend(violations: ViolationQuerySet, today: datetime.date) -> list[MonthRow]:
    first = today.replace(day=1)
    for _ in range(TREND_MONTHS - 1):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    # Months are cut on the clocks of the active time zone (Asia/Almaty).
    counts = {
        timezone.localtime(row["month"]).date(): row
        for row in violations.filter(detected_at__gte=_start_of(first))
        .annotate(month=TruncMonth("detected_at"))
        .values("month")
        .annotate(n=Count("id"), open=Count("id", filter=Q(status__in=UNRESOLVED)))
        .order_by()
    }
    months, month = [], first
    for _ in range(TREND_MONTHS):
        row = counts.get(month)
        months.append(MonthRow(month, row["n"] if row else 0, row["open"] if row else 0))
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def _red_cases(violations: ViolationQuerySet) -> tuple[list[CaseFlags], int]:
    unresolved = violations.unresolved()
    counts = list(
        unresolved.values("proceeding")
        .annotate(high=Count("id", filter=Q(severity=Severity.HIGH)), total=Count("id"))
        .order_by("-high", "-total", "proceeding")[:RED_CASES]
    )
    cases = Proceeding.objects.select_related("territory", "investigator").prefetch_related(
        Prefetch("accused", queryset=Accused.objects.select_related("juvenile").order_by("id"))
    )
    by_pk = {case.pk: case for case in cases.filter(pk__in=[c["proceeding"] for c in counts])}
    rows = [CaseFlags(by_pk[c["proceeding"]], c["high"], c["total"]) for c in counts]
    total = (
        len(rows) if len(rows) < RED_CASES else unresolved.values("proceeding").distinct().count()
    )
    return rows, total


def overview(*, actor: User, filters: ViolationFilters, today: datetime.date) -> Overview:
    """The dashboard: key figures against the previous period, tables, trend, red-flag cases.

    The period bounds the counts of what was detected; "open now" and the red-flag cases count
    every violation not yet answered, whenever it was found. A fixed number of queries.
    """
    period = period_of(filters, today)
    previous = period.previous()
    everything = _filtered(actor, filters, period=False)
    start, end = _start_of(previous.start), _start_of(period.end + datetime.timedelta(days=1))
    previous_end = _start_of(period.start)
    at_end = min(end, timezone.now())

    open_counts = everything.aggregate(
        now=Count("id", filter=_unresolved_at(at_end)),
        before=Count("id", filter=_unresolved_at(previous_end)),
    )
    rows: list[Mapping[str, Any]] = list(
        everything.filter(Q(detected_at__gte=start, detected_at__lt=end) | Q(status__in=UNRESOLVED))
        .annotate(
            region=Coalesce(F("proceeding__territory__parent_id"), "proceeding__territory_id")
        )
        .values(
            "region",
            "responsible_agency_id",
            "responsible_id",
            "rule_id",
            "status",
            "detected_at",
            "status_changed_at",
        )
    )
    current = [r for r in rows if previous_end <= r["detected_at"] < end]
    before = [r for r in rows if start <= r["detected_at"] < previous_end]
    red_cases, red_case_count = _red_cases(everything)
    return Overview(
        period=period,
        previous=previous,
        open=Comparison(open_counts["now"], open_counts["before"]),
        new=Comparison(len(current), len(before)),
        reaction_hours=Comparison(_median(current), _median(before)),
        by_region=_groups(rows, "region", period, _region_names),
        by_agency=_groups(rows, "responsible_agency_id", period, _agency_names),
        by_rule=_groups(rows, "rule_id", period, _rule_names),
        by_staff=_groups(rows, "responsible_id", period, _staff_names),
        trend=_trend(everything, today),
        red_cases=red_cases,
        red_case_count=red_case_count,
    )


def agencies_with_violations(actor: User) -> list[Agency]:
    """The agencies the filter offers: those responsible for a violation the actor sees."""
    visible = Violation.objects.visible_to(actor).values("responsible_agency")
    return list(Agency.objects.filter(pk__in=visible).select_related("territory"))
