"""Sign-in and sign-out reach the audit trail through Django's auth signals, on every channel."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from qorgau.audit.services import record


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record(actor=user, action="auth.login", subject=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(actor=user, action="auth.logout", subject=user)


@receiver(user_login_failed)
def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
) -> None:
    # Only the login typed is kept; the password never is.
    record(
        actor=None,
        action="auth.login_failed",
        details={"username": str(credentials.get("username", ""))[:150]},
    )
