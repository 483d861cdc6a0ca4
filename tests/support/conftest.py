"""A case in court (so the court's social worker takes part), and the assessors around it."""

import pytest

from qorgau.accounts.models import Role
from qorgau.proceedings.models import Stage
from qorgau.support.instrument import forget_library
from tests import factories
from tests.proceedings.conftest import bare, case, file, juvenile, offence_at, offence_day, team

__all__ = ["bare", "case", "file", "juvenile", "offence_at", "offence_day", "team"]


@pytest.fixture
def in_court(file):
    """The minor's case referred to the judge's court: its social worker is in the case team."""
    file.drive(Stage.IN_COURT)
    return file


@pytest.fixture
def probation_inspector(db):
    from qorgau.accounts.models import AgencyType

    office = factories.agency(AgencyType.PROBATION, factories.ASTANA)
    return factories.staff(Role.PROBATION_INSPECTOR, office, username="probation")


@pytest.fixture(autouse=True)
def fresh_library():
    forget_library()
    yield
    forget_library()
