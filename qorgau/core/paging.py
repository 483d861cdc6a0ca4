"""Lists that cost the same however large the table: counts stop at a cap.

An exact COUNT of a national table on every view grows with the table; a person reads the
first pages of a list and narrows it by a filter or a search, never pages to row 100,000. So
the count stops at QORGAU_COUNT_CAP rows (`SELECT COUNT(*) FROM (… LIMIT cap + 1)`), a list
past it says "more than N" and ends its pages there, and no OFFSET goes beyond the cap.
"""

import math
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


def count_cap() -> int:
    return int(settings.QORGAU_COUNT_CAP)


def capped_count(queryset: QuerySet[Any], cap: int | None = None) -> tuple[int, bool]:
    """The number of rows up to the cap, and whether there are more than the cap."""
    cap = count_cap() if cap is None else cap
    # No ORDER BY: the count does not depend on it, and sorting the rows costs more than counting.
    found = queryset.order_by()[: cap + 1].count()
    return min(found, cap), found > cap


class CappedPaginator(Paginator[Any]):
    """Django's paginator counting at most QORGAU_COUNT_CAP rows; `capped` says there are more."""

    capped = False

    @cached_property
    def count(self) -> int:
        found, self.capped = capped_count(self.object_list)  # type: ignore[arg-type]
        return found


def last_page(count: int, size: int) -> int:
    return max(1, math.ceil(count / size))
