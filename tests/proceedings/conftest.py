"""A case opened through `services.open_case`: a theft some days ago in Auezov district.

The `investigator` persona opens it and is in charge, the `prosecutor` persona supervises it,
and the `judge` persona's agency is the juvenile court it goes to.
"""

import datetime

import pytest
from django.utils import timezone

from qorgau.proceedings.models import Proceeding
from tests.proceedings import factories
from tests.proceedings.factories import CaseFile, Team


@pytest.fixture
def team(investigator, prosecutor, judge, defender, psychologist) -> Team:
    return Team(investigator, prosecutor, judge, defender, psychologist)


@pytest.fixture
def offence_at() -> datetime.datetime:
    return factories.offence_moment()


@pytest.fixture
def offence_day(offence_at) -> datetime.date:
    return timezone.localdate(offence_at)


@pytest.fixture
def juvenile(investigator, offence_day):
    """Sixteen on the day of the offence, whatever the day the suite runs."""
    return factories.minor(investigator, offence_day, 16)


@pytest.fixture
def case(team, juvenile, offence_at) -> Proceeding:
    return factories.open_case(team, juvenile, offence_at=offence_at)


@pytest.fixture
def bare(team, case) -> CaseFile:
    """The case as opened: nobody around the child yet."""
    return CaseFile(team, case, case.accused.get())


@pytest.fixture
def file(bare) -> CaseFile:
    """The case with the minor's legal representative, defender and social psychologist."""
    return factories.add_people(bare)
