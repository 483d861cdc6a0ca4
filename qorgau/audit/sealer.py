"""The sealer: links committed audit rows into the hash chain, shortly after their commit.

`record()` inserts a row unsealed (no lock, no extra query on the write path) and asks, once
per transaction, for `seal_after_commit` to run when that transaction has committed. The
sealer then, in one short transaction of its own:

1. takes the sealer's lock without waiting (`pg_try_advisory_xact_lock`; when another sealer
   holds it, it does nothing: that one, the next commit or `qorgau seal-audit` seals the
   rows). SQLite lets one writer at a time; a second sealer that read the same head finds
   its rows sealed already or its `chain_seq` taken (unique), and is rolled back;
2. reads the head (the row with the highest `chain_seq`) and up to `limit` committed unsealed
   rows in id order (after a commit: from `HOOK_WINDOW` ids below the transaction's first
   row); a row that committed late with a lower id gets a later `chain_seq`;
3. computes their links with `chain.link_rows` and writes them with one UPDATE (a large
   batch: chunk after chunk, the next hashed while the database writes one).

The chain columns are derived data: the sealer's commit does not wait for the disk
(`synchronous_commit = off` for that transaction only). A crash may lose the last seals of
its last fraction of a second, never a row: those rows are unsealed again and sealed anew.

This module writes only the chain columns, by SQL (the model and its queryset refuse every
update); the database trigger lets them go from NULL to a value once and refuses the rest.
"""

import itertools
import json
import logging
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from qorgau.audit.chain import GENESIS, HASHED_FIELDS, JSON_FIELDS, Link, link_rows
from qorgau.audit.models import AuditEvent

logger = logging.getLogger(__name__)

# pg_try_advisory_xact_lock key of the sealer: the bytes "qorgau.s" as a signed 64-bit number.
SEAL_LOCK = int.from_bytes(b"qorgau.s", "big", signed=True)
# Rows one sealing after a commit takes at most: it runs on the request's time.
HOOK_BATCH = 500
# How far below its own first row a sealing after commit looks for unsealed rows (ids).
HOOK_WINDOW = 10_000
# Rows a batch of `qorgau seal-audit` takes (bulk loads).
BATCH = 20_000
# Rows written by one UPDATE; a larger batch is hashed and written chunk after chunk.
WRITE_CHUNK = 2_000
# `seal_all` refreshes the planner's statistics of the table when it sealed this many rows.
ANALYZE_AFTER = 10_000


def head() -> tuple[int, str]:
    """The last sealed row's `chain_seq` and `row_hash`; (0, GENESIS) when none is sealed."""
    last = (
        AuditEvent.objects.filter(chain_seq__isnull=False)
        .order_by("-chain_seq")
        .values_list("chain_seq", "row_hash")
        .first()
    )
    if last is None or last[0] is None or last[1] is None:
        return 0, GENESIS
    return last[0], last[1]


_COLUMNS = ("id", *HASHED_FIELDS, "row_hash")
_LOCK_AND_READ = (  # noqa: S608 (names of this module, no input)
    # The sealer's commit need not wait for the disk (see the module's docstring).
    "SELECT set_config('synchronous_commit', 'off', true), pg_try_advisory_xact_lock(%s); "
    "(SELECT {columns} FROM audit_auditevent WHERE chain_seq IS NOT NULL "
    "ORDER BY chain_seq DESC LIMIT 1) UNION ALL "
    "(SELECT {columns} FROM audit_auditevent WHERE chain_seq IS NULL AND id >= %s "
    "ORDER BY id LIMIT %s)"
).format(columns=", ".join(_COLUMNS))


