"""What every endpoint module shares: the acting user, error responses, paging, look-ups by code."""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError

from qorgau.accounts.access import require
from qorgau.accounts.models import Agency, User
from qorgau.api.schemas import ErrorOut, StaleOut
from qorgau.core.models import Territory
from qorgau.core.paging import count_cap, first_ids, last_page, rows_of

MESSAGE_UNKNOWN_TERRITORY = _("There is no territory with the KATO code %(code)s.")
MESSAGE_UNKNOWN_AGENCY = _("There is no agency with the number %(id)s.")
MESSAGE_NO_PAGE = _("There is no page %(page)s: the last page is %(pages)s.")

ERROR_RESPONSES: dict[int, type[ErrorOut]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    412: StaleOut,
    422: ErrorOut,
    428: ErrorOut,
}


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The response map of an operation: its success schema plus the Error schema per error code."""
    return {**ok, **{code: ERROR_RESPONSES[code] for code in errors}}


def acting_user(request: HttpRequest, permission: str | None = None) -> User:
    """The signed-in staff member; refused with 403 when a permission is named and not held."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise AuthenticationError()
    if permission is not None:
        require(user, permission)
    return user


def territory_by_code(field: str, code: str | None) -> Territory | None:
    if code is None:
        return None
    territory = Territory.objects.filter(kato_code=code.strip()).first()
    if territory is None:
        raise ValidationError({field: MESSAGE_UNKNOWN_TERRITORY % {"code": code}})
    return territory


def agency_by_id(field: str, agency_id: int | None) -> Agency | None:
    if agency_id is None:
        return None
    agency = Agency.objects.select_related("territory").filter(pk=agency_id).first()
    if agency is None:
        raise ValidationError({field: MESSAGE_UNKNOWN_AGENCY % {"id": agency_id}})
    return agency


def paginate[M: Model](queryset: QuerySet[M], page: int) -> dict[str, Any]:
    """One page of a list: `count` (at most QORGAU_COUNT_CAP), `more` (there are more than
    that), `page`, `pages` and the page's `results` (core/paging.py)."""
    size = settings.QORGAU_PAGE_SIZE
    ids = first_ids(queryset)
    cap = count_cap()
    count, more = min(len(ids), cap), len(ids) > cap
    pages = last_page(count, size)
    if page > pages:
        raise ValidationError({"page": MESSAGE_NO_PAGE % {"page": page, "pages": pages}})
    start = (page - 1) * size
    results = rows_of(queryset, ids[start : min(start + size, count)])
    return {"count": count, "more": more, "page": page, "pages": pages, "results": results}
