"""Idempotency-Key on the API's creating requests: a retry after a lost answer creates nothing.

A POST to /api/ that carries `Idempotency-Key` is remembered per signed-in user, key and
operation (method and path) with a fingerprint of its body. The first successful answer
(status, body, ETag) is kept for QORGAU_IDEMPOTENCY_HOURS; a retry with the same key and body
gets that answer again, marked `Idempotent-Replayed: true`, and nothing runs twice. The same
key with another body answers 422; a retry while the first is still running answers 409. A
refused request (4xx or 5xx) frees its key, since it created nothing.
"""

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from ninja.utils import check_csrf

from qorgau.accounts.models import User
from qorgau.api import services
from qorgau.api.models import IdempotentRequest

HEADER = "Idempotency-Key"
API_PREFIX = "/api/"  # where qorgau/urls.py mounts the API
MAX_KEY = 255
ERROR_REF = "#/components/schemas/ErrorOut"
MESSAGE_KEY_INVALID = _(
    "The Idempotency-Key must be 1 to 255 visible characters (letters, digits, punctuation)."
)
MESSAGE_KEY_REUSED = _(
    "This Idempotency-Key was already used for a different request: use a new key for a new "
    "request."
)
MESSAGE_KEY_IN_PROGRESS = _(
    "A request with this Idempotency-Key is still being processed: wait a moment, then send it "
    "again."
)
DESCRIPTION = (
    "Optional. A key you choose (1 to 255 visible characters, e.g. a UUID) so that sending the "
    "same request again after a lost answer creates nothing twice: a retry with the same key "
    "and body gets the first answer again (`Idempotent-Replayed: true`); the same key with "
    "another body answers 422; while the first is still running, 409. Answers are kept for "
    "24 hours (QORGAU_IDEMPOTENCY_HOURS)."
)


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the operation and the body; JSON is compared as data, not as bytes."""
    body = request.body
    try:
        canonical = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"))
        content = canonical.encode()
    except ValueError:
        content = body
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(content)
    return digest.hexdigest()


def _error(status: int, message: object) -> JsonResponse:
    body = {"detail": [{"field": HEADER, "message": str(message)}]}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _valid(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY and key.isascii() and key.isprintable() and key.strip() == key


class IdempotencyMiddleware:
    """Applies the Idempotency-Key rules to every POST of the API, once, for all its operations."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.headers.get(HEADER)
        user = getattr(request, "user", None)
        if (
            key is None
            or request.method != "POST"
            or not request.path.startswith(API_PREFIX)
            or not isinstance(user, User)
            or not user.is_authenticated
            # A request the API will refuse for its CSRF token gets that refusal, not a replay.
            or check_csrf(request) is not None
        ):
            return self.get_response(request)
        if not _valid(key):
            return _error(422, MESSAGE_KEY_INVALID)
        print_ = fingerprint(request)
        operation = f"{request.method} {request.path}"[:255]
        claim = services.claim(user=user, key=key, operation=operation, fingerprint=print_)
        if not claim.is_new:
            return self._earlier(claim.row, print_)
        try:
            response = self.get_response(request)
        except BaseException:
            services.release(row=claim.row)
            raise
        if 200 <= response.status_code < 300 and not response.streaming:
            headers = dict(response.headers.items())
            services.remember(
                row=claim.row,
                status=response.status_code,
                headers=headers,
                body=response.content.decode(response.charset or "utf-8"),
            )
        else:
            services.release(row=claim.row)
        return response

    def _earlier(self, row: IdempotentRequest, print_: str) -> HttpResponse:
        if row.fingerprint != print_:
            return _error(422, MESSAGE_KEY_REUSED)
        if row.status is None:
            return _error(409, MESSAGE_KEY_IN_PROGRESS)
        response = HttpResponse(row.body, status=row.status)
        for name, value in row.headers.items():
            response[name] = value
        response["Idempotent-Replayed"] = "true"
        return response


def document(schema: dict[str, Any]) -> dict[str, Any]:
    """Declare the Idempotency-Key header, and its 409 and 422 answers, on every POST."""
    error = {"content": {"application/json": {"schema": {"$ref": ERROR_REF}}}}
    for methods in schema.get("paths", {}).values():
        operation = methods.get("post")
        if operation is None:
            continue
        parameters = operation.setdefault("parameters", [])
        if not any(p.get("name") == HEADER for p in parameters):
            parameters.append(
                {
                    "in": "header",
                    "name": HEADER,
                    "required": False,
                    "description": DESCRIPTION,
                    "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY},
                }
            )
        responses = operation.setdefault("responses", {})
        responses.setdefault("409", {"description": "Conflict", **error})
        responses.setdefault("422", {"description": "Unprocessable Content", **error})
    return schema
