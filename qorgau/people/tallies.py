"""The register's figures by region, counted once and read many times.

`services.count_register()` counts the juveniles by their territory of residence (one GROUP BY over
the register, no join) and keeps one row per region (`RegionTally`), all in one transaction.
`by_region()` reads those rows for the analyst's page, with the time they were counted; on a
database never counted (a fresh demo) it counts live and says so (`as_at` None).
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from qorgau.core.models import Territory
from qorgau.people.models import Juvenile, RegionTally


@dataclass(frozen=True)
class RegionRow:
    region: Territory
    count: int


def live() -> dict[int, int]:
    """Juveniles per region: districts' counts added to their region's."""
    parents = dict(Territory.objects.values_list("pk", "parent_id"))
    counts: Counter[int] = Counter()
    by_territory = (
        Juvenile.objects.exclude(address_territory=None)
        .values_list("address_territory")
        .annotate(n=Count("id"))
        .order_by()
    )
    for territory, n in by_territory:
        counts[parents.get(territory) or territory] += n
    return dict(counts)


def by_region() -> tuple[list[RegionRow], datetime.datetime | None]:
    """The figures in KATO order, and when they were counted (None: counted just now, live)."""
    regions = list(Territory.objects.filter(parent=None).order_by("kato_code"))
    tallies = {t.region_id: t for t in RegionTally.objects.all()}
    if tallies:
        as_at = min(t.counted_at for t in tallies.values())
        counts = {pk: t.juveniles for pk, t in tallies.items()}
        return [RegionRow(r, counts.get(r.pk, 0)) for r in regions], as_at
    counts = live()
    return [RegionRow(r, counts.get(r.pk, 0)) for r in regions], None
