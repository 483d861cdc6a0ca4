"""A consultation in Almaty city with a lawyer, a psychologist and an intern, shifts covering
the night of a detention, and the case of tests/proceedings (opened through its services)."""

import datetime

import pytest

from qorgau.accounts.models import Role, User
from qorgau.defence import services
from qorgau.defence.models import Duty, DutyShift
from qorgau.proceedings.models import EventKind
from tests import factories
from tests.proceedings.conftest import bare, case, juvenile, offence_at, offence_day, team
from tests.proceedings.factories import CaseFile

__all__ = ["bare", "case", "juvenile", "offence_at", "offence_day", "team"]

H = datetime.timedelta(hours=1)


@pytest.fixture
def bar(defender):
    """The defender persona's consultation."""
    return defender.agency


@pytest.fixture
def lawyer(defender) -> User:
    return defender


@pytest.fixture
def bar_psychologist(bar) -> User:
    return factories.staff(Role.SOCIAL_PSYCHOLOGIST, bar, username="barpsy")


@pytest.fixture
def intern(bar) -> User:
    return factories.staff(Role.PSYCHOLOGY_INTERN, bar, username="intern")


def shift(actor, member, duty, start, hours=12, **extra) -> DutyShift:
    return services.add_shift(
        actor=actor,
        consultation=member.agency,
        member=member,
        duty=duty,
        starts_at=start,
        ends_at=start + hours * H,
        **extra,
    )


@pytest.fixture
def night_shifts(bare, lawyer, bar_psychologist):
    """The lawyer and the psychologist on duty from the offence for 12 hours."""
    start = bare.offence
    return (
        shift(lawyer, lawyer, Duty.DEFENDER, start),
        shift(lawyer, bar_psychologist, Duty.PSYCHOLOGIST, start),
    )


@pytest.fixture
def detained(bare) -> CaseFile:
    """The minor detained an hour after the offence."""
    bare.record(EventKind.DETENTION, at=bare.offence + H)
    return bare
