"""What signing in keeps in the session, and who must confirm a sign-in with a second factor."""

import time
from typing import Any

from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import checks
from django.http import HttpRequest
from django.utils import timezone
from django_otp import user_has_device

from qorgau.accounts.models import Role, User

# Session keys: when the session began and was last used (Unix seconds), and whether the
# user had an authenticator app at sign-in (so an unconfirmed session costs no query).
STARTED_AT = "qorgau_started_at"
SEEN_AT = "qorgau_seen_at"
HAS_DEVICE = "qorgau_has_device"


def second_factor_required(user: User) -> bool:
    """True when one of the user's roles is configured to need a second factor."""
    required = settings.SECOND_FACTOR_ROLES
    return bool(required) and user.has_role(*required)


def has_second_factor(user: User) -> bool:
    return bool(user_has_device(user, confirmed=True))


def lockout_key(username: str) -> str:
    """The login as the lockout counts it (see backends.lockout_username)."""
    return username.strip().lower()


def active_lockouts(user: User) -> list[AccessAttempt]:
    """The addresses from which the user's login is locked now, newest first."""
    attempts = AccessAttempt.objects.filter(
        username=lockout_key(user.username),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
    ).order_by("-attempt_time")
    cool_off = settings.AXES_COOLOFF_TIME
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return list(attempts)


def on_logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED_AT] = now
    request.session[SEEN_AT] = now
    request.session[HAS_DEVICE] = has_second_factor(user)


def on_locked_out(
    sender: Any, request: HttpRequest | None, username: str | None, **kwargs: Any
) -> None:
    from qorgau.accounts.signin_services import record_lockout

    record_lockout(username=username or "")


def check_second_factor_roles(**kwargs: Any) -> list[checks.CheckMessage]:
    unknown = [role for role in settings.SECOND_FACTOR_ROLES if role not in Role.values]
    if not unknown:
        return []
    return [
        checks.Error(
            f"SECOND_FACTOR_ROLES names unknown roles: {', '.join(unknown)}",
            hint=f"Known roles: {', '.join(Role.values)}",
            id="qorgau.E001",
        )
    ]


def connect() -> None:
    user_logged_in.connect(on_logged_in, dispatch_uid="qorgau.signin.logged_in")
    user_locked_out.connect(on_locked_out, dispatch_uid="qorgau.signin.locked_out")
    checks.register(check_second_factor_roles)
