"""Reads of the duty roster: consultations and members, the week's shifts, who is on duty."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.utils import timezone

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.core.models import Territory
from qorgau.defence.models import (
    ROLE_FOR_DUTY,
    Duty,
    DutyShift,
    DutyShiftQuerySet,
    reads_roster,
)
from qorgau.proceedings.models import (
    Accused,
    EventKind,
    Participant,
    ProceduralEvent,
)

MEMBER_ROLES = (Role.DEFENCE_LAWYER, Role.SOCIAL_PSYCHOLOGIST, Role.PSYCHOLOGY_INTERN)
DAY = datetime.timedelta(days=1)


def region_of(territory: Territory) -> Territory:
    """The top-level unit (region or city of republican significance) a territory lies in."""
    return territory.parent if territory.parent_id else territory  # type: ignore[return-value]


def regions() -> list[Territory]:
    return list(Territory.objects.filter(parent=None).order_by("kato_code"))


def require_roster_reader(user: User) -> None:
    """The roster pages and endpoints: refused to a closed agency's staff (DutyShift.visible_to)."""
    if not reads_roster(user):
        raise PermissionDenied(MESSAGE_NOT_ALLOWED)


# Consultations and their members


def consultations() -> list[Agency]:
    """Active juvenile legal consultations with their active staff and the staff's roles."""
    staff = User.objects.filter(is_active=True).prefetch_related("groups")
    return list(
        Agency.objects.active()
        .filter(agency_type=AgencyType.LEGAL_CONSULTATION)
        .select_related("territory__parent")
        .prefetch_related(Prefetch("staff", queryset=staff))
    )


@dataclass(frozen=True)
class Members:
    lawyers: list[User]
    psychologists: list[User]
    interns: list[User]

    @property
    def all(self) -> list[User]:
        return [*self.lawyers, *self.psychologists, *self.interns]


def members(consultation: Agency) -> Members:
    """The consultation's lawyers, social psychologists and interns, read from its staff."""
    people = [u for u in consultation.staff.all() if u.is_active]
    return Members(
        lawyers=[u for u in people if u.has_role(Role.DEFENCE_LAWYER)],
        psychologists=[u for u in people if u.has_role(Role.SOCIAL_PSYCHOLOGIST)],
        interns=[u for u in people if u.has_role(Role.PSYCHOLOGY_INTERN)],
    )


def is_member(user: User, consultation: Agency) -> bool:
    return user.is_active and user.agency_id == consultation.pk and user.has_role(*MEMBER_ROLES)


# The roster


def _shifts() -> DutyShiftQuerySet:
    return DutyShift.objects.active().select_related(
        "member", "intern", "consultation", "territory"
    )


def holds_duty(shift: DutyShift) -> bool:
    """Whether the member may still serve the shift: active, in the consultation, in the role."""
    member = shift.member
    return (
        member.is_active
        and shift.consultation.is_active
        and member.agency_id == shift.consultation_id
        and member.has_role(ROLE_FOR_DUTY[Duty(shift.duty)])
    )


@dataclass(frozen=True)
class OnDuty:
    region: Territory
    at: datetime.datetime
    defenders: list[DutyShift]
    psychologists: list[DutyShift]

    def shift_of(self, user: User, duty: str) -> DutyShift | None:
        shifts = self.defenders if duty == Duty.DEFENDER else self.psychologists
        return next((s for s in shifts if s.member_id == user.pk), None)


def on_duty(territory: Territory, at: datetime.datetime) -> OnDuty:
    """The defenders and psychologists on duty at a moment in the region of a territory."""
    region = region_of(territory)
    shifts = [
        s
        for s in DutyShift.objects.active()
        .filter(territory=region, starts_at__lte=at, ends_at__gt=at)
        .select_related("member", "intern", "consultation")
        .prefetch_related("member__groups")
        if holds_duty(s)
    ]
    return OnDuty(
        region=region,
        at=at,
        defenders=[s for s in shifts if s.duty == Duty.DEFENDER],
        psychologists=[s for s in shifts if s.duty == Duty.PSYCHOLOGIST],
    )


