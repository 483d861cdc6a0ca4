"""The register's figures by region, counted once and read many times.

`count_register()` counts the juveniles by their territory of residence (one GROUP BY over
the register, no join) and keeps one row per region (`RegionTally`), all in one transaction.
`by_region()` reads those rows for the analyst's page, with the time they were counted; on a
database never counted (a fresh demo) it counts live and says so (`as_at` None).
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from qorgau.core.models import Territory
from qorgau.people.models import Juvenile, RegionTally


@dataclass(frozen=True)
class RegionRow:
    region: Territory
    count: int


def _live() -> dict[int, int]:
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


def count_register() -> datetime.datetime:
    """Count the register again and keep the figures; returns the time they hold for."""
    counted_at = timezone.now()
    counts = _live()
    regions = Territory.objects.filter(parent=None)
    with transaction.atomic():
        RegionTally.objects.all().delete()
        RegionTally.objects.bulk_create(
            RegionTally(region=region, juveniles=counts.get(region.pk, 0), counted_at=counted_at)
            for region in regions
        )
    return counted_at


def by_region() -> tuple[list[RegionRow], datetime.datetime | None]:
    """The figures in KATO order, and when they were counted (None: counted just now, live)."""
    regions = list(Territory.objects.filter(parent=None).order_by("kato_code"))
    tallies = {t.region_id: t for t in RegionTally.objects.all()}
    if tallies:
        as_at = min(t.counted_at for t in tallies.values())
        counts = {pk: t.juveniles for pk, t in tallies.items()}
        return [RegionRow(r, counts.get(r.pk, 0)) for r in regions], as_at
    counts = _live()
    return [RegionRow(r, counts.get(r.pk, 0)) for r in regions], None
