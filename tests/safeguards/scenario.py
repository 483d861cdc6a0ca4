"""Clocks and look-ups the safeguard scenarios share (fixtures are in conftest.py)."""

import calendar
import datetime

from django.utils import timezone

from qorgau.accounts import services as account_services
from qorgau.accounts.models import User
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused
from qorgau.safeguards.models import Violation
from tests import factories
from tests.proceedings import factories as case_factories
from tests.proceedings.factories import CaseFile, Team

M = datetime.timedelta(minutes=1)
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)

OLD_OFFENCE_DAYS_AGO = 400


def old_offence_moment() -> datetime.datetime:
    moment = timezone.localtime(timezone.now() - OLD_OFFENCE_DAYS_AGO * D)
    if (moment.month, moment.day) in ((2, 28), (2, 29)):
        moment -= 3 * D
    return moment.replace(hour=9, minute=0, second=0, microsecond=0)


def new_file(
    team: Team, juvenile: Juvenile, offence_at: datetime.datetime, articles=("188/2",)
) -> CaseFile:
    """Another case of the same team, with the minor's people recorded."""
    case = case_factories.open_case(team, juvenile, offence_at=offence_at, articles=articles)
    return case_factories.add_people(CaseFile(team, case, case.accused.get()))


def local(day: datetime.date, hour: int = 0, minute: int = 0) -> datetime.datetime:
    """A moment of a day in Almaty time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def first_of_a_telling_month(after: datetime.date) -> datetime.date:
    """The first day of the next month whose previous month is shorter than the month five
    after it (March, May, July, October, December).

    At 02:00 Almaty time the first of such a month is still the previous month's last day in
    UTC: six months counted in UTC from there end days before six months counted in Almaty.
    """
    day = after.replace(day=1)
    while True:
        day = (day + 32 * D).replace(day=1)
        if day.month in (3, 5, 7, 10, 12):
            return day


def found(rule_id: str, accused: Accused | None = None) -> list[Violation]:
    """The violations of one rule, oldest first."""
    violations = Violation.objects.filter(rule_id=rule_id).order_by("id")
    if accused is not None:
        violations = violations.filter(accused=accused)
    return list(violations)


def the_one(rule_id: str, accused: Accused | None = None) -> Violation:
    violations = found(rule_id, accused)
    assert len(violations) == 1, violations
    return violations[0]


def proving(violation: Violation) -> list[tuple[str, datetime.datetime]]:
    """The events that prove a violation, as (kind, start) in time order."""
    return [(e.kind, e.started_at) for e in violation.events.order_by("started_at", "id")]


def train(*users: User) -> None:
    """Record a juvenile-justice course for each staff member."""
    for user in users:
        account_services.add_training(
            actor=factories.superuser(),
            user=user,
            course="Ювеналдық әділет негіздері",
            completed_on=timezone.localdate() - 400 * D,
            hours=72,
        )
