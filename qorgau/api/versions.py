"""Versions on the API: the ETag a reading answers with, and the If-Match a change must send.

Every record a client may change answers GET, PATCH and PUT with `ETag: W/"<version>"` and
carries `version` in its body. PATCH and PUT must send that tag back in `If-Match`: without
it the change is refused with 428, with an older one with 412 and nothing is written.
"""

import functools
import re
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Status
from ninja.params import HeaderEx, P

from qorgau.core.models import VersionedBase
from qorgau.core.versioning import version_field

MESSAGE_IF_MATCH_MISSING = _(
    'Send the If-Match header with the ETag of your last reading (for example W/"3"): a change '
    "without it could overwrite someone else's."
)
MESSAGE_IF_MATCH_INVALID = _(
    'The If-Match header must be the ETag of your last reading, for example W/"3".'
)
MESSAGE_STORED_NOW = _("Stored now: %(value)s.")
IF_MATCH_DESCRIPTION = (
    'The ETag of your last reading of the record (`W/"<version>"`). Required: without it the '
    "change answers 428; when someone changed the record since, 412 names the fields and "
    "nothing is written."
)
# The If-Match request header of a PATCH or PUT (optional to the parser: its absence is a 428).
IfMatch = HeaderEx[str | None, P(alias="If-Match", description=IF_MATCH_DESCRIPTION, max_length=64)]
TAG = re.compile(r'\s*(?:W/)?"?(\d{1,9})"?\s*')
ETAG_ATTRIBUTE = "_qorgau_etag"


class PreconditionRequired(Exception):
    """A change arrived without a usable If-Match: answered 428."""

    def __init__(self, message: Any) -> None:
        super().__init__(message)
        self.message = message


def etag(instance: VersionedBase) -> str:
    return f'W/"{getattr(instance, version_field(type(instance)))}"'


def expected_version(if_match: str | None) -> int:
    """The version an If-Match names; PreconditionRequired when it is missing or unusable."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired(MESSAGE_IF_MATCH_MISSING)
    match = TAG.fullmatch(if_match)
    if match is None:
        raise PreconditionRequired(MESSAGE_IF_MATCH_INVALID)
    return int(match.group(1))


def with_etag[**P, R](view: Callable[P, R]) -> Callable[P, R]:
    """Answer with the ETag of the versioned record the operation returns."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        result = view(*args, **kwargs)
        request = args[0] if args else kwargs.get("request")
        value = result.value if isinstance(result, Status) else result
        if isinstance(request, HttpRequest) and isinstance(value, VersionedBase):
            setattr(request, ETAG_ATTRIBUTE, etag(value))
        return result

    return wrapper


def answer_etag(request: HttpRequest, instance: VersionedBase) -> None:
    """Answer with this record's ETag (for an operation whose body is built as a dict)."""
    setattr(request, ETAG_ATTRIBUTE, etag(instance))


def etag_of(request: HttpRequest) -> str | None:
    return getattr(request, ETAG_ATTRIBUTE, None)


def stored_now(conflicts: dict[str, Any]) -> list[tuple[str, str]]:
    """One error per field a refused change would have overwritten, with the value stored now."""
    return [
        (name, MESSAGE_STORED_NOW % {"value": "—" if value in (None, "") else value})
        for name, value in sorted(conflicts.items())
    ]


def plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def conflict_body(conflicts: dict[str, Any]) -> dict[str, Any]:
    return {name: plain(value) for name, value in conflicts.items()}


__all__ = [
    "IF_MATCH_DESCRIPTION",
    "IfMatch",
    "PreconditionRequired",
    "etag",
    "etag_of",
    "expected_version",
    "with_etag",
]
