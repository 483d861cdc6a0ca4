"""In the browser: a release dated before its detention is refused on its field, and the
timeline says in which role and for which agency each step was recorded."""

import datetime

import pytest
from django.utils import timezone, translation

from qorgau.accounts.models import AgencyType, Role
from qorgau.proceedings import services
from qorgau.proceedings.models import EventKind, ProceduralEvent
from tests import factories
from tests.e2e.test_case_timeline import choose_event, fill_moment, open_case, translated

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_release_before_the_detention_is_refused_and_the_timeline_names_the_role(
    live_server, page, screenshot
):
    unit = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.AUEZOV, "Әуезов ауданының ПД")
    investigator = factories.staff(Role.INVESTIGATOR, unit, username="tergeushi")
    office = factories.agency(AgencyType.PROSECUTOR_OFFICE, factories.ALMATY_CITY)
    case = open_case(investigator, factories.staff(Role.PROSECUTOR, office))
    accused = case.accused.get()
    day = timezone.localtime(case.offence_at).date()
    services.record_event(
        actor=investigator,
        accused=accused,
        kind=EventKind.DETENTION,
        started_at=case.offence_at + datetime.timedelta(hours=2),  # 12:00
        place="Әуезов ауданының полиция бөлімі",
        performed_by="Сержант Сапаров Б.",
        held_separately=True,
    )

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "tergeushi")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cases/{case.pk}/")

    choose_event(page, "release")
    fill_moment(page, "started", day, "11:00")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href^='#id_started']").count() == 1
    with translation.override("kk"):
        expected = translated(
            "kk", "The release cannot be dated before the detention or custody it ends (%(time)s)."
        )
    assert expected.split("(")[0].strip() in summary.inner_text()
    screenshot("case-release-before-detention-refused-kk")
    assert ProceduralEvent.objects.filter(kind=EventKind.RELEASE).count() == 0

    fill_moment(page, "started", day, "15:00")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/?minor=*")
    byline = page.locator(".moj-timeline__byline").first.inner_text()
    with translation.override("kk"):
        role = str(Role.INVESTIGATOR.label)
    assert role in byline and "Әуезов ауданының ПД" in byline
    screenshot("case-timeline-acting-role-kk")