def _lock_and_read(limit: int, from_id: int) -> tuple[int, str, list[dict[str, Any]]] | None:
    """Take the sealer's lock without waiting; then the head (`chain_seq`, `row_hash`) and up to
    `limit` committed unsealed rows in id order from `from_id` on, with the values hashed.

    None when another sealer holds the lock. On PostgreSQL one round trip does it all (two
    statements: the read's snapshot is taken once the lock is held), and plain SQL reads the
    rows at a third of the ORM's cost; the values are the ORM's (`verify-audit` reads through
    the ORM, and the tests compare them). SQLite has one writer at a time and no such lock.
    """
    if connection.vendor != "postgresql":
        rows = list(
            AuditEvent.objects.filter(chain_seq__isnull=True, id__gte=from_id)
            .order_by("id")
            .values("id", *HASHED_FIELDS)[:limit]
        )
        return (*head(), rows)
    with connection.cursor() as cursor:
        cursor.execute(_LOCK_AND_READ, [SEAL_LOCK, from_id, limit])
        locked = cursor.fetchone()
        if not (locked and locked[1]):
            return None
        cursor.cursor.nextset()
        found = [dict(zip(_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
    last = [row for row in found if row["chain_seq"] is not None]
    rows = sorted((row for row in found if row["chain_seq"] is None), key=lambda row: row["id"])
    for row in rows:
        del row["row_hash"]
        for name in JSON_FIELDS:  # jsonb comes as text, as the ORM's JSONField decodes it
            if isinstance(row[name], str):
                row[name] = json.loads(row[name])
    if not last:
        return 0, GENESIS, rows
    return last[0]["chain_seq"], last[0]["row_hash"], rows


def _write(db: BaseDatabaseWrapper, links: list[Link]) -> None:
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                "UPDATE audit_auditevent AS a "
                "SET chain_seq = v.seq, prev_hash = v.prev, row_hash = v.hash "
                "FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[]) "
                "AS v(id, seq, prev, hash) WHERE a.id = v.id AND a.chain_seq IS NULL",
                [
                    [link.id for link in links],
                    [link.chain_seq for link in links],
                    [link.prev_hash for link in links],
                    [link.row_hash for link in links],
                ],
            )
            written = cursor.rowcount
        else:
            cursor.executemany(
                "UPDATE audit_auditevent SET chain_seq = %s, prev_hash = %s, row_hash = %s "
                "WHERE id = %s AND chain_seq IS NULL",
                [(link.chain_seq, link.prev_hash, link.row_hash, link.id) for link in links],
            )
            written = cursor.rowcount
    if written != len(links):
        # Another sealer got there first: roll this batch back rather than fork the chain.
        raise DatabaseError(f"audit sealing: {written} of {len(links)} rows were still unsealed")


def _write_all(links: Iterator[Link]) -> None:
    """Write the links chunk by chunk; the next chunk is hashed while the database writes one.

    The writing runs in a second thread on the same connection and transaction (psycopg waits
    for the server without the GIL), so a large batch costs about the larger of hashing and
    writing instead of their sum.
    """
    db = connections[DEFAULT_DB_ALIAS]
    db.inc_thread_sharing()
    try:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="audit-sealer") as writer:
            pending: Future[None] | None = None
            for chunk in itertools.batched(links, WRITE_CHUNK):
                if pending is not None:
                    pending.result()
                pending = writer.submit(_write, db, list(chunk))
            if pending is not None:
                pending.result()
    finally:
        db.dec_thread_sharing()


def _seal(limit: int, from_id: int) -> tuple[int, int] | None:
    """Seal up to `limit` rows from `from_id` on: (count, last id), None if the lock is taken."""
    if limit < 1:
        raise ValueError("limit must be a positive number")
    with transaction.atomic(durable=True):
        read = _lock_and_read(limit, from_id)
        if read is None:
            return None
        after_seq, after_hash, rows = read
        links = link_rows(rows, after_seq=after_seq, after_hash=after_hash)
        if len(rows) <= WRITE_CHUNK:
            if rows:
                _write(connections[DEFAULT_DB_ALIAS], list(links))
        else:
            _write_all(links)
    return len(rows), rows[-1]["id"] if rows else from_id


def seal_batch(limit: int = HOOK_BATCH, *, from_id: int = 0) -> int | None:
    """Seal up to `limit` committed unsealed rows with an id from `from_id` on, in id order.

    Returns the count, or None when another sealer holds the lock. Runs in a transaction of
    its own (never inside the caller's: what it seals must be committed, and the lock is
    held only to its own end).
    """
    sealed = _seal(limit, from_id)
    return None if sealed is None else sealed[0]


def seal_after_commit(first_id: int) -> None:
    """What `record()` runs after its transaction commits: one bounded batch, never an error.

    `first_id` is the id of the transaction's first audit row. The batch looks at unsealed
    rows from `HOOK_WINDOW` ids below it on: its own, and those of the transactions that
    committed about when it did and found the lock taken. Reading the unsealed rows from
    the very first id would pass, on every commit, over the entries the sealed rows leave
    in the index until the next VACUUM. Older unsealed rows (a transaction that took minutes
    while thousands of others committed) are left to `qorgau seal-audit`, run from cron.

    A request does not wait for another's sealing (the lock is only tried) and does not fail
    because sealing did: the rows stay unsealed for the next sealer, and `verify-audit`
    reports rows left unsealed too long.
    """
    try:
        seal_batch(HOOK_BATCH, from_id=max(first_id - HOOK_WINDOW, 0))
    except DatabaseError:
        logger.warning("Audit rows were not sealed now; a later sealing takes them", exc_info=True)


@dataclass(frozen=True)
class Sealing:
    rows: int
    seconds: float
    batches: int

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds > 0 else float(self.rows)


def seal_all(
    *,
    batch: int = BATCH,
    progress: Callable[[int, float], None] | None = None,
    pause: float = 0.05,
) -> Sealing:
    """Seal every committed unsealed row, batch after batch, in id order.

    Goes forward by id (each batch from the last id of the one before, so it never reads
    again what it sealed), then, once a batch is not full, once more from the first id for
    rows that committed late. When another sealer holds the lock, waits `pause` seconds and
    tries again. Rows that commit while this runs are taken too, unless the live sealers
    take them first.
    """
    started = time.monotonic()
    total = batches = 0
    from_id, swept = 0, False
    while True:
        sealed = _seal(batch, from_id)
        if sealed is None:
            time.sleep(pause)
            continue
        count, last_id = sealed
        total += count
        batches += 1 if count else 0
        if progress is not None and count:
            progress(total, time.monotonic() - started)
        if count == batch:
            from_id = last_id + 1
        elif from_id == 0 or swept:
            break
        else:
            from_id, swept = 0, True
    if total >= ANALYZE_AFTER:
        # The planner's statistics still say most rows are unsealed: until the next ANALYZE
        # it would read the rows after each commit through the primary key, row by row,
        # instead of the small index of unsealed rows.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE audit_auditevent")
    return Sealing(total, time.monotonic() - started, batches)
