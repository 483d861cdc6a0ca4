"""Who sees which juvenile: the region of the staff member's agency, or the registering agency."""

import pytest

from qorgau.accounts import services as account_services
from qorgau.accounts.models import AgencyType, Role
from qorgau.people.models import Juvenile
from tests import factories

BOSTANDYK = "751410000"


def visible(user) -> set[int]:
    return set(Juvenile.objects.visible_to(user).values_list("pk", flat=True))


@pytest.mark.parametrize("persona", ["investigator", "prosecutor", "defender", "judge"])
def test_almaty_staff_see_a_juvenile_living_in_auezov(request, persona, juvenile):
    assert visible(request.getfixturevalue(persona)) == {juvenile.pk}


def test_the_outsider_in_astana_does_not_see_an_almaty_juvenile(outsider, juvenile):
    assert visible(outsider) == set()
    assert Juvenile.objects.visible_to(outsider).filter(pk=juvenile.pk).exists() is False


@pytest.mark.parametrize("persona", ["analyst", "administrator"])
def test_analysts_and_administrators_see_no_juvenile(request, persona, juvenile):
    user = request.getfixturevalue(persona)
    assert user.has_perm("people.view_juvenile") is False
    assert visible(user) == set()


def test_the_analyst_sees_nothing_even_in_their_own_agencys_region(juvenile):
    analyst = factories.staff(Role.ANALYST, juvenile.registered_by_agency)
    assert visible(analyst) == set()


def test_a_juvenile_registered_in_astana_but_living_in_almaty_is_seen_by_both(
    outsider, investigator, prosecutor
):
    juvenile = factories.juvenile(outsider, address_territory=factories.territory(factories.AUEZOV))
    assert juvenile.registered_by_agency == outsider.agency
    assert visible(outsider) == {juvenile.pk}
    assert visible(investigator) == {juvenile.pk}
    assert visible(prosecutor) == {juvenile.pk}


def test_another_astana_agency_does_not_see_what_an_astana_agency_registered_for_almaty(outsider):
    factories.juvenile(outsider, address_territory=factories.territory(factories.AUEZOV))
    astana_court = factories.agency(AgencyType.JUVENILE_COURT, factories.ASTANA)
    assert visible(factories.staff(Role.JUDGE, astana_court)) == set()


def test_a_district_agency_sees_the_whole_city_of_its_district(investigator):
    registered_elsewhere = factories.agency(AgencyType.JUVENILE_POLICE, BOSTANDYK)
    inspector = factories.staff(Role.JUVENILE_POLICE_INSPECTOR, registered_elsewhere)
    in_bostandyk = factories.juvenile(inspector, address_territory=factories.territory(BOSTANDYK))
    in_the_city = factories.juvenile(
        inspector, address_territory=factories.territory(factories.ALMATY_CITY)
    )
    assert visible(investigator) == {in_bostandyk.pk, in_the_city.pk}


def test_almaty_city_staff_do_not_see_almaty_region_and_the_reverse(investigator, juvenile):
    region_police = factories.agency(AgencyType.JUVENILE_POLICE, factories.KARASAI)
    inspector = factories.staff(Role.JUVENILE_POLICE_INSPECTOR, region_police)
    in_karasai = factories.juvenile(
        inspector, address_territory=factories.territory(factories.KARASAI)
    )
    assert visible(inspector) == {in_karasai.pk}
    assert visible(investigator) == {juvenile.pk}


def test_a_juvenile_without_an_address_is_seen_only_by_the_registering_agency(
    investigator, prosecutor
):
    juvenile = factories.juvenile(investigator, address_territory=None)
    assert visible(investigator) == {juvenile.pk}
    assert visible(prosecutor) == set()


def test_an_inactive_user_sees_nothing(investigator, juvenile):
    account_services.update_staff(actor=factories.superuser(), user=investigator, is_active=False)
    investigator.refresh_from_db()
    assert visible(investigator) == set()


def test_a_reader_without_an_agency_sees_nothing(investigator, juvenile):
    # The services refuse this state; the query must stay closed if the data ever holds it.
    type(investigator).objects.filter(pk=investigator.pk).update(agency=None)
    investigator.refresh_from_db()
    assert investigator.has_perm("people.view_juvenile") is True
    assert visible(investigator) == set()


def test_losing_the_reading_role_hides_the_records(investigator, juvenile):
    account_services.set_roles(actor=factories.superuser(), user=investigator, roles=[Role.ANALYST])
    fresh = type(investigator).objects.get(pk=investigator.pk)
    assert visible(fresh) == set()


def test_staff_of_a_closed_agency_see_nothing(investigator, juvenile):
    account_services.update_agency(
        actor=factories.superuser(), agency=investigator.agency, is_active=False
    )
    fresh = type(investigator).objects.select_related("agency").get(pk=investigator.pk)
    assert visible(fresh) == set()
