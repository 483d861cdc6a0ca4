"""Too many wrong passwords lock a login from an address; an administrator can unlock it."""

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from qorgau.accounts.signin import active_lockouts
from qorgau.accounts.signin_services import MESSAGE_NOT_LOCKED, unlock_sign_in
from qorgau.audit.models import AuditEvent
from qorgau.web.views.auth import MESSAGE_LOCKED
from tests import factories

LIMIT = settings.AXES_FAILURE_LIMIT
HOME = "10.1.1.1"
ELSEWHERE = "10.2.2.2"


def sign_in(client, password, username="investigator", address=HOME):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, times, username="investigator", address=HOME):
    return [sign_in(client, "wrong", username, address) for _ in range(times)]


def locked_text(language="kk"):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    with translation.override(language):
        return escape(str(MESSAGE_LOCKED % {"limit": LIMIT, "minutes": minutes}))


def test_the_limit_is_small_enough_to_matter():
    assert 3 <= LIMIT <= 10


def test_wrong_passwords_below_the_limit_leave_the_right_one_working(client, investigator):
    responses = fail(client, LIMIT - 1)
    assert {r.status_code for r in responses} == {200}
    response = sign_in(client, factories.PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(investigator.pk)


def test_the_limit_locks_the_login_and_even_the_right_password_is_refused(client, investigator):
    responses = fail(client, LIMIT)
    assert responses[-1].status_code == 429
    response = sign_in(client, factories.PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert locked_text("kk") in page
    assert "govuk-error-summary" in page
    assert response.context["has_errors"] is True


def test_twenty_wrong_passwords_then_the_right_one_is_still_refused(client, investigator):
    """The issue's own report: 20 wrong passwords, then the right one signed in."""
    fail(client, 20)
    assert sign_in(client, factories.PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_follows_the_browser_language(client, investigator):
    fail(client, LIMIT)
    response = client.post(
        reverse("login"),
        {"username": "investigator", "password": factories.PASSWORD},
        REMOTE_ADDR=HOME,
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert locked_text("ru") in response.content.decode()
    assert locked_text("ru") != locked_text("en")


def test_the_lock_counts_the_login_without_its_case(client, investigator):
    variants = ["Investigator", "INVESTIGATOR", "investigator ", "investigaTor", "investigator"]
    for variant in variants:
        sign_in(client, "wrong", username=variant)
    assert sign_in(client, factories.PASSWORD).status_code == 429


def test_the_lock_is_per_login_and_address(client, investigator, prosecutor):
    fail(client, LIMIT)
    assert sign_in(client, factories.PASSWORD, address=ELSEWHERE).status_code == 302
    client.logout()
    assert sign_in(client, factories.PASSWORD, username="prosecutor").status_code == 302


def test_failures_and_the_lockout_are_audited(client, investigator):
    fail(client, LIMIT)
    sign_in(client, factories.PASSWORD)
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    assert failed.count() == LIMIT + 1
    assert {event.ip_address for event in failed} == {HOME}
    lockouts = AuditEvent.objects.filter(action="auth.lockout")
    assert lockouts.count() >= 2  # when the limit is reached, and at the refused sign-in
    event = lockouts.first()
    assert event.subject_id == str(investigator.pk)
    assert event.details == {"username": "investigator"}
    assert event.ip_address == HOME
    assert event.channel == "web"
    assert not AuditEvent.objects.filter(action="auth.login").exists()


def test_a_lockout_of_an_unknown_login_is_audited_without_a_subject(client, db):
    fail(client, LIMIT, username="nobody")
    event = AuditEvent.objects.filter(action="auth.lockout").first()
    assert event.subject_id == ""
    assert event.details == {"username": "nobody"}


def test_a_successful_sign_in_clears_the_earlier_failures(client, investigator):
    fail(client, LIMIT - 1)
    assert sign_in(client, factories.PASSWORD).status_code == 302
    client.logout()
    fail(client, LIMIT - 1)
    assert sign_in(client, factories.PASSWORD).status_code == 302


def test_an_administrator_unlocks_a_login(client, investigator, administrator):
    fail(client, LIMIT)
    assert [a.ip_address for a in active_lockouts(investigator)] == [HOME]
    removed = unlock_sign_in(actor=administrator, user=investigator)
    assert removed == 1
    assert active_lockouts(investigator) == []
    event = AuditEvent.objects.get(action="auth.unlock")
    assert event.actor_id == administrator.pk
    assert event.subject_id == str(investigator.pk)
    assert event.details == {"addresses": [HOME], "attempts_removed": 1}
    assert sign_in(client, factories.PASSWORD).status_code == 302


def test_only_an_administrator_may_unlock(client, investigator, prosecutor):
    fail(client, LIMIT)
    with pytest.raises(PermissionDenied):
        unlock_sign_in(actor=prosecutor, user=investigator)
    assert AccessAttempt.objects.count() == 1
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()


def test_unlocking_a_login_that_is_not_locked_is_refused(investigator, administrator):
    with pytest.raises(ValidationError) as raised:
        unlock_sign_in(actor=administrator, user=investigator)
    assert raised.value.messages == [str(MESSAGE_NOT_LOCKED)]
    assert not AuditEvent.objects.filter(action="auth.unlock").exists()


def test_the_staff_page_shows_the_lock_and_unlocks_it(client, investigator, administrator):
    fail(client, LIMIT)
    client.force_login(administrator)
    page = client.get(reverse("staff_detail", args=[investigator.pk]))
    assert reverse("staff_unlock", args=[investigator.pk]) in page.content.decode()
    assert HOME in page.content.decode()
    response = client.post(reverse("staff_unlock", args=[investigator.pk]))
    assert response.status_code == 302
    assert active_lockouts(investigator) == []
    page = client.get(response["Location"])
    assert reverse("staff_unlock", args=[investigator.pk]) not in page.content.decode()


def test_the_unlock_button_is_for_administrators_only(client, investigator, prosecutor):
    fail(client, LIMIT)
    client.force_login(prosecutor)
    response = client.post(reverse("staff_unlock", args=[investigator.pk]))
    assert response.status_code == 403
    assert len(active_lockouts(investigator)) == 1


def test_unlock_by_get_is_not_allowed(client, investigator, administrator):
    client.force_login(administrator)
    assert client.get(reverse("staff_unlock", args=[investigator.pk])).status_code == 405
