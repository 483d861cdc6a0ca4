"""The response times measured from detention to assignment and to arrival."""

import bisect
import datetime
import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import F, FloatField, Func, Q

from qorgau.accounts.access import figures_only
from qorgau.accounts.models import User
from qorgau.core.models import Territory
from qorgau.core.paging import last_page
from qorgau.defence.legal_rules import defence_rules
from qorgau.defence.models import (
    OnDutyAssignment,
    OnDutyAssignmentQuerySet,
)
from qorgau.defence.selectors.roster import DAY, _local_midnight
from qorgau.proceedings.models import (
    Accused,
)


@dataclass(frozen=True)
class Measured:
    assignment: OnDutyAssignment

    @property
    def assigned_at(self) -> datetime.datetime:
        return self.assignment.assigned_at

    @property
    def detained_at(self) -> datetime.datetime:
        return self.assignment.detained_at

    @property
    def defender_arrived_at(self) -> datetime.datetime | None:
        return self.assignment.defender_arrived_at

    @property
    def psychologist_arrived_at(self) -> datetime.datetime | None:
        return self.assignment.psychologist_arrived_at

    @property
    def to_assignment(self) -> datetime.timedelta:
        return self.assigned_at - self.detained_at

    @property
    def to_defender(self) -> datetime.timedelta | None:
        return _since(self.detained_at, self.defender_arrived_at)

    @property
    def to_psychologist(self) -> datetime.timedelta | None:
        return _since(self.detained_at, self.psychologist_arrived_at)


def _since(start: datetime.datetime, moment: datetime.datetime | None) -> datetime.timedelta | None:
    return None if moment is None else moment - start


def measure(assignments: Iterable[OnDutyAssignment]) -> list[Measured]:
    """Each assignment with its detention and the first arrival of each person assigned: the
    assignment keeps them (handlers.on_event_recorded), so this reads nothing more."""
    return [Measured(assignment=a) for a in assignments]


@dataclass(frozen=True)
class Interval:
    """One measured interval over a set of assignments."""

    count: int  # assignments in the set
    measured: int  # of them with this interval recorded
    median_minutes: float | None
    within: list[tuple[int, int, float | None]]  # (hours, number within, share of count)


def _interval(minutes_each: list[float | None], targets: list[int]) -> Interval:
    minutes = sorted(m for m in minutes_each if m is not None)
    count = len(minutes_each)
    within = []
    for hours in targets:
        # At most the target counts as within it: 60 minutes is within 1 hour. An interval
        # not recorded (nobody arrived yet) counts against the target.
        number = bisect.bisect_right(minutes, hours * 60)
        within.append((hours, number, number / count if count else None))
    return Interval(
        count=count,
        measured=len(minutes),
        median_minutes=statistics.median(minutes) if minutes else None,
        within=within,
    )


class Minutes(Func):
    """Minutes from the first moment to the second, NULL when either is: computed by the
    database so that a period's figures fetch plain numbers, not timestamps to convert."""

    output_field = FloatField()

    def __init__(self, earlier: str, later: str) -> None:
        super().__init__(F(later), F(earlier))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))::float8 / 60",
            arg_joiner=" - ", **extra,
        )  # fmt: skip

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # julianday is a float of days: rounded to the millisecond, whole minutes stay whole.
        return self.as_sql(
            compiler, connection,
            template="ROUND((julianday(%(expressions)s)) * 86400.0, 3) / 60",
            arg_joiner=") - julianday(", **extra,
        )  # fmt: skip


@dataclass(frozen=True)
class Times:
    """What the figures read of one assignment (one row of an index-only scan), in minutes."""

    region_id: int
    state_paid: bool
    with_psychologist: bool
    to_assignment: float
    to_defender: float | None
    to_psychologist: float | None


@dataclass(frozen=True)
class Summary:
    label: str
    count: int
    state_paid: int
    to_assignment: Interval
    to_defender: Interval
    to_psychologist: Interval

    @property
    def state_paid_share(self) -> float | None:
        return self.state_paid / self.count if self.count else None


def summarise(label: str, rows: list[Times], targets: list[int]) -> Summary:
    with_psychologist = [r for r in rows if r.with_psychologist]
    return Summary(
        label=label,
        count=len(rows),
        state_paid=sum(1 for r in rows if r.state_paid),
        to_assignment=_interval([r.to_assignment for r in rows], targets),
        to_defender=_interval([r.to_defender for r in rows], targets),
        to_psychologist=_interval([r.to_psychologist for r in with_psychologist], targets),
    )


