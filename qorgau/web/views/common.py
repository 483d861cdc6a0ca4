from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import QuerySet
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from qorgau.accounts.models import User
from qorgau.core.paging import CappedPaginator


def paginate(
    request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None
) -> Page[Any]:
    paginator = CappedPaginator(queryset, per_page or settings.QORGAU_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class AuthedRequest(HttpRequest):
    """A request behind login_required: the user is a staff member, htmx details are attached."""

    user: User
    htmx: HtmxDetails


@dataclass(frozen=True)
class Panel:
    """A block another area adds to a page: its template and what that template reads."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
