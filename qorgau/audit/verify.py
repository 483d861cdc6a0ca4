"""Walking the audit trail's hash chain from its first row to its head, in constant memory."""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Min
from django.utils import timezone

from qorgau.audit.chain import GENESIS, HASHED_FIELDS, compute_row_hash
from qorgau.audit.models import AuditEvent

CHUNK = 5000


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold, and what is wrong with it."""

    id: int
    at: datetime.datetime
    # "content": the row's values do not give its hash;
    # "link": its prev_hash is not the hash of the row before it;
    # "sequence": its chain_seq does not follow the one before it (a row removed or inserted).
    kind: str
    expected: str
    found: str


@dataclass(frozen=True)
class Unsealed:
    """Rows not yet linked into the chain: how many, and since when the oldest waits."""

    rows: int
    oldest_at: datetime.datetime | None
    max_age: datetime.timedelta

    @property
    def oldest_age(self) -> datetime.timedelta | None:
        return None if self.oldest_at is None else timezone.now() - self.oldest_at

    @property
    def overdue(self) -> bool:
        """A row waits longer than the setting allows: the sealer must have stopped."""
        age = self.oldest_age
        return age is not None and age > self.max_age


@dataclass(frozen=True)
class Result:
    rows: int
    seconds: float
    head_id: int | None
    head_hash: str
    broken: Break | None
    unsealed: Unsealed

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float(self.rows)

    @property
    def holds(self) -> bool:
        return self.broken is None and not self.unsealed.overdue


def unsealed_rows() -> Unsealed:
    """Count the rows the sealer has not linked yet and find the oldest one's time."""
    found = AuditEvent.objects.filter(chain_seq__isnull=True).aggregate(
        rows=Count("id"), oldest=Min("at")
    )
    max_age = datetime.timedelta(seconds=settings.QORGAU_AUDIT_SEAL_MAX_DELAY)
    return Unsealed(found["rows"], found["oldest"], max_age)


def verify_chain(
    *, chunk: int = CHUNK, progress: Callable[[int, float], None] | None = None
) -> Result:
    """Check every sealed row in chain order: its place, its hash, its link to the row before.

    Reads `chunk` rows at a time by chain_seq (keyset), so memory stays flat on millions of
    rows. Stops at the first broken row. Then counts the rows not sealed yet.
    """
    started = time.monotonic()
    prev_hash, last_seq, head_id, count = GENESIS, 0, None, 0
    columns = ("id", "prev_hash", "row_hash", *HASHED_FIELDS)

    def result(broken: Break | None) -> Result:
        seconds = time.monotonic() - started
        return Result(count, seconds, head_id, prev_hash, broken, unsealed_rows())

    while True:
        rows = list(
            AuditEvent.objects.filter(chain_seq__gt=last_seq)
            .order_by("chain_seq")
            .values(*columns)[:chunk]
        )
        if not rows:
            break
        for row in rows:
            if row["prev_hash"] != prev_hash:
                return result(Break(row["id"], row["at"], "link", prev_hash, row["prev_hash"]))
            expected = compute_row_hash(row, row["prev_hash"])
            if expected != row["row_hash"]:
                return result(Break(row["id"], row["at"], "content", expected, row["row_hash"]))
            if row["chain_seq"] != last_seq + 1:
                # Links and hashes hold, but places are missing: rows were cut out and the
                # chain after them hashed anew.
                found = str(row["chain_seq"])
                return result(Break(row["id"], row["at"], "sequence", str(last_seq + 1), found))
            prev_hash, last_seq, head_id = row["row_hash"], row["chain_seq"], row["id"]
            count += 1
        if progress is not None:
            progress(count, time.monotonic() - started)
    return result(None)
