"""A prosecutor opens a child's record, then who saw it: readings, a change, a refusal."""

import pytest
from django.utils import translation

from qorgau.accounts.models import AgencyType, Role
from qorgau.people import services as people_services
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_prosecutor_sees_who_saw_the_childs_record(live_server, page, screenshot):
    unit = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.AUEZOV, "Әуезов ТБ")
    investigator = factories.staff(Role.INVESTIGATOR, unit, username="tergeushi")
    office = factories.agency(
        AgencyType.PROSECUTOR_OFFICE, factories.ALMATY_CITY, "Алматы прокуратурасы"
    )
    factories.staff(Role.PROSECUTOR, office, username="prokuror")
    astana = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.ASTANA, "Астана ТБ")
    factories.staff(Role.INVESTIGATOR, astana, username="astana")
    child = factories.juvenile(investigator)
    people_services.update_juvenile(actor=investigator, juvenile=child, school="№ 7 мектеп")
    people_services.view_juvenile(actor=investigator, juvenile_id=child.pk)

    # An investigator of another region tries the record: refused, and written down.
    sign_in(page, live_server, "astana")
    page.goto(f"{live_server.url}/juveniles/{child.pk}/")
    page.context.clear_cookies()

    sign_in(page, live_server, "prokuror")
    page.goto(f"{live_server.url}/juveniles/{child.pk}/")
    with translation.override("kk"):
        link = translation.gettext("Who saw this record")
        refused = translation.gettext("was refused access")
    page.get_by_role("link", name=link).click()
    page.wait_for_url(f"{live_server.url}/juveniles/{child.pk}/audit/")
    table = page.locator("table.govuk-table").inner_text()
    assert refused in table
    assert "Астана ТБ" in table
    assert "Әуезов ТБ" in table
    screenshot("record-trail-kk")
