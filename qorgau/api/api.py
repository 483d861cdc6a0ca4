"""The JSON API at /api/: session authentication, one error shape, the routers of each area."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, RawPostDataException
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as RequestValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.api import (
    accounts,
    assessments,
    audit,
    cases,
    courts,
    defence,
    idempotency,
    mediation,
    people,
    plans,
    portraits,
    privacy,
    probation,
    record_trail,
    reference,
    safeguards,
)
from qorgau.api.checked import DATE_RANGE
from qorgau.api.openapi import declare_errors
from qorgau.api.versions import PreconditionRequired, conflict_body, etag_of, stored_now
from qorgau.audit.middleware import note_refusal
from qorgau.core.dates import MESSAGE_DATE_RANGE
from qorgau.core.versioning import StaleVersion

ALL = "__all__"

MESSAGE_UNAUTHENTICATED = _("Sign in first: this request needs a signed-in session.")
MESSAGE_CSRF = _(
    "The request was refused because its CSRF token is missing or wrong: send the value of the "
    "csrftoken cookie in the X-CSRFToken header."
)
MESSAGE_NOT_FOUND = _("Not found, or not within what your role and agency may see.")
MESSAGE_BAD_BODY = _("The request body is not valid JSON.")
MESSAGE_BAD_REQUEST = _("The request could not be understood.")
MESSAGE_NOT_JSON = _(
    "The request body could not be read: send it as JSON, with Content-Type: application/json."
)
# Django's own texts where one fits, so its translations apply until ours exist.
MESSAGE_REQUIRED = _("This field is required.")
MESSAGE_INVALID = _("Enter a valid value.")
MESSAGE_WHOLE_NUMBER = _("Enter a whole number.")
MESSAGE_DATE = _("Enter a valid date.")
MESSAGE_DATETIME = _("Enter a valid date/time.")
MESSAGE_CHOICE = _("Select a valid choice. That choice is not one of the available choices.")
MESSAGE_LIST = _("Enter a list of values.")
MESSAGE_MIN_VALUE = _("Ensure this value is greater than or equal to %(limit_value)s.")
MESSAGE_MAX_VALUE = _("Ensure this value is less than or equal to %(limit_value)s.")
MESSAGE_TRUE_FALSE = _("Send true or false.")
MESSAGE_OBJECT = _("Send a JSON object.")
MESSAGE_EXTRA = _("This field is not accepted here.")

# pydantic error type -> message; types not listed get MESSAGE_INVALID.
PYDANTIC_MESSAGES = {
    "missing": MESSAGE_REQUIRED,
    "int_type": MESSAGE_WHOLE_NUMBER,
    "int_parsing": MESSAGE_WHOLE_NUMBER,
    "int_from_float": MESSAGE_WHOLE_NUMBER,
    "date_type": MESSAGE_DATE,
    "date_parsing": MESSAGE_DATE,
    "date_from_datetime_parsing": MESSAGE_DATE,
    "date_from_datetime_inexact": MESSAGE_DATE,
    "datetime_type": MESSAGE_DATETIME,
    "datetime_parsing": MESSAGE_DATETIME,
    "datetime_from_date_parsing": MESSAGE_DATETIME,
    "enum": MESSAGE_CHOICE,
    "literal_error": MESSAGE_CHOICE,
    "list_type": MESSAGE_LIST,
    "bool_type": MESSAGE_TRUE_FALSE,
    "bool_parsing": MESSAGE_TRUE_FALSE,
    "model_type": MESSAGE_OBJECT,
    "model_attributes_type": MESSAGE_OBJECT,
    "dict_type": MESSAGE_OBJECT,
    "extra_forbidden": MESSAGE_EXTRA,
}
# Where ninja says a request part comes from: the first item of an error's location.
SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


class UnicodeJSONRenderer(JSONRenderer):
    """JSON with Kazakh and Russian letters as they are, not as \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class QorgauAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # The view's own name (list_juveniles), which is unique across the API's modules.
        return operation.view_func.__name__

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        # Built once per prefix, URL arguments and language: the operations are fixed once the
        # URLs are loaded, and building takes about a quarter of a second of processor time on
        # every GET /api/openapi.json, which anyone may ask for. Callers must not change it.
        key = (path_prefix, tuple(sorted((path_params or {}).items())), get_language())
        cache: dict[Any, OpenAPISchema] = self.__dict__.setdefault("_qorgau_schemas", {})
        if key not in cache:
            schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
            idempotency.document(schema)
            declare_errors(schema)
            cache[key] = schema
        return cache[key]

    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        tag = etag_of(request)
        if tag is not None and 200 <= response.status_code < 300:
            response["ETag"] = tag
        return response