@dataclass(frozen=True)
class ResponseTimes:
    start: datetime.date
    end: datetime.date
    region: Territory | None
    targets: list[int]
    total: Summary
    by_region: list[Summary]
    rows: list[Measured]  # one page, newest first
    page: int
    pages: int


def assignments_for(
    actor: User, start: datetime.date, end: datetime.date, region: Territory | None = None
) -> OnDutyAssignmentQuerySet:
    """The assignments of a period of local dates the actor may see, each visibility branch
    bounded by the period (and the region) so that it reads the period's rows by index."""
    within = Q(assigned_at__gte=_local_midnight(start), assigned_at__lt=_local_midnight(end + DAY))
    if region is not None:
        within &= Q(region=region)
    return OnDutyAssignment.objects.visible_to(actor, within=within)


def _times(assignments: OnDutyAssignmentQuerySet) -> list[Times]:
    return [
        Times(region, paid, psychologist is not None, to_assignment, to_defender, to_psychologist)
        for region, paid, psychologist, to_assignment, to_defender, to_psychologist in (
            assignments.order_by().values_list(
                "region_id",
                "state_paid",
                "psychologist_id",
                Minutes("detained_at", "assigned_at"),
                Minutes("detained_at", "defender_arrived_at"),
                Minutes("detained_at", "psychologist_arrived_at"),
            )
        )
    ]


def response_times(
    *,
    actor: User,
    start: datetime.date,
    end: datetime.date,
    region: Territory | None = None,
    page: int = 1,
) -> ResponseTimes:
    """Times from detention to assignment and to arrival, per region and in all, for a period
    of assignment dates (local), within what the actor may see. Who may not read cases gets
    the figures only: `rows`, one page of assignments with their cases, stays empty for them.

    The figures read the period's assignments from one index (the times are kept on each
    assignment); only the page's rows are read with their cases and people."""
    found = assignments_for(actor, start, end, region)
    times = _times(found)
    targets = defence_rules().response_targets(end)
    grouped: dict[int, list[Times]] = defaultdict(list)
    for row in times:
        grouped[row.region_id].append(row)
    names = Territory.objects.in_bulk(list(grouped))
    by_region = [
        summarise(names[pk].name, grouped[pk], targets)
        for pk in sorted(grouped, key=lambda pk: names[pk].kato_code)
    ]
    size = settings.QORGAU_PAGE_SIZE
    pages = last_page(len(times), size)
    page = min(max(page, 1), pages)
    rows: list[Measured] = []
    if times and not figures_only(actor):
        # The page's ids first, then their rows: joined before the page is cut, the cases and
        # people of every assignment of the period would be read.
        newest = ("-assigned_at", "-id")
        ids = list(found.order_by(*newest).values_list("pk", flat=True)[(page - 1) * size :][:size])
        shown = (
            OnDutyAssignment.objects.filter(pk__in=ids)
            .select_related(
                "region", "accused__proceeding", "defender__user", "psychologist__user",
                "defender_shift__consultation",
            )
            .order_by(*newest)
        )  # fmt: skip
        rows = measure(shown)
    return ResponseTimes(
        start=start,
        end=end,
        region=region,
        targets=targets,
        total=summarise("", times, targets),
        by_region=by_region,
        rows=rows,
        page=page,
        pages=pages,
    )


def assignment_of(accused: Accused) -> Measured | None:
    """The minor's latest on-duty assignment with its measured times."""
    latest = (
        OnDutyAssignment.objects.filter(accused=accused)
        .select_related("defender", "psychologist")
        .order_by("-assigned_at", "-id")
        .first()
    )
    return measure([latest])[0] if latest else None


def awaiting_arrival(user: User, latest: int = 20) -> list[Measured]:
    """Of this member's latest assignments (as defender or psychologist), those whose arrival
    is not recorded. The member's assignments are a UNION ALL of two index scans (through
    their participations), not an OR over two joins that reads every assignment."""
    mine = (
        OnDutyAssignment.objects.filter(defender__user=user)
        .values("pk")
        .union(OnDutyAssignment.objects.filter(psychologist__user=user).values("pk"), all=True)
    )
    latest_rows = (
        OnDutyAssignment.objects.filter(pk__in=mine)
        .select_related("accused__proceeding", "accused__juvenile", "defender", "psychologist")
        .order_by("-assigned_at", "-id")[:latest]
    )
    return [
        row
        for row in measure(latest_rows)
        if (row.assignment.defender.user_id == user.pk and row.defender_arrived_at is None)
        or (
            row.assignment.psychologist is not None
            and row.assignment.psychologist.user_id == user.pk
            and row.psychologist_arrived_at is None
        )
    ]
