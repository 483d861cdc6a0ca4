"""Who sees a court case: the court, the parties, and for a criminal case its proceeding's
agencies. A civil or administrative case is never seen by the police or the prosecution
unless they are parties."""

import pytest

from qorgau.accounts.models import AgencyType, Role
from qorgau.courts.models import CourtCase
from tests import factories
from tests.courts.conftest import register

pytestmark = pytest.mark.django_db


def sees(user, case) -> bool:
    return CourtCase.objects.visible_to(user).filter(pk=case.pk).exists()


@pytest.fixture
def police(db):
    unit = factories.agency(AgencyType.JUVENILE_POLICE, factories.AUEZOV, "Әуезов ПБ КІБ")
    return factories.staff(Role.JUVENILE_POLICE_INSPECTOR, unit, username="police")


def test_the_court_sees_its_civil_case(civil, judge, court_social_worker):
    assert sees(judge, civil) is True
    assert sees(court_social_worker, civil) is True


def test_police_and_prosecution_do_not_see_a_civil_case_they_are_no_party_to(
    civil, police, prosecutor, investigator
):
    assert sees(police, civil) is False
    assert sees(prosecutor, civil) is False
    assert sees(investigator, civil) is False


def test_a_prosecutor_who_is_a_party_sees_the_civil_case(judge, juvenile, prosecutor):
    case = register(
        judge, juvenile, matter="deprivation",
        parties=[{"role": "prosecutor", "agency": prosecutor.agency}],
    )  # fmt: skip
    assert sees(prosecutor, case) is True


def test_the_police_unit_that_drew_up_the_protocol_sees_the_administrative_case(
    judge, juvenile, police, prosecutor
):
    case = register(
        judge, juvenile, "administrative",
        parties=[{"role": "protocol_body", "agency": police.agency}],
    )  # fmt: skip
    assert sees(police, case) is True
    assert sees(prosecutor, case) is False


def test_another_court_does_not_see_the_case(civil, other_judge):
    assert sees(other_judge, civil) is False


def test_the_criminal_case_is_seen_by_the_agencies_of_its_proceeding(
    in_court, file, outsider, police
):
    team = file.team
    for user in (team.investigator, team.prosecutor, team.defender, team.judge):
        assert sees(user, in_court) is True
    assert sees(outsider, in_court) is False
    assert sees(police, in_court) is False


def test_an_analyst_sees_no_case(civil, analyst):
    assert sees(analyst, civil) is False


def test_an_inactive_judge_sees_nothing(civil, judge):
    judge.is_active = False
    assert sees(judge, civil) is False