api = QorgauAPI(
    title="Qorgau API",
    version="1",
    description=(
        "The JSON API of Qorgau, the information system of the juvenile justice system of the "
        "Republic of Kazakhstan. It uses the web sign-in session: sign in on the web, then send "
        "the session cookie, and on POST, PATCH and PUT the `X-CSRFToken` header (GET /api/me "
        'sets the `csrftoken` cookie). Every error answers `{"detail": [{"field", '
        '"message"}]}` with the message in the user\'s language.'
    ),
    auth=django_auth,
    renderer=UnicodeJSONRenderer(),
)
api.add_router("", reference.router)
api.add_router("", accounts.router)
api.add_router("", people.router)
api.add_router("", privacy.router)
api.add_router("", audit.router)
api.add_router("", record_trail.router)
api.add_router("", cases.router)
api.add_router("", safeguards.router)
api.add_router("", defence.router)
api.add_router("", assessments.router)
api.add_router("", portraits.router)
api.add_router("", plans.router)
api.add_router("", mediation.router)
api.add_router("", courts.router)
api.add_router("", probation.router)


def error_response(
    request: HttpRequest, status: int, errors: Iterable[tuple[str, Any]]
) -> HttpResponse:
    detail = [{"field": field, "message": str(message)} for field, message in errors]
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors: list[tuple[str, str]] = [
            (field, message) for field, messages in exc.message_dict.items() for message in messages
        ]
    else:
        errors = [(ALL, message) for message in exc.messages]
    return error_response(request, 422, errors)


def field_name(location: Iterable[Any]) -> str:
    """`last_name` from ("body", "payload", "last_name"); `page` from ("query", "page")."""
    parts = list(location)
    if parts and parts[0] in SOURCES:
        source, parts = parts[0], parts[1:]
        if source == "body" and parts:
            parts = parts[1:]  # the name of the schema parameter, not a field the client sent
    names = [str(part) for part in parts if isinstance(part, str)]
    return ".".join(names) or ALL


def request_error_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind in {"greater_than_equal", "greater_than"}:
        return MESSAGE_MIN_VALUE % {"limit_value": context.get("ge", context.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return MESSAGE_MAX_VALUE % {"limit_value": context.get("le", context.get("lt"))}
    if kind == DATE_RANGE:
        return MESSAGE_DATE_RANGE % context
    if kind == "string_too_long":
        limit = context.get("max_length", 0)
        return ngettext(
            "Ensure this value has at most %(limit_value)d character (it has %(show_value)d).",
            "Ensure this value has at most %(limit_value)d characters (it has %(show_value)d).",
            limit,
        ) % {"limit_value": limit, "show_value": len(str(error.get("input", "")))}
    return str(PYDANTIC_MESSAGES.get(kind, MESSAGE_INVALID))


@api.exception_handler(RequestValidationError)
def on_request_validation_error(request: HttpRequest, exc: RequestValidationError) -> HttpResponse:
    errors = [(field_name(e.get("loc", ())), request_error_message(e)) for e in exc.errors]
    return error_response(request, 422, errors)


@api.exception_handler(StaleVersion)
def on_stale_version(request: HttpRequest, exc: StaleVersion) -> HttpResponse:
    errors = [("If-Match", exc.messages[0]), *stored_now(exc.conflicts)]
    detail = [{"field": field, "message": str(message)} for field, message in errors]
    body = {"detail": detail, "version": exc.current, "current": conflict_body(exc.conflicts)}
    return api.create_response(request, body, status=412)


@api.exception_handler(PreconditionRequired)
def on_precondition_required(request: HttpRequest, exc: PreconditionRequired) -> HttpResponse:
    return error_response(request, 428, [("If-Match", exc.message)])


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: Exception) -> HttpResponse:
    note_refusal(request, exc)  # the audit middleware files the 403 with this reason
    message = exc.args[0] if exc.args else MESSAGE_NOT_ALLOWED
    return error_response(request, 403, [(ALL, message)])


@api.exception_handler(ObjectDoesNotExist)
@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    note_refusal(request, exc)
    return error_response(request, 404, [(ALL, MESSAGE_NOT_FOUND)])


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(request, 401, [(ALL, MESSAGE_UNAUTHENTICATED)])


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja raises HttpError itself only for a body it cannot parse (400) and a failed CSRF
    # check in the session authentication (403); its messages are English, so replace them.
    messages = {400: MESSAGE_BAD_BODY, 403: MESSAGE_CSRF}
    message = messages.get(exc.status_code, MESSAGE_BAD_REQUEST)
    return error_response(request, exc.status_code, [(ALL, message)])


@api.exception_handler(MultiPartParserError)
@api.exception_handler(RawPostDataException)
def on_unreadable_body(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A form or multipart body (the CSRF check parses it before the JSON parser sees it).
    return error_response(request, 400, [(ALL, MESSAGE_NOT_JSON)])
