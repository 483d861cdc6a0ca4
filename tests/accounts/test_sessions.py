"""Sessions end when idle, when too old, when the user signs out everywhere or changes password."""

import time

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from qorgau.accounts.signin import SEEN_AT, STARTED_AT
from qorgau.accounts.signin_services import sign_out_everywhere
from qorgau.audit.models import AuditEvent
from qorgau.web.middleware import MESSAGE_IDLE
from tests import factories


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def is_signed_in(client: Client) -> bool:
    response = client.get(reverse("home"))
    return response.status_code == 200


def backdate(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_sign_out_everywhere_ends_the_other_sessions_too(investigator):
    office, laptop = signed_in(investigator), signed_in(investigator)
    assert is_signed_in(office) and is_signed_in(laptop)
    response = office.post(reverse("sign_out_everywhere"))
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert is_signed_in(office) is False
    assert is_signed_in(laptop) is False
    event = AuditEvent.objects.get(action="auth.sign_out_everywhere")
    assert event.actor_id == investigator.pk
    assert event.changes == {"session_generation": [0, 1]}
    # Signing in again works, and the new session lives.
    again = Client()
    again.post(reverse("login"), {"username": "investigator", "password": factories.PASSWORD})
    assert is_signed_in(again)


def test_sign_out_everywhere_leaves_other_users_signed_in(investigator, prosecutor):
    mine, theirs = signed_in(investigator), signed_in(prosecutor)
    mine.post(reverse("sign_out_everywhere"))
    assert is_signed_in(theirs)


def test_sign_out_everywhere_needs_a_post(investigator):
    client = signed_in(investigator)
    assert client.get(reverse("sign_out_everywhere")).status_code == 405
    assert is_signed_in(client)


def test_an_administrator_ends_a_staff_members_sessions(investigator, administrator):
    victim = signed_in(investigator)
    admin = signed_in(administrator)
    response = admin.post(reverse("staff_sign_out", args=[investigator.pk]))
    assert response.status_code == 302
    assert is_signed_in(victim) is False
    assert is_signed_in(admin)
    event = AuditEvent.objects.get(action="auth.sign_out_everywhere")
    assert event.actor_id == administrator.pk
    assert event.subject_id == str(investigator.pk)


def test_nobody_else_ends_a_users_sessions(investigator, prosecutor):
    victim = signed_in(investigator)
    with pytest.raises(PermissionDenied):
        sign_out_everywhere(actor=prosecutor, user=investigator)
    assert (
        signed_in(prosecutor).post(reverse("staff_sign_out", args=[investigator.pk])).status_code
        == 403
    )
    assert is_signed_in(victim)
    assert not AuditEvent.objects.filter(action="auth.sign_out_everywhere").exists()


def test_a_new_password_ends_the_other_sessions(investigator):
    """Django mixes the password hash into each session's hash; the generation keeps that."""
    sign_out_everywhere(actor=investigator, user=investigator)
    investigator.refresh_from_db()
    other = signed_in(investigator)
    assert is_signed_in(other)
    investigator.set_password("another-long-passphrase-77")
    investigator.save()
    assert is_signed_in(other) is False


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_an_idle_session_ends_and_says_why(investigator):
    client = signed_in(investigator)
    backdate(client, SEEN_AT, 601)
    response = client.get(reverse("juvenile_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    with translation.override("kk"):
        expected = str(MESSAGE_IDLE % {"minutes": 10})
    assert [str(m) for m in page.context["messages"]] == [expected]
    assert "10 минут" in expected
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.actor_id == investigator.pk
    assert event.details == {"reason": "idle"}


@override_settings(SESSION_IDLE_TIMEOUT=600)
def test_activity_keeps_a_session_alive(investigator):
    client = signed_in(investigator)
    backdate(client, SEEN_AT, 599)
    assert is_signed_in(client)
    # The visit counted as activity: the idle clock started again.
    assert time.time() - client.session[SEEN_AT] < 5
    assert not AuditEvent.objects.filter(action="auth.session_expired").exists()


@override_settings(SESSION_COOKIE_AGE=3600)
def test_a_session_ends_at_its_absolute_limit_even_when_busy(investigator):
    client = signed_in(investigator)
    backdate(client, STARTED_AT, 3601)
    assert is_signed_in(client) is False
    event = AuditEvent.objects.get(action="auth.session_expired")
    assert event.details == {"reason": "age"}


def test_an_expired_api_session_gets_the_apis_401(investigator):
    client = signed_in(investigator)
    backdate(client, SEEN_AT, 10 * 3600)
    response = client.get("/api/me")
    assert response.status_code == 401
    assert response.json()["detail"][0]["field"] == "__all__"


def test_signing_in_starts_both_clocks(client, investigator):
    before = int(time.time())
    client.post(reverse("login"), {"username": "investigator", "password": factories.PASSWORD})
    assert client.session[STARTED_AT] >= before
    assert client.session[SEEN_AT] >= before
