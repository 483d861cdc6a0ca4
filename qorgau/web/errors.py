"""What the server answers when a request fails before or outside a view's own error handling.

Under /api/ every answer keeps the API's one error shape, `{"detail": [{"field", "message"}]}`
(the shape qorgau/api/api.py gives); elsewhere a page. A database that does not answer gives 503,
never 500: `/healthz` its own JSON, the API its error shape, the web a page rendered without the
request's context (the context processors would ask the database again).
"""

import sys
from typing import Any

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import requires_csrf_token

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED

ALL = "__all__"
API_PREFIX = "/api/"

MESSAGE_BAD_REQUEST = _("The request could not be understood.")
MESSAGE_NOT_FOUND = _("Not found, or not within what your role and agency may see.")
MESSAGE_SERVER_ERROR = _(
    "Sorry, there is a problem with the service. Try again later: what you sent was not saved."
)
MESSAGE_UNAVAILABLE = _(
    "The service is unavailable for a moment: its database does not answer. Try again in a few "
    "minutes: what you sent was not saved."
)
# Errors that mean the database cannot be reached (refused, dropped, shut down), not bad data.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(status: int, message: Any, field: str = ALL) -> JsonResponse:
    """An answer in the API's error shape, with Kazakh and Russian letters unescaped."""
    body = {"detail": [{"field": field, "message": str(message)}]}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def page(request: HttpRequest | None, template: str, status: int, **context: Any) -> HttpResponse:
    """An error page. Without a request, no context processor runs, so nothing reads the
    database; the language chosen by LocaleMiddleware (cookie, browser) stays in force."""
    context.setdefault("LANGUAGE_CODE", translation.get_language())
    return HttpResponse(loader.render_to_string(template, context, request), status=status)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    if request.path_info.rstrip("/") == "/healthz":
        body = {"status": "unavailable", "database": "unreachable"}
        response: HttpResponse = JsonResponse(body, status=503)
    elif is_api(request):
        response = api_error(503, MESSAGE_UNAVAILABLE)
    else:
        response = page(None, "503.html", 503, message=MESSAGE_UNAVAILABLE)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400: a body that cannot be parsed, a request too large, a host not served."""
    if is_api(request):
        return api_error(400, MESSAGE_BAD_REQUEST)
    return page(None, "400.html", 400, message=MESSAGE_BAD_REQUEST)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(403, MESSAGE_NOT_ALLOWED)
    return page(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):
        return api_error(404, MESSAGE_NOT_FOUND)
    return page(request, "404.html", 404)


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 when the exception being handled says the database does not answer.

    Django calls this inside its `except` block, so the exception is at hand. The page is
    rendered without the request: whatever failed may fail again in a context processor.
    """
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if is_api(request):
        return api_error(500, MESSAGE_SERVER_ERROR)
    return page(None, "500.html", 500)
