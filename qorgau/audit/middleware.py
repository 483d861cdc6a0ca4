from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from qorgau.accounts.models import User
from qorgau.audit.context import Origin, current_origin
from qorgau.audit.refusals import reason_of, subject_of
from qorgau.audit.services import record_refusal

REFUSED = {403, 404}
# Where the middleware keeps the exception behind a refusal until the response is out.
_EXCEPTION = "_audit_refusal_exception"


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is the proxy when behind one; the deployment sets the real address there.
    return request.META.get("REMOTE_ADDR") or None


def note_refusal(request: HttpRequest, exception: BaseException) -> None:
    """Keep why a request was refused; the API's error handlers call this, as views cannot."""
    setattr(request, _EXCEPTION, exception)


class AuditContextMiddleware:
    """Sets where the request comes from, and audits every refusal of a signed-in user.

    A 403, or a 404 from a matched URL (a record that does not exist or that the access
    checks hide), writes an `access.refused` row naming the record the URL is about; on the
    web and the API alike, for every present and future page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        origin = Origin(
            channel=channel,
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:255],
            path=request.path[:255],
        )
        token = current_origin.set(origin)
        try:
            response = self.get_response(request)
            if response.status_code in REFUSED:
                self._audit_refusal(request, response.status_code)
            return response
        finally:
            current_origin.reset(token)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        note_refusal(request, exception)  # Django still turns it into the 403/404 page

    def _audit_refusal(self, request: HttpRequest, status: int) -> None:
        user = getattr(request, "user", None)
        match = request.resolver_match
        if not isinstance(user, User) or not user.is_authenticated:
            return  # no one to name; sign-in refusals have their own event
        if match is None and status == 404:
            return  # an address that is no page at all
        route = match.route if match is not None else ""
        kwargs = {name: str(value)[:64] for name, value in (match.kwargs if match else {}).items()}
        record_refusal(
            actor=user,
            status=status,
            subject_key=subject_of(route, kwargs),
            details={
                "reason": reason_of(getattr(request, _EXCEPTION, None), status),
                "method": request.method or "",
                "path": request.path[:255],
                "view": (match.url_name or "") if match is not None else "",
                "arguments": kwargs,
            },
        )
