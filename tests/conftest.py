"""Personas every test can ask for, as healthchecks' hc/test.py gives owner, member and stranger.

The investigator, prosecutor, defender, psychologist and judge work in Almaty city (Auezov
district); the outsider is an investigator in Astana, who must never see Almaty's records.
"""

import pytest
from django.utils import translation

from qorgau.accounts.models import AgencyType, Role, User
from tests import factories


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests first: a worker starts on each while the others share the rest; last,
    one of them would keep the whole run waiting for minutes."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture
def auezov_investigation(db):
    return factories.agency(AgencyType.INVESTIGATION_UNIT, factories.AUEZOV, "Әуезов ТБ")


@pytest.fixture
def investigator(auezov_investigation) -> User:
    return factories.staff(Role.INVESTIGATOR, auezov_investigation, username="investigator")


@pytest.fixture
def prosecutor(db) -> User:
    office = factories.agency(AgencyType.PROSECUTOR_OFFICE, factories.ALMATY_CITY)
    return factories.staff(Role.PROSECUTOR, office, username="prosecutor")


@pytest.fixture
def defender(db) -> User:
    bar = factories.agency(AgencyType.LEGAL_CONSULTATION, factories.ALMATY_CITY)
    return factories.staff(Role.DEFENCE_LAWYER, bar, username="defender")


@pytest.fixture
def psychologist(db) -> User:
    bar = factories.agency(AgencyType.LEGAL_CONSULTATION, factories.ALMATY_CITY)
    return factories.staff(Role.SOCIAL_PSYCHOLOGIST, bar, username="psychologist")


@pytest.fixture
def court_social_worker(judge) -> User:
    """A social worker of the judge's juvenile court."""
    return factories.staff(Role.COURT_SOCIAL_WORKER, judge.agency, username="courtsocial")


@pytest.fixture
def judge(db) -> User:
    court = factories.agency(AgencyType.JUVENILE_COURT, factories.ALMATY_CITY)
    return factories.staff(Role.JUDGE, court, username="judge")


@pytest.fixture
def analyst(db) -> User:
    return factories.staff(Role.ANALYST, username="analyst")


@pytest.fixture
def administrator(db) -> User:
    return factories.staff(Role.ADMINISTRATOR, None, username="administrator")


@pytest.fixture
def outsider(db) -> User:
    astana = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.ASTANA)
    return factories.staff(Role.INVESTIGATOR, astana, username="outsider")


@pytest.fixture
def juvenile(investigator):
    return factories.juvenile(investigator)


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts in the default language: a request in another one must not leak."""
    translation.deactivate()
    yield
    translation.deactivate()
