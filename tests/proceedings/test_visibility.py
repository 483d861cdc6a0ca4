"""Every agency taking part in a case sees it and its children's records; no other agency does."""

import pytest

from qorgau.accounts.models import AgencyType, Role, User
from qorgau.accounts.services import update_agency, update_staff
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole, Proceeding
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import add_participant
from tests import factories as base
from tests.proceedings import factories
from tests.proceedings.factories import minor


def sees(user: User) -> set[Proceeding]:
    fresh = User.objects.select_related("agency").get(pk=user.pk)
    return set(Proceeding.objects.visible_to(fresh))


def test_the_registering_and_investigating_unit_sees_the_case(case, investigator):
    colleague = base.staff(Role.INVESTIGATOR, investigator.agency)
    assert sees(investigator) == {case}
    assert sees(colleague) == {case}


def test_the_supervising_prosecutors_office_sees_the_case(case, prosecutor):
    colleague = base.staff(Role.PROSECUTOR, prosecutor.agency)
    assert sees(prosecutor) == {case}
    assert sees(colleague) == {case}


def test_the_court_sees_the_case_once_it_is_referred(file, judge):
    assert sees(judge) == set()
    file.drive(S.IN_COURT)
    assert sees(judge) == {file.case}


@pytest.mark.parametrize(
    ("persona", "role"),
    [("defender", ParticipantRole.DEFENDER), ("psychologist", ParticipantRole.SOCIAL_PSYCHOLOGIST)],
)
def test_a_participants_agency_sees_the_case_once_they_are_added(
    request, bare, investigator, persona, role
):
    staff = request.getfixturevalue(persona)
    colleague = base.staff(staff.roles[0], staff.agency)
    assert sees(staff) == set()
    add_participant(
        actor=investigator, proceeding=bare.case, role=role, accused=bare.accused, user=staff
    )
    assert sees(staff) == {bare.case}
    assert sees(colleague) == {bare.case}  # the whole bar or consultation takes part


def test_agencies_outside_the_case_do_not_see_it(file, outsider):
    file.drive(S.IN_COURT)
    strangers = [
        outsider,
        base.staff(Role.INVESTIGATOR, base.agency(AgencyType.INVESTIGATION_UNIT, "751110000")),
        base.staff(Role.PROSECUTOR, base.agency(AgencyType.PROSECUTOR_OFFICE, base.AUEZOV)),
        base.staff(Role.JUDGE, base.agency(AgencyType.JUVENILE_COURT, base.ALMATY_CITY)),
        base.staff(Role.DEFENCE_LAWYER, base.agency(AgencyType.LEGAL_CONSULTATION, base.AUEZOV)),
    ]
    for stranger in strangers:
        assert sees(stranger) == set(), stranger.roles


def test_analysts_and_administrators_see_no_case(case, analyst, administrator):
    assert sees(analyst) == set()
    assert sees(administrator) == set()


def test_the_superuser_sees_every_case(case):
    assert set(Proceeding.objects.visible_to(base.superuser())) == {case}


def test_an_inactive_account_sees_nothing(case, investigator):
    update_staff(actor=base.superuser(), user=investigator, is_active=False)
    assert sees(investigator) == set()


def test_staff_of_a_closed_agency_see_nothing(case, investigator):
    update_agency(actor=base.superuser(), agency=investigator.agency, is_active=False)
    assert sees(investigator) == set()


def test_each_agency_sees_only_its_own_cases(team, case, investigator, offence_day):
    almaly = base.staff(Role.INVESTIGATOR, base.agency(AgencyType.INVESTIGATION_UNIT, "751110000"))
    theirs = factories.open_case(team, minor(almaly, offence_day), investigator=almaly)
    assert sees(investigator) == {case}
    assert sees(almaly) == {theirs}
    assert sees(team.prosecutor) == {case, theirs}


# The child's record


def juveniles_seen(user: User) -> list[Juvenile]:
    fresh = User.objects.select_related("agency").get(pk=user.pk)
    return list(Juvenile.objects.visible_to(fresh))


@pytest.fixture
def astana_defender(db) -> User:
    bar = base.agency(AgencyType.LEGAL_CONSULTATION, base.ASTANA)
    return base.staff(Role.DEFENCE_LAWYER, bar)


def test_a_participant_agency_from_another_region_sees_the_child_through_the_case(
    bare, investigator, astana_defender, juvenile
):
    assert juveniles_seen(astana_defender) == []
    add_participant(
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.DEFENDER,
        accused=bare.accused,
        user=astana_defender,
    )
    assert juveniles_seen(astana_defender) == [juvenile]


def test_a_child_accused_in_two_cases_is_listed_once(
    team, bare, investigator, astana_defender, juvenile
):
    second = factories.open_case(team, juvenile, articles=("191/2",))
    for case in (bare.case, second):
        add_participant(
            actor=investigator,
            proceeding=case,
            role=ParticipantRole.DEFENDER,
            accused=case.accused.get(),
            user=astana_defender,
        )
    assert juveniles_seen(astana_defender) == [juvenile]
    assert Juvenile.objects.visible_to(astana_defender).count() == 1


def test_the_other_children_of_the_region_stay_hidden_from_the_case_team(
    bare, investigator, astana_defender, juvenile, offence_day
):
    minor(investigator, offence_day, 15, first_name="Ерлан")  # in no case
    add_participant(
        actor=investigator,
        proceeding=bare.case,
        role=ParticipantRole.DEFENDER,
        accused=bare.accused,
        user=astana_defender,
    )
    assert juveniles_seen(astana_defender) == [juvenile]


def test_the_court_sees_the_child_once_the_case_is_referred(file, juvenile):
    astana_court = base.agency(AgencyType.JUVENILE_COURT, base.ASTANA)
    judge = base.staff(Role.JUDGE, astana_court)
    assert juveniles_seen(judge) == []
    file.drive(S.INVESTIGATION)
    file.record(K.INDICTMENT)
    file.record(K.INDICTMENT_APPROVED, court=astana_court)
    assert juveniles_seen(judge) == [juvenile]
