"""The sign-in lockout (django-axes) as this project uses it."""

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest

from qorgau.accounts.models import User


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]
    """Refuses a login locked after too many failures; signs nobody in by itself.

    Only sign-ins over HTTP are counted and locked: they carry the address the lockout is keyed
    on. Code that authenticates without a request (the test client's `login`) passes through.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if request is None:
            return None
        super().authenticate(request, username=username, password=password, **kwargs)
        return None


def lockout_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The login the failures are counted on: as typed, without case or surrounding spaces.

    Without this, «Investigator» and «investigator» would be counted apart, so a guesser could
    double the attempts by changing the case of the login.
    """
    raw = (credentials or {}).get("username")
    if raw is None:
        raw = request.POST.get("username")
    if raw is None:
        return None
    return str(raw).strip().lower()
