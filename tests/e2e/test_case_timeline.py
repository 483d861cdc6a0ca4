"""An investigator records a detention and an interrogation in the browser and sees them."""

import datetime

import pytest
from django.utils import timezone, translation

from qorgau.accounts.models import AgencyType, Role
from qorgau.core.models import CriminalArticle
from qorgau.proceedings import services
from qorgau.proceedings.models import EventKind, ProceduralEvent
from qorgau.web.views.cases.timeline import interrogation_time
from tests import factories

# serialized_rollback: the flush after a live-server test must give back the reference data.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def open_case(investigator, prosecutor):
    """A theft three days ago at 10:00, Almaty time, by a boy of sixteen."""
    offence_at = (timezone.localtime() - datetime.timedelta(days=3)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    birth = offence_at.date() - datetime.timedelta(days=100)
    birth = birth.replace(year=birth.year - 16, day=min(birth.day, 28))
    return services.open_case(
        actor=investigator,
        number="267513010000042",
        registered_on=offence_at.date(),
        offence_at=offence_at,
        offence_place="Алматы, Абай даңғылы, 10",
        territory=factories.territory(factories.AUEZOV),
        juvenile=factories.juvenile(investigator, birth_date=birth),
        articles=[CriminalArticle.objects.get(article="188", part="2")],
        prosecutor=prosecutor,
    )


def fill_moment(page, field: str, day: datetime.date, time: str) -> None:
    page.fill(f"#id_{field}_on_0", str(day.day))
    page.fill(f"#id_{field}_on_1", str(day.month))
    page.fill(f"#id_{field}_on_2", str(day.year))
    page.fill(f"#id_{field}_time", time)


def choose_event(page, kind: str) -> None:
    page.locator("main a[href$='/events/new/']").click()
    page.wait_for_load_state()
    page.check(f"input[name=kind][value={kind}]")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/events/{kind}/")


def test_record_a_detention_and_an_interrogation_and_see_them_on_the_timeline(
    live_server, page, screenshot
):
    unit = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.AUEZOV, "Әуезов ауданының ПД")
    investigator = factories.staff(Role.INVESTIGATOR, unit, username="tergeushi")
    office = factories.agency(AgencyType.PROSECUTOR_OFFICE, factories.ALMATY_CITY)
    case = open_case(investigator, factories.staff(Role.PROSECUTOR, office))
    day = timezone.localtime(case.offence_at).date()

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "tergeushi")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    assert page.locator("html").get_attribute("lang") == "kk"
    assert case.number in page.locator(".govuk-caption-l").inner_text()

    # The detention: question page, then its own form.
    choose_event(page, "detention")
    fill_moment(page, "started", day, "12.30")
    page.fill("#id_place", "Әуезов ауданының полиция бөлімі")
    page.fill("#id_performed_by", "Сержант Сапаров Б.")
    page.check("#id_held_separately_0")
    screenshot("case-detention-form-kk")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/?minor=*")
    banner = page.locator(".govuk-notification-banner--success")
    assert translated("kk", "Event recorded") in banner.inner_text()

    # The interrogation with a break; a wrong end is refused first, with its field named.
    choose_event(page, "interrogation")
    fill_moment(page, "started", day, "14:10")
    page.fill("#id_ended_time", "13:00")
    page.fill("#id_break_1_start", "15:20")
    page.fill("#id_break_1_end", "15:35")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#id_ended_time']").count() == 1
    assert page.title().startswith(translated("kk", "Error:"))
    screenshot("case-interrogation-form-error-kk")
    assert ProceduralEvent.objects.filter(kind=EventKind.INTERROGATION).count() == 0
    page.fill("#id_ended_time", "1640")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"**/cases/{case.pk}/?minor=*")

    timeline = page.locator(".moj-timeline")
    items = timeline.locator(".moj-timeline__item")
    assert items.count() == 2
    interrogation = ProceduralEvent.objects.get(kind=EventKind.INTERROGATION)
    with translation.override("kk"):
        facts = interrogation_time(interrogation)
        detention_title = str(EventKind.DETENTION.label)
        interrogation_title = str(EventKind.INTERROGATION.label)
    assert "2" in facts and "15:20–15:35" in facts
    first, second = items.nth(0).inner_text(), items.nth(1).inner_text()
    assert interrogation_title.lower() in first.lower() and facts in first
    assert detention_title.lower() in second.lower()
    assert "Әуезов ауданының полиция бөлімі" in second
    assert timeline.locator("time").first.get_attribute("datetime").startswith(day.isoformat())
    screenshot("case-page-kk")
