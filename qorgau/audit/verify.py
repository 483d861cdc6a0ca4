"""Walking the audit trail's hash chain from its first row to its head, in constant memory."""

import datetime
import time
from collections.abc import Callable
from dataclasses import dataclass

from qorgau.audit.chain import GENESIS, HASHED_FIELDS, compute_row_hash
from qorgau.audit.models import AuditEvent

CHUNK = 5000


@dataclass(frozen=True)
class Break:
    """The first row where the chain does not hold, and what is wrong with it."""

    id: int
    at: datetime.datetime
    # "content": the row's values do not give its hash;
    # "link": its prev_hash is not the hash of the row before it.
    kind: str
    expected: str
    found: str


@dataclass(frozen=True)
class Result:
    rows: int
    seconds: float
    head_id: int | None
    head_hash: str
    broken: Break | None

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float(self.rows)


def verify_chain(
    *, chunk: int = CHUNK, progress: Callable[[int, float], None] | None = None
) -> Result:
    """Check every row in id order: its hash from its values, its link to the row before.

    Reads `chunk` rows at a time by id (keyset), so memory stays flat on millions of rows.
    Stops at the first broken row.
    """
    started = time.monotonic()
    prev_hash, last_id, count = GENESIS, 0, 0
    columns = ("id", "prev_hash", "row_hash", *HASHED_FIELDS)
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last_id).order_by("id").values(*columns)[:chunk]
        )
        if not rows:
            break
        for row in rows:
            if row["prev_hash"] != prev_hash:
                broken = Break(row["id"], row["at"], "link", prev_hash, row["prev_hash"])
                return Result(count, time.monotonic() - started, last_id or None, prev_hash, broken)
            expected = compute_row_hash(row, row["prev_hash"])
            if expected != row["row_hash"]:
                broken = Break(row["id"], row["at"], "content", expected, row["row_hash"])
                return Result(count, time.monotonic() - started, last_id or None, prev_hash, broken)
            prev_hash, last_id = row["row_hash"], row["id"]
            count += 1
        if progress is not None:
            progress(count, time.monotonic() - started)
    return Result(count, time.monotonic() - started, last_id or None, prev_hash, None)
