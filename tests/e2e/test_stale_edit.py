import pytest

from qorgau.accounts.models import AgencyType, Role
from qorgau.people import services as people_services
from tests import factories

# serialized_rollback: the flush after a live-server test must give back the reference data.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_stale_edit_is_refused_and_shows_what_changed(live_server, page, screenshot):
    unit = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.AUEZOV, "Әуезов ТБ")
    investigator = factories.staff(Role.INVESTIGATOR, unit, username="tergeushi")
    colleague = factories.staff(Role.INVESTIGATOR, unit, username="ariptes")
    juvenile = factories.juvenile(investigator, school="№ 41 мектеп")

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "tergeushi")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/juveniles/{juvenile.pk}/edit/")
    # While the form is open, a colleague moves the child to another school.
    people_services.update_juvenile(actor=colleague, juvenile=juvenile, school="№ 12 гимназия")
    page.fill("#id_address", "Абай даңғылы, 10")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    summary = page.locator("#stale-edit")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "Сіз өңдеп жатқанда бұл жазбаны басқа біреу өзгертті" in text
    assert "№ 41 мектеп" in text and "№ 12 гимназия" in text
    assert page.input_value("#id_school") == "№ 12 гимназия"
    assert page.input_value("#id_address") == "Абай даңғылы, 10"
    screenshot("stale-edit-kk")
    juvenile.refresh_from_db()
    assert (juvenile.school, juvenile.address) == ("№ 12 гимназия", "")

    # Saving again from the re-shown form keeps both changes.
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/juveniles/{juvenile.pk}/")
    juvenile.refresh_from_db()
    assert (juvenile.school, juvenile.address) == ("№ 12 гимназия", "Абай даңғылы, 10")
