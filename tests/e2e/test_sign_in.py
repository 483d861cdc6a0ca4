import pytest
from django.utils import translation

from qorgau.accounts.models import Role
from tests import factories

# serialized_rollback: the flush after a live-server test must give back the reference data.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def translated(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def test_sign_in_see_the_home_page_in_kazakh_then_switch_to_russian(live_server, page, screenshot):
    factories.staff(Role.INVESTIGATOR, username="tergeushi")
    today_kk, today_ru = translated("kk", "Today"), translated("ru", "Today")
    assert today_kk != "Today", "the Kazakh catalogue must translate the navigation"

    page.goto(f"{live_server.url}/login/")
    assert page.locator("html").get_attribute("lang") == "kk"
    page.fill("#id_username", "tergeushi")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".govuk-service-navigation").inner_text().find(today_kk) >= 0
    screenshot("home-kk")

    page.locator("button[name=language][value=ru]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert today_ru in page.locator(".govuk-service-navigation").inner_text()
    screenshot("home-ru")

    # The choice is remembered on the account: a new sign-in opens in Russian.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "tergeushi")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("html").get_attribute("lang") == "ru"
