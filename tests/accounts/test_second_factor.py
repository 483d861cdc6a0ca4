"""The second factor: set-up, the code after the password, recovery codes, the API's refusal."""

import time
from binascii import unhexlify

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qorgau.accounts.signin_services import (
    MESSAGE_ENROL_CODE,
    MESSAGE_WRONG_CODE,
    enrol_totp,
    new_totp_key,
    regenerate_recovery_codes,
    reset_second_factor,
)
from qorgau.audit.models import AuditEvent
from qorgau.web.middleware import MESSAGE_CONFIRM_FIRST, MESSAGE_ENROL_FIRST
from qorgau.web.views.account import SETUP_KEY
from tests import factories
from tests.api.conftest import errors, translated

REQUIRED = override_settings(SECOND_FACTOR_ROLES=["investigator", "prosecutor"])
NO_THROTTLE = override_settings(OTP_TOTP_THROTTLE_FACTOR=0, OTP_STATIC_THROTTLE_FACTOR=0)


def code(key: str, ahead: int = 0) -> str:
    """The app's code for `key`, `ahead` time steps from now (1: the next step)."""
    totp = TOTP(unhexlify(key.encode()))
    totp.time = time.time() + 30 * ahead
    return f"{totp.token():06d}"


def enrolled(user):
    """Set up an app for `user`; returns the key and the recovery codes."""
    key = new_totp_key()
    _, codes = enrol_totp(actor=user, key=key, token=code(key))
    return key, codes


def password_sign_in(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    return response


# Who is asked ------------------------------------------------------------------------------


def test_nobody_is_asked_when_no_role_is_configured(client, investigator):
    client.force_login(investigator)
    assert client.get(reverse("juvenile_list")).status_code == 200


@REQUIRED
def test_a_configured_role_without_an_app_is_sent_to_set_one_up(client, investigator):
    client.force_login(investigator)
    response = client.get(reverse("juvenile_list"))
    assert response.status_code == 302
    assert response["Location"] == reverse("otp_setup") + "?next=%2Fjuveniles%2F"


@REQUIRED
def test_a_role_not_configured_is_not_asked(client, analyst):
    client.force_login(analyst)
    assert client.get(reverse("home")).status_code == 200


@REQUIRED
def test_the_api_refuses_a_configured_role_without_an_app(client, investigator):
    client.force_login(investigator)
    response = client.get("/api/me")
    assert response.status_code == 401
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_ENROL_FIRST)]}
    event = AuditEvent.objects.get(action="auth.otp_missing")
    assert event.actor_id == investigator.pk
    assert event.channel == "api"