def week_start(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@dataclass(frozen=True)
class Gap:
    duty: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime

    @property
    def day(self) -> datetime.date:
        return timezone.localdate(self.starts_at)


def coverage_gaps(
    shifts: Iterable[DutyShift], duty: str, start: datetime.datetime, end: datetime.datetime
) -> list[Gap]:
    """The stretches of [start, end) no shift of this duty covers, split at local midnight."""
    spans = sorted(
        (max(s.starts_at, start), min(s.ends_at, end))
        for s in shifts
        if s.duty == duty and s.ends_at > start and s.starts_at < end
    )
    gaps: list[tuple[datetime.datetime, datetime.datetime]] = []
    cursor = start
    for span_start, span_end in spans:
        if span_start > cursor:
            gaps.append((cursor, span_start))
        cursor = max(cursor, span_end)
    if cursor < end:
        gaps.append((cursor, end))
    result = []
    for gap_start, gap_end in gaps:
        piece = gap_start
        while piece < gap_end:
            midnight = _local_midnight(timezone.localdate(piece) + DAY)
            result.append(Gap(duty, piece, min(midnight, gap_end)))
            piece = min(midnight, gap_end)
    return result


@dataclass(frozen=True)
class RosterDay:
    day: datetime.date
    defenders: list[DutyShift]
    psychologists: list[DutyShift]
    is_today: bool


@dataclass(frozen=True)
class Roster:
    region: Territory
    start: datetime.date
    days: list[RosterDay]
    gaps: list[Gap]
    now: datetime.datetime
    shifts: list[DutyShift] = field(default_factory=list)


def roster_week(region: Territory, start: datetime.date) -> Roster:
    """One week of the region's roster (Monday to Sunday) and the gaps in its 24/7 cover."""
    start = week_start(start)
    begin, end = _local_midnight(start), _local_midnight(start + 7 * DAY)
    shifts = list(
        DutyShift.objects.active()
        .filter(territory=region)
        .overlapping(begin, end)
        .select_related("member", "intern", "consultation", "territory")
        .prefetch_related("member__groups")
    )
    serving = [s for s in shifts if holds_duty(s)]
    now = timezone.now()
    today = timezone.localdate(now)
    days = []
    for offset in range(7):
        day = start + offset * DAY
        day_begin, day_end = _local_midnight(day), _local_midnight(day + DAY)
        on_day = [s for s in shifts if s.starts_at < day_end and s.ends_at > day_begin]
        days.append(
            RosterDay(
                day=day,
                defenders=[s for s in on_day if s.duty == Duty.DEFENDER],
                psychologists=[s for s in on_day if s.duty == Duty.PSYCHOLOGIST],
                is_today=day == today,
            )
        )
    gaps = sorted(
        coverage_gaps(serving, Duty.DEFENDER, begin, end)
        + coverage_gaps(serving, Duty.PSYCHOLOGIST, begin, end),
        key=lambda gap: (gap.starts_at, gap.duty),
    )
    return Roster(region=region, start=start, days=days, gaps=gaps, now=now, shifts=shifts)


def shifts_of(user: User, after: datetime.datetime, limit: int = 3) -> list[DutyShift]:
    """The member's current and next shifts (as member or accompanying intern)."""
    return list(
        _shifts()
        .filter(Q(member=user) | Q(intern=user), ends_at__gt=after)
        .order_by("starts_at")[:limit]
    )


# Assignments and the times they measure


def detention_of(
    accused: Accused, before: datetime.datetime | None = None
) -> ProceduralEvent | None:
    """The minor's latest detention (up to a moment): the one a defender is assigned for."""
    events = accused.events.filter(kind=EventKind.DETENTION)
    if before is not None:
        events = events.filter(started_at__lte=before)
    return events.order_by("-started_at", "-id").first()


def has_participant(accused: Accused, role: str) -> bool:
    """A defender or psychologist stands for this minor (or for every minor of the case)."""
    return Participant.objects.filter(
        Q(accused=accused) | Q(accused=None), proceeding_id=accused.proceeding_id, role=role
    ).exists()
