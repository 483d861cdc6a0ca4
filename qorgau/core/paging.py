"""Lists that cost the same however large the table: counts stop at a cap.

An exact COUNT of a national table on every view grows with the table; a person reads the
first pages of a list and narrows it by a filter or a search, never pages to row 100,000. So a
list reads the ids of its first QORGAU_COUNT_CAP + 1 rows, in its order, in one narrow query
(the filters and the ORDER BY alone): their number is the count ("more than N" past the cap,
where its pages end), and a page's rows are then loaded by their 25 ids with the joins they
show. With the joins in the same query as the sort PostgreSQL may join every matching row
before it sorts (the violations list went from 350 ms to 6 ms at 1×), and a costly filter
(who may see what) is evaluated once, not for the count and again for the page.
"""

import math
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property


def count_cap() -> int:
    return int(settings.QORGAU_COUNT_CAP)


def first_ids(queryset: QuerySet[Any], cap: int | None = None) -> list[Any]:
    """The ids of the list's first cap + 1 rows, in its order (one more tells there are more)."""
    cap = count_cap() if cap is None else cap
    return list(queryset.values_list("pk", flat=True)[: cap + 1])


def rows_of(queryset: QuerySet[Any], ids: list[Any]) -> list[Any]:
    """The rows of these ids, in their order, with what the list loads with them."""
    if not ids:
        return []
    rows = {row.pk: row for row in _by_ids(queryset, ids)}
    return [rows[pk] for pk in ids if pk in rows]


def _by_ids(queryset: QuerySet[Any], ids: list[Any]) -> QuerySet[Any]:
    """The related rows and prefetches of the list, without its filters again: the ids came
    through them. A list with annotations keeps its whole query, which they may need."""
    if queryset.query.annotations or queryset.query.extra:
        return queryset.filter(pk__in=ids)
    prefetches = getattr(queryset, "_prefetch_related_lookups", ())
    rows: QuerySet[Any] = queryset.model._default_manager.filter(pk__in=ids)
    rows = rows.prefetch_related(*prefetches)
    rows.query.select_related = queryset.query.select_related
    rows.query.deferred_loading = queryset.query.deferred_loading
    return rows


class CappedPaginator(Paginator[Any]):
    """Django's paginator over the ids of the first QORGAU_COUNT_CAP rows; `capped` says there
    are more. A list that is not a queryset is counted and sliced as Django's does."""

    capped = False

    @cached_property
    def ids(self) -> list[Any] | None:
        if not isinstance(self.object_list, QuerySet):
            return None
        return first_ids(self.object_list)

    @cached_property
    def count(self) -> int:
        cap = count_cap()
        found = len(self.ids) if self.ids is not None else len(list(self.object_list))
        self.capped = found > cap
        return min(found, cap)

    def page(self, number: Any) -> Page[Any]:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.ids is None:
            return Page(list(self.object_list[bottom:top]), number, self)
        return Page(rows_of(self.object_list, self.ids[bottom:top]), number, self)  # type: ignore[arg-type]


def last_page(count: int, size: int) -> int:
    return max(1, math.ceil(count / size))
