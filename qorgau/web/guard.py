"""Guards every request passes before the session, the user or a view touches it.

- A NUL character (U+0000) in the path, a query parameter, a cookie or (under /api/) a JSON
  body is refused with 400/422 naming the parameter or field: PostgreSQL cannot store it in a
  text column and the query would fail with a server error. Web forms refuse it themselves
  (Django's CharField has ProhibitNullCharactersValidator), with a form error.
- Under /api/ the body is read here once, so that the CSRF check, which parses a form or
  multipart body, and the API's JSON parser can both read it.
- A database that does not answer here or further in gives 503 (see qorgau.web.errors).
"""

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from qorgau.web.errors import (
    ALL,
    DATABASE_UNAVAILABLE,
    api_error,
    database_unavailable,
    is_api,
    page,
)

NUL = "\x00"
MESSAGE_NUL = _("This value contains a NUL character (U+0000), which is not allowed.")
MESSAGE_NUL_IN_ADDRESS = _("The address contains a NUL character (U+0000), which is not allowed.")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def nul_paths(value: Any, path: tuple[str, ...] = ()) -> Iterator[str]:
    """The dotted names (as the API names fields) of the strings holding a NUL, keys included."""
    if isinstance(value, str):
        if NUL in value:
            yield ".".join(path) or ALL
    elif isinstance(value, dict):
        for key, item in value.items():
            if NUL in str(key):
                yield ".".join(path) or ALL
            else:
                yield from nul_paths(item, (*path, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from nul_paths(item, path)


def nul_in_query(request: HttpRequest) -> str | None:
    for name, values in request.GET.lists():
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "") or ALL
    return None


class RequestGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        for name in [name for name, value in request.COOKIES.items() if NUL in name + value]:
            del request.COOKIES[name]  # as if never sent: a forged cookie, not a user's error
        refusal = self.refuse(request)
        if refusal is not None:
            return refusal
        try:
            return self.get_response(request)
        except DATABASE_UNAVAILABLE:
            # Only with DEBUG_PROPAGATE_EXCEPTIONS; normally Django's handler500 answers.
            return database_unavailable(request)

    def refuse(self, request: HttpRequest) -> HttpResponse | None:
        found = self.fault(request)
        if found is None:
            return None
        status, message, field = found
        # Before LocaleMiddleware: the language of the cookie or the browser, as it would pick.
        with translation.override(translation.get_language_from_request(request)):
            if is_api(request):
                return api_error(status, message, field)
            return page(None, "400.html", status, message=message, field=field)

    def fault(self, request: HttpRequest) -> tuple[int, Any, str] | None:
        if NUL in request.path_info:
            return 400, MESSAGE_NUL_IN_ADDRESS, ALL
        field = nul_in_query(request)
        if field is not None:
            return (422 if is_api(request) else 400), MESSAGE_NUL, field
        if is_api(request) and request.method in BODY_METHODS:
            field = self.nul_in_body(request)
            if field is not None:
                return 422, MESSAGE_NUL, field
        return None

    @staticmethod
    def nul_in_body(request: HttpRequest) -> str | None:
        body = request.body  # read now: the CSRF check and the JSON parser then share it
        if b"\\u0000" not in body:
            return None  # a raw NUL byte cannot stand in JSON: the API refuses such a body
        try:
            # Whatever the Content-Type says: the API's parser reads every body as JSON.
            data = json.loads(body)
        except ValueError:
            return None  # not JSON: the API answers 400 for that
        return next(nul_paths(data), None)
