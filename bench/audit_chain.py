"""What the audit trail's hash chain costs, and how the trail behaves at national scale.

Run against a migrated PostgreSQL database of your own (it appends rows to its trail):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_audit \
        .venv/bin/python bench/audit_chain.py [--rows 2000] [--threads 8] [--work-ms 2] \
        [--bulk 1000000] [--self-sealed 200000]

1. cost per audit row, one writer: record() (a bare INSERT; after the commit, the sealing
   of that row) against a bare INSERT into a copy of the table;
2. the same with N concurrent writers, each row its own transaction with `--work-ms` of
   other work after the audit row (a page view's rendering, say);
3. a bulk load: `--bulk` rows COPYed unsealed, then sealed by `seal_all` (what
   `qorgau seal-audit` does), and `--self-sealed` rows COPYed already sealed by
   `chain.link_rows` (the other way for a generator);
4. `verify-audit`'s rate, and the plan and time of the "who saw this record" query.
"""

import argparse
import datetime
import io
import json
import os
import statistics
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.db import connection, connections, transaction  # noqa: E402

from qorgau.audit.chain import CHAIN_FIELDS, HASHED_FIELDS, link_rows  # noqa: E402
from qorgau.audit.models import AuditEvent  # noqa: E402
from qorgau.audit.sealer import head, seal_all  # noqa: E402
from qorgau.audit.services import record  # noqa: E402
from qorgau.audit.verify import verify_chain  # noqa: E402
from qorgau.people.trail import events_about  # noqa: E402

TABLE = AuditEvent._meta.db_table
CONTENT = [name for name in HASHED_FIELDS if name != "chain_seq"]


def per_row(label: str, rows: int, write) -> float:
    started = time.perf_counter()
    for number in range(rows):
        write(number)
    seconds = time.perf_counter() - started
    rate = rows / seconds
    print(f"{label}: {rows} rows, {seconds / rows * 1000:.3f} ms a row, {rate:,.0f} rows/s")
    return seconds / rows


def bare_insert(number: int) -> None:
    # The row alone: no sealing after the commit.
    with transaction.atomic():
        AuditEvent(
            actor_name="bench", action="juvenile.view", channel="system", details={"n": number}
        ).save()


