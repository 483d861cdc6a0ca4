"""The probation inspector finds an overdue check-in on Today and records it (issue 13)."""

import datetime

import pytest
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role
from qorgau.probation import services
from qorgau.probation.models import CheckIn, Supervision
from qorgau.proceedings.models import EventKind
from tests import factories
from tests.proceedings import factories as case_factories
from tests.proceedings.factories import CaseFile, Team

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
D = datetime.timedelta(days=1)


def _supervision():
    unit = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.AUEZOV, "Әуезов ТБ")
    investigator = factories.staff(Role.INVESTIGATOR, unit)
    office = factories.agency(AgencyType.PROSECUTOR_OFFICE, factories.ALMATY_CITY)
    court = factories.agency(AgencyType.JUVENILE_COURT, factories.ALMATY_CITY)
    bar = factories.agency(AgencyType.LEGAL_CONSULTATION, factories.ALMATY_CITY)
    team = Team(
        investigator,
        factories.staff(Role.PROSECUTOR, office),
        factories.staff(Role.JUDGE, court),
        factories.staff(Role.DEFENCE_LAWYER, bar),
        factories.staff(Role.SOCIAL_PSYCHOLOGIST, bar),
    )
    service = factories.agency(AgencyType.PROBATION, factories.AUEZOV, "Әуезов пробациясы")
    inspector = factories.staff(Role.PROBATION_INSPECTOR, service, username="inspektor")
    offence = case_factories.offence_moment()
    child = case_factories.minor(investigator, timezone.localdate(offence), 16)
    case = case_factories.open_case(team, child, offence_at=offence)
    file = CaseFile(team, case, case.accused.get())
    file.drive("in_court")
    file.record(EventKind.JUDGMENT, verdict="conviction", punishment="community_works",
                term_months=4)  # fmt: skip
    file.record(EventKind.JUDGMENT_IN_FORCE)
    supervision = Supervision.objects.get()
    day = supervision.starts_on
    services.register(actor=inspector, supervision=supervision, registered_on=day + D)
    services.set_plan(actor=inspector, supervision=supervision, report_every_days=7,
                      first_check_in_on=day + 2 * D, work_hours=80,
                      obligations="22:00-ден кейін үйден шықпау.")  # fmt: skip
    supervision.refresh_from_db()
    return inspector, supervision


def _sign_in(page, url, username):
    page.goto(f"{url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{url}/")


def test_the_inspector_records_a_check_in_from_today(live_server, page, screenshot):
    inspector, supervision = _supervision()
    url = live_server.url
    _sign_in(page, url, "inspektor")
    assert "Мерзімі өткен тіркеуге келулер" in page.locator("main").inner_text()
    screenshot("probation-today-kk")
    page.locator("main").get_by_role("link", name=supervision.juvenile.full_name).first.click()
    page.wait_for_url(f"{url}/probation/{supervision.pk}/")
    screenshot("probation-supervision-kk")
    page.get_by_role("link", name="Тіркеуге келуді жазу").click()
    # The day is filled in with the check-in due; the inspector says the minor came.
    assert page.input_value("#id_due_on_0") == str(supervision.next_check_in_on.day)
    page.get_by_label("Келді", exact=True).check()
    screenshot("probation-check-in-kk")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{url}/probation/{supervision.pk}/")
    assert "Тіркеуге келу жазылды" in page.locator("body").inner_text()
    check_in = CheckIn.objects.get()
    assert (check_in.attendance, check_in.recorded_by) == ("attended", inspector)
    supervision.refresh_from_db()
    assert supervision.next_check_in_on == check_in.due_on + 7 * D

    # The same pages in Russian.
    inspector.language = "ru"
    inspector.save(update_fields=["language"])
    page.context.clear_cookies()
    _sign_in(page, url, "inspektor")
    page.goto(f"{url}/probation/")
    assert "Пробационный контроль" in page.locator("body").inner_text()
    screenshot("probation-caseload-ru")
    page.goto(f"{url}/probation/{supervision.pk}/")
    assert "Явка" in page.locator("main").inner_text()
    screenshot("probation-supervision-ru")
