"""Safeguard scenarios are built on the proceedings' case files (tests/proceedings/conftest.py).

`file` is a theft (CC art. 188 part 2, medium gravity) ten days ago at 09:00, Almaty time, by
a boy of sixteen, with his legal representative, defender and social psychologist recorded;
`old_file` is the same some 400 days ago, for the rules counted in months.
"""

import pytest
from django.utils import timezone

from qorgau.proceedings.models import EventKind as K
from qorgau.safeguards.models import Violation
from tests.proceedings import conftest as proceedings_fixtures
from tests.proceedings import factories
from tests.proceedings.factories import CaseFile
from tests.safeguards.scenario import found, new_file, old_offence_moment

# The proceedings' fixtures, for the tests here too.
team = proceedings_fixtures.team
offence_at = proceedings_fixtures.offence_at
offence_day = proceedings_fixtures.offence_day
juvenile = proceedings_fixtures.juvenile
case = proceedings_fixtures.case
bare = proceedings_fixtures.bare
file = proceedings_fixtures.file


@pytest.fixture
def old_file(team) -> CaseFile:
    offence = old_offence_moment()
    minor = factories.minor(team.investigator, timezone.localdate(offence), 16)
    return new_file(team, minor, offence)


@pytest.fixture
def violation(file) -> Violation:
    """An open violation on the `file` case: the boy held together with adults."""
    file.record(K.DETENTION, held_separately=False)
    [found_one] = found("held_with_adults")
    return found_one