def bare_rows(rows: int) -> float:
    """Bare inserts go to a copy of the table (same columns and indexes, logged like it, not
    a TEMP table, whose commits skip the WAL), so the real trail stays whole.
    Run last: Django caches columns with their table name."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(f"CREATE TABLE bench_bare (LIKE {TABLE} INCLUDING ALL)")
    AuditEvent._meta.db_table = "bench_bare"
    try:
        return per_row("bare INSERT, nothing after the commit", rows, bare_insert)
    finally:
        AuditEvent._meta.db_table = TABLE
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_bare")


def recorded(number: int) -> None:
    with transaction.atomic():
        record(actor=None, action="juvenile.view", details={"n": number})


def concurrent(threads: int, rows_each: int, work: float) -> None:
    latencies: list[float] = []
    lock = threading.Lock()

    def writer(worker: int) -> None:
        mine = []
        try:
            for step in range(rows_each):
                started = time.perf_counter()
                with transaction.atomic():
                    record(actor=None, action="juvenile.view", details={"w": worker, "s": step})
                    if work:
                        time.sleep(work)
                mine.append(time.perf_counter() - started)  # the sealing after commit included
        finally:
            connections.close_all()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    pool = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    seconds = time.perf_counter() - started
    total = threads * rows_each
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95)]
    unsealed = AuditEvent.objects.filter(chain_seq__isnull=True).count()
    print(
        f"{threads} writers, {work * 1000:.0f} ms of work each: {total} rows in {seconds:.2f} s, "
        f"{total / seconds:,.0f} rows/s; per transaction median "
        f"{statistics.median(latencies) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms; "
        f"{unsealed} rows left unsealed"
    )


def generated(rows: int, subjects: int) -> Iterator[dict[str, Any]]:
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for number in range(rows):
        yield {
            "at": start + datetime.timedelta(seconds=number * 7),
            "actor_id": None,
            "actor_name": f"Қызметкер {number % 5000}",
            "actor_agency": "Әуезов ТБ",
            "action": "juvenile.view",
            "subject_type": "people.juvenile",
            "subject_id": str(number % subjects),
            "subject_label": "Бала",
            "fields": [],
            "changes": {},
            "details": {"n": number % 97} if number % 3 else {},
            "channel": "web",
            "ip_address": "10.0.0.1",
            "user_agent": "",
        }


def cell(name: str, value: Any) -> str:
    if value is None:
        return "\\N"
    if name in ("fields", "changes", "details"):
        return json.dumps(value, ensure_ascii=False)
    if name == "at":
        return value.isoformat()
    return str(value)


def copy(columns: list[str], lines: Iterator[str]) -> None:
    sql = f"COPY {TABLE} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, transaction.atomic(), cursor.copy(sql) as stream:
        buffer = io.StringIO()
        for number, line in enumerate(lines, 1):
            buffer.write(line)
            if number % 50_000 == 0:
                stream.write(buffer.getvalue())
                buffer = io.StringIO()
        stream.write(buffer.getvalue())


def bulk_unsealed(rows: int, subjects: int, batch: int) -> None:
    """COPY `rows` unsealed rows, then seal them as `qorgau seal-audit` does."""
    started = time.perf_counter()
    copy(
        CONTENT,
        (
            "\t".join(cell(name, values[name]) for name in CONTENT) + "\n"
            for values in generated(rows, subjects)
        ),
    )
    loaded = time.perf_counter() - started
    rate = rows / loaded
    print(f"bulk load, unsealed: {rows} rows by COPY in {loaded:.1f} s, {rate:,.0f} rows/s")
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {TABLE}")

    def progress(sealed: int, seconds: float) -> None:
        if sealed % (batch * 20) == 0:
            print(f"    {sealed} rows sealed, {sealed / seconds:,.0f} rows/s")

    done = seal_all(batch=batch, progress=progress)
    print(
        f"seal-audit: {done.rows} rows in {done.seconds:.1f} s, "
        f"{done.rows_per_second:,.0f} rows/s ({done.batches} batches of {batch})"
    )


def bulk_self_sealed(rows: int, subjects: int) -> None:
    """COPY `rows` rows already sealed by link_rows, from the head, under the sealer's lock."""
    from qorgau.audit.sealer import SEAL_LOCK

    columns = [*CONTENT, *CHAIN_FIELDS]
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
        after_seq, after_hash = head()
        values = list(generated(rows, subjects))
        lines = (
            "\t".join(cell(name, row[name]) for name in CONTENT)
            + f"\t{link.chain_seq}\t{link.prev_hash}\t{link.row_hash}\n"
            for row, link in zip(
                values, link_rows(values, after_seq=after_seq, after_hash=after_hash), strict=True
            )
        )
        copy(columns, lines)
    seconds = time.perf_counter() - started
    rate = rows / seconds
    print(f"bulk load, sealed by the loader: {rows} rows in {seconds:.1f} s, {rate:,.0f} rows/s")


def who_saw(subject_id: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {TABLE}")
    query = events_about({"people.juvenile": {subject_id}, "proceedings.proceeding": {"1", "2"}})
    query = query.order_by("-at", "-id")[:26]
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [row[0] for row in cursor.fetchall()]
    print("who saw this record, first page:")
    for line in plan:
        print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--work-ms", type=float, default=2.0)
    parser.add_argument("--bulk", type=int, default=0)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--self-sealed", type=int, default=0)
    parser.add_argument("--subjects", type=int, default=50000)
    parser.add_argument("--skip-writers", action="store_true")
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run this against PostgreSQL (DATABASE_URL=postgres://...)")
    if not options.skip_writers:
        chained = per_row("record(), sealed after each commit", options.rows, recorded)
        concurrent(options.threads, options.rows // options.threads, options.work_ms / 1000)
        concurrent(options.threads, options.rows // options.threads, 0)
    if options.bulk:
        bulk_unsealed(options.bulk, options.subjects, options.batch)
    if options.self_sealed:
        bulk_self_sealed(options.self_sealed, options.subjects)
    if options.bulk or options.self_sealed:
        who_saw("123")
    seal_all()
    result = verify_chain()
    state = "holds" if result.broken is None else f"broken at row {result.broken.id}"
    print(f"verify-audit: {result.rows} rows, {result.rows_per_second:,.0f} rows/s, chain {state}")
    if not options.skip_writers:
        bare = bare_rows(options.rows)
        print(f"record() costs {(chained - bare) * 1000:.3f} ms a row more than a bare INSERT")


if __name__ == "__main__":
    main()
