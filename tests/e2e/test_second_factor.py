"""In the browser: set up an app, sign in with its code, then with a recovery code; the lockout."""

import base64
import re
import time

import pytest
from django.conf import settings as django_settings
from django_otp.oath import TOTP

from qorgau.accounts.models import Role, User
from tests import factories

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def app_code(secret: str, ahead: int = 0) -> str:
    """What the phone's app shows for the key typed from the page."""
    totp = TOTP(base64.b32decode(secret.replace(" ", "")))
    totp.time = time.time() + 30 * ahead
    return f"{totp.token():06d}"


def password_step(page, base, username):
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()


def test_set_up_an_app_then_sign_in_with_a_code_and_a_recovery_code(
    live_server, page, screenshot, settings
):
    settings.SECOND_FACTOR_ROLES = ["investigator"]
    factories.staff(Role.INVESTIGATOR, username="tergeushi")
    base = live_server.url

    # A role that needs a second factor is sent to set one up right after the password.
    password_step(page, base, "tergeushi")
    page.wait_for_url(re.compile(r"/account/two-factor/"))
    assert page.locator("main svg").count() == 1
    secret = page.locator(".qg-secret").inner_text()
    screenshot("otp-setup-kk")
    page.fill("#id_token", app_code(secret))
    page.locator("main button[type=submit]").click()

    page.wait_for_url(re.compile(r"/account/recovery-codes/"))
    codes = [c.strip() for c in page.locator(".qg-codes code").all_inner_texts()]
    assert len(codes) == 10
    screenshot("otp-recovery-codes-kk")
    page.locator("main a.govuk-button").click()
    page.wait_for_url(f"{base}/")

    # Next sign-in: the password, then the code the app shows.
    page.context.clear_cookies()
    password_step(page, base, "tergeushi")
    page.wait_for_url(re.compile(r"/login/code/"))
    screenshot("otp-verify-kk")
    page.fill("#id_token", app_code(secret, 1))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/")

    # Without the phone: a recovery code, which then shows as used on the account page.
    page.context.clear_cookies()
    password_step(page, base, "tergeushi")
    page.wait_for_url(re.compile(r"/login/code/"))
    page.fill("#id_token", codes[0])
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/account/")
    assert "9" in page.locator("main").inner_text()
    screenshot("account-kk")


def test_the_sign_in_page_says_when_a_login_is_locked(live_server, page, screenshot):
    factories.staff(Role.PROSECUTOR, username="prokuror")
    base = live_server.url
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        page.goto(f"{base}/login/")
        page.fill("#id_username", "prokuror")
        page.fill("#id_password", "wrong-password")
        page.locator("main button[type=submit]").click()
        page.wait_for_load_state()
    password_step(page, base, "prokuror")
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "5" in summary and "30" in summary
    assert page.url.endswith("/login/")
    screenshot("login-locked-kk")

    # The administrator sees the lock on the staff page and lifts it.
    factories.staff(Role.ADMINISTRATOR, username="akimshi")
    page.context.clear_cookies()
    password_step(page, base, "akimshi")
    page.wait_for_url(f"{base}/")
    prosecutor = User.objects.get(username="prokuror")
    page.goto(f"{base}/staff/{prosecutor.pk}/")
    screenshot("staff-signin-locked-kk")
    page.locator(f"form[action='/staff/{prosecutor.pk}/unlock/'] button").click()
    page.wait_for_url(f"{base}/staff/{prosecutor.pk}/")
    assert page.locator(".govuk-notification-banner--success").count() == 1

    page.context.clear_cookies()
    password_step(page, base, "prokuror")
    page.wait_for_url(f"{base}/")
