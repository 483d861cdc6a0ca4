from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from qorgau.audit.context import Origin, current_origin


def client_ip(request: HttpRequest) -> str | None:
    # REMOTE_ADDR is the proxy when behind one; the deployment sets the real address there.
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
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
            return self.get_response(request)
        finally:
            current_origin.reset(token)
