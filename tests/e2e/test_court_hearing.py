"""The judge schedules a hearing in the browser: from Today to the case page, the form, and
the calendar; the case page in Kazakh and Russian as the judge sees it."""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role
from qorgau.courts import services
from qorgau.courts.models import Hearing
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_the_judge_schedules_a_hearing(live_server, page, screenshot):
    court = factories.agency(
        AgencyType.JUVENILE_COURT, factories.ALMATY_CITY, "Алматы ювеналдық соты"
    )
    judge = factories.staff(Role.JUDGE, court, username="sudya")
    social = factories.staff(Role.COURT_SOCIAL_WORKER, court, username="aleumettik")
    police = factories.agency(AgencyType.JUVENILE_POLICE, factories.AUEZOV, "Әуезов ПБ")
    inspector = factories.staff(Role.JUVENILE_POLICE_INSPECTOR, police, username="inspektor")
    child = factories.juvenile(inspector)
    room = services.add_courtroom(actor=judge, court=court, name="№ 2")
    case = services.register_case(
        actor=judge, court=court, kind="civil", juvenile=child,
        received_at=timezone.now() - datetime.timedelta(days=3), judge=judge,
        matter="residence", summary="Баланың тұратын жерін анықтау туралы.",
        parties=[{"role": "claimant", "full_name": "Сейітова Айгүл Маратқызы"},
                 {"role": "respondent", "full_name": "Сейітов Марат Болатұлы"}],
    )  # fmt: skip
    assert social  # the court's social worker exists; the case needs no report

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "sudya")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Сот", exact=True).first.click()
    page.get_by_role("link", name="Сот істері").first.click()
    page.get_by_role("link", name=case.number).click()
    page.wait_for_url(f"{live_server.url}/court/cases/{case.pk}/")
    page.get_by_role("button", name="Сот отырысын тағайындау").click()

    day = timezone.localdate() + datetime.timedelta(days=2)
    page.fill("input[name=on_day]", str(day.day))
    page.fill("input[name=on_month]", str(day.month))
    page.fill("input[name=on_year]", str(day.year))
    page.fill("#id_time", "10.30")
    page.fill("#id_minutes", "90")
    page.select_option("#id_courtroom", str(room.pk))
    screenshot("court-schedule-kk")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/court/cases/{case.pk}/")
    assert "Сот отырысы тағайындалды" in page.locator("main").inner_text()
    hearing = Hearing.objects.get()
    assert timezone.localtime(hearing.starts_at).strftime("%H:%M") == "10:30"
    assert hearing.duration_minutes == 90 and hearing.courtroom == room
    screenshot("court-case-kk")

    # The same time again in another courtroom: the judge is taken, and the form says so.
    services.add_courtroom(actor=judge, court=court, name="№ 3")
    page.goto(f"{live_server.url}/court/cases/{case.pk}/hearings/new/")
    page.fill("input[name=on_day]", str(day.day))
    page.fill("input[name=on_month]", str(day.month))
    page.fill("input[name=on_year]", str(day.year))
    page.fill("#id_time", "11:00")
    page.fill("#id_minutes", "30")
    page.select_option("#id_courtroom", label="№ 3")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert (
        "Судьяның бұл уақытта сот отырысы бар" in page.locator(".govuk-error-summary").inner_text()
    )
    screenshot("court-schedule-clash-kk")
    assert Hearing.objects.count() == 1

    page.goto(f"{live_server.url}/court/?week={day.isoformat()}")
    assert case.number in page.locator("main").inner_text()
    screenshot("court-calendar-kk")

    # In Russian.
    page.goto(f"{live_server.url}/")
    page.get_by_role("button", name="Русский").first.click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/court/cases/{case.pk}/")
    assert "Судебные заседания" in page.locator("main").inner_text()
    screenshot("court-case-ru")
    page.goto(f"{live_server.url}/")
    screenshot("court-today-ru")
