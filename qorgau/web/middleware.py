"""Session expiry, the second-factor gate and the security headers of every dynamic response."""

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.accounts.signin import HAS_DEVICE, SEEN_AT, STARTED_AT, second_factor_required
from qorgau.accounts.signin_services import record_session_expiry, refuse_unconfirmed

Handler = Callable[[HttpRequest], HttpResponse]

MESSAGE_IDLE = _("You were signed out after %(minutes)s minutes without activity. Sign in again.")
MESSAGE_TOO_OLD = _("Your session has reached its %(hours)s-hour limit. Sign in again.")
MESSAGE_CONFIRM_FIRST = _(
    "Confirm your sign-in first: enter the code from your authenticator app on the web "
    "sign-in page."
)
MESSAGE_ENROL_FIRST = _(
    "Your role needs a second factor: set up an authenticator app on the web first."
)

# Seconds between two writes of the last-seen time: the session is not saved on every request.
SEEN_RESOLUTION = 60

# Pages an unconfirmed sign-in may still open: the steps themselves, signing out, the language.
OPEN_URL_NAMES = ("otp_verify", "otp_setup", "logout", "set_language", "login")
PUBLIC_PREFIXES = ("/static/", "/healthz", "/favicon.ico")


def _signed_in(request: HttpRequest) -> User | None:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return user  # type: ignore[no-any-return]


def _json_error(message: object, status: int) -> JsonResponse:
    """The API's error shape; the web app cannot import the API's own helper (same floor)."""
    return JsonResponse(
        {"detail": [{"field": "__all__", "message": str(message)}]},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


class SessionExpiryMiddleware:
    """Ends a session idle longer than SESSION_IDLE_TIMEOUT or older than SESSION_COOKIE_AGE.

    Django's session cookie age alone would be renewed by every save of the session, so the
    absolute limit is checked here against the time of sign-in.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _signed_in(request)
        if user is not None:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request: HttpRequest, user: User) -> None:
        now = int(time.time())
        session = request.session
        started = session.get(STARTED_AT)
        seen = session.get(SEEN_AT)
        if started is None or seen is None:
            # A session opened before these keys existed: start counting now.
            session[STARTED_AT] = started or now
            session[SEEN_AT] = now
            return
        message = None
        if now - seen > settings.SESSION_IDLE_TIMEOUT:
            reason = "idle"
            message = MESSAGE_IDLE % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
        elif now - started > settings.SESSION_COOKIE_AGE:
            reason = "age"
            message = MESSAGE_TOO_OLD % {"hours": settings.SESSION_COOKIE_AGE // 3600}
        if message is None:
            if now - seen >= SEEN_RESOLUTION:
                session[SEEN_AT] = now
            return
        record_session_expiry(actor=user, reason=reason)
        session.flush()
        request.user = AnonymousUser()
        if not request.path.startswith("/api/"):
            messages.info(request, message)


class SecondFactorMiddleware:
    """Holds a signed-in user who must confirm with a code until they have done so.

    A user with an authenticator app is asked for a code after the password; a user of a role
    in SECOND_FACTOR_ROLES without one is sent to set one up first. The API answers 401 in the
    API's error shape until the web session is confirmed.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = _signed_in(request)
        if user is None or request.path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if user.is_verified():  # type: ignore[attr-defined]
            return self.get_response(request)
        if request.session.get(HAS_DEVICE):
            step, message = "otp_verify", MESSAGE_CONFIRM_FIRST
        elif second_factor_required(user):
            step, message = "otp_setup", MESSAGE_ENROL_FIRST
        else:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            refuse_unconfirmed(actor=user)
            return _json_error(message, 401)
        if request.path in {reverse(name) for name in OPEN_URL_NAMES}:
            # The navigation would only lead back here: the pages hide it.
            request.second_factor_pending = True  # type: ignore[attr-defined]
            return self.get_response(request)
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store` and a deny-all `Permissions-Policy` on every dynamic response.

    Static files are answered by WhiteNoise before this runs and keep their long caching.
    Everything else is no-store: pages about children, the API, and also the sign-in and
    error pages, which may echo a login or a name. No page would gain from being cached, and a
    rule that sorted responses by content could miss one.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.policy = ", ".join(f"{feature}=()" for feature in settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", self.policy)
        return response