@REQUIRED
def test_an_unconfirmed_session_may_still_sign_out_and_change_language(client, investigator):
    client.force_login(investigator)
    assert client.post(reverse("set_language"), {"language": "ru"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# Setting up an app -------------------------------------------------------------------------


@REQUIRED
def test_setting_up_an_app_shows_the_key_and_gives_recovery_codes_once(client, investigator):
    client.force_login(investigator)
    page = client.get(reverse("otp_setup"), {"next": "/juveniles/"})
    assert page.status_code == 200
    key = client.session[SETUP_KEY]
    body = page.content.decode()
    assert "<svg" in body
    secret = page.context["secret"]
    assert secret.replace(" ", "") in body.replace(" ", "")

    response = client.post(reverse("otp_setup"), {"token": code(key), "next": "/juveniles/"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("recovery_codes"))
    device = TOTPDevice.objects.get(user=investigator)
    assert device.confirmed is True
    assert device.key == key

    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10
    assert all(c in shown.content.decode() for c in codes)
    assert shown.context["next"] == "/juveniles/"
    # Shown once: the page does not show them again.
    assert client.get(reverse("recovery_codes")).status_code == 302
    # The session that set up the app is confirmed.
    assert client.get(reverse("juvenile_list")).status_code == 200
    event = AuditEvent.objects.get(action="auth.otp_enrol")
    assert event.actor_id == investigator.pk
    assert event.details == {"recovery_codes": 10}


def test_a_wrong_code_at_set_up_is_refused_and_nothing_is_kept(client, investigator):
    client.force_login(investigator)
    client.get(reverse("otp_setup"))
    key = client.session[SETUP_KEY]
    wrong = f"{(int(code(key)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("otp_setup"), {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors == {"token": [str(MESSAGE_ENROL_CODE)]}
    assert not TOTPDevice.objects.exists()
    assert not AuditEvent.objects.filter(action="auth.otp_enrol").exists()


def test_an_empty_code_names_the_field(client, investigator):
    client.force_login(investigator)
    client.get(reverse("otp_setup"))
    response = client.post(reverse("otp_setup"), {"token": ""})
    assert list(response.context["form"].errors) == ["token"]


def test_enrolment_refuses_a_code_for_another_key(investigator):
    with pytest.raises(ValidationError):
        enrol_totp(actor=investigator, key=new_totp_key(), token=code(new_totp_key()))
    assert not TOTPDevice.objects.exists()


def test_a_password_alone_cannot_replace_the_app(client, investigator):
    """Whoever has only the password must not put their own phone on the account."""
    enrolled(investigator)
    password_sign_in(client, investigator)
    response = client.get(reverse("otp_setup"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("otp_verify"))


# Signing in with a code --------------------------------------------------------------------


def test_a_user_with_an_app_is_asked_for_a_code_after_the_password(client, investigator):
    key, _ = enrolled(investigator)
    password_sign_in(client, investigator)
    response = client.get(reverse("juvenile_list"))
    assert response["Location"] == reverse("otp_verify") + "?next=%2Fjuveniles%2F"
    response = client.post(reverse("otp_verify"), {"token": code(key, 1), "next": "/juveniles/"})
    assert response.status_code == 302
    assert response["Location"] == "/juveniles/"
    assert client.get(reverse("juvenile_list")).status_code == 200
    event = AuditEvent.objects.filter(action="auth.otp_verify").get()
    assert event.details == {"method": "app"}


def test_the_api_refuses_until_the_code_is_given(client, investigator):
    key, _ = enrolled(investigator)
    password_sign_in(client, investigator)
    response = client.get("/api/me")
    assert response.status_code == 401
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_CONFIRM_FIRST)]}
    client.post(reverse("otp_verify"), {"token": code(key, 1)})
    assert client.get("/api/me").status_code == 200


def test_a_wrong_code_is_refused_audited_and_slows_the_next_try(client, investigator):
    key, _ = enrolled(investigator)
    password_sign_in(client, investigator)
    wrong = f"{(int(code(key, 1)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("otp_verify"), {"token": wrong})
    assert response.status_code == 200
    assert response.context["form"].errors == {"token": [str(MESSAGE_WRONG_CODE)]}
    assert AuditEvent.objects.filter(action="auth.otp_failed").count() == 1
    # Right away, even the right code waits: each wrong code doubles the wait.
    response = client.post(reverse("otp_verify"), {"token": code(key, 1)})
    assert "token" in response.context["form"].errors
    assert client.get("/api/me").status_code == 401
    assert AuditEvent.objects.filter(action="auth.otp_failed").count() == 2


def test_a_code_is_not_accepted_twice(client, investigator):
    key, _ = enrolled(investigator)
    with NO_THROTTLE:
        password_sign_in(client, investigator)
        client.post(reverse("otp_verify"), {"token": code(key, 1)})
        client.logout()
        password_sign_in(client, investigator)
        response = client.post(reverse("otp_verify"), {"token": code(key, 1)})
    assert response.status_code == 200
    assert client.get("/api/me").status_code == 401


def test_next_never_leads_off_the_site(client, investigator):
    key, _ = enrolled(investigator)
    password_sign_in(client, investigator)
    response = client.post(
        reverse("otp_verify"), {"token": code(key, 1), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


# Recovery codes ----------------------------------------------------------------------------


def test_a_recovery_code_works_once(client, investigator):
    _, codes = enrolled(investigator)
    with NO_THROTTLE:
        password_sign_in(client, investigator)
        response = client.post(reverse("otp_verify"), {"token": codes[0].upper()})
        assert response.status_code == 302
        assert client.get("/api/me").status_code == 200
        event = AuditEvent.objects.get(action="auth.otp_verify")
        assert event.details == {"method": "recovery_code", "recovery_codes_left": 9}

        client.logout()
        password_sign_in(client, investigator)
        response = client.post(reverse("otp_verify"), {"token": codes[0]})
        assert response.context["form"].errors == {"token": [str(MESSAGE_WRONG_CODE)]}
        assert client.get("/api/me").status_code == 401
        assert client.post(reverse("otp_verify"), {"token": codes[1]}).status_code == 302


def test_new_recovery_codes_replace_the_old_ones(client, investigator):
    _, old = enrolled(investigator)
    new = regenerate_recovery_codes(actor=investigator)
    assert len(new) == 10
    assert set(new).isdisjoint(old)
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert tokens == set(new)
    assert AuditEvent.objects.filter(action="auth.recovery_codes").count() == 1


def test_the_account_page_makes_new_recovery_codes(client, investigator):
    key, _ = enrolled(investigator)
    password_sign_in(client, investigator)
    client.post(reverse("otp_verify"), {"token": code(key, 1)})
    response = client.post(reverse("recovery_codes"))
    assert response["Location"] == reverse("recovery_codes")
    shown = client.get(reverse("recovery_codes")).context["codes"]
    assert set(shown) == set(StaticToken.objects.values_list("token", flat=True))


def test_new_recovery_codes_need_an_app(investigator):
    with pytest.raises(ValidationError):
        regenerate_recovery_codes(actor=investigator)
    assert not AuditEvent.objects.filter(action="auth.recovery_codes").exists()


# An administrator removes a lost app -------------------------------------------------------


@REQUIRED
def test_an_administrator_removes_a_lost_app(client, investigator, administrator):
    enrolled(investigator)
    client.force_login(investigator)
    admin = type(client)()
    admin.force_login(administrator)
    response = admin.post(reverse("staff_reset_second_factor", args=[investigator.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=investigator).exists()
    assert not StaticToken.objects.filter(device__user=investigator).exists()
    event = AuditEvent.objects.get(action="auth.otp_reset")
    assert event.actor_id == administrator.pk
    assert event.subject_id == str(investigator.pk)
    # The staff member's sessions ended; at the next sign-in they set up a new app.
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))
    password_sign_in(client, investigator)
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_setup"))


def test_only_an_administrator_removes_an_app(client, investigator, prosecutor):
    enrolled(investigator)
    client.force_login(prosecutor)
    response = client.post(reverse("staff_reset_second_factor", args=[investigator.pk]))
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=investigator).exists()


def test_removing_an_app_that_does_not_exist_is_refused(investigator, administrator):
    with pytest.raises(ValidationError):
        reset_second_factor(actor=administrator, user=investigator)
    assert not AuditEvent.objects.filter(action="auth.otp_reset").exists()


@REQUIRED
def test_the_set_up_page_hides_the_navigation_it_would_only_lead_back(client, investigator):
    client.force_login(investigator)
    assert client.get(reverse("otp_setup")).context["nav_items"] == []
    key = client.session[SETUP_KEY]
    client.post(reverse("otp_setup"), {"token": code(key)})
    assert client.get(reverse("home")).context["nav_items"] != []


def test_an_unknown_role_in_the_setting_stops_the_start_up():
    from qorgau.accounts.signin import check_second_factor_roles

    with override_settings(SECOND_FACTOR_ROLES=["investigator", "sherif"]):
        found = check_second_factor_roles()
    assert [(m.id, "sherif" in m.msg) for m in found] == [("qorgau.E001", True)]
    with override_settings(SECOND_FACTOR_ROLES=["investigator"]):
        assert check_second_factor_roles() == []
