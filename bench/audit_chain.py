"""What the audit trail's hash chain costs, and how the trail behaves at national scale.

Run against a migrated PostgreSQL database of your own (it appends rows to its trail):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/qorgau_audit \
        .venv/bin/python bench/audit_chain.py [--rows 2000] [--threads 8] [--bulk 200000]

1. cost per audit row, one writer: record() (lock + head + insert) against a bare INSERT;
2. the same with N concurrent writers, each row its own transaction;
3. a bulk load by COPY with compute_row_hash (what a national data generator does), then
   `verify-audit`'s rate, and the plan and time of the "who saw this record" query.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("DEBUG", "true")

import django

django.setup()

from django.db import connection, connections, transaction  # noqa: E402

from qorgau.audit.chain import HASHED_FIELDS, compute_row_hash  # noqa: E402
from qorgau.audit.models import AuditEvent  # noqa: E402
from qorgau.audit.services import record  # noqa: E402
from qorgau.audit.verify import verify_chain  # noqa: E402
from qorgau.people.trail import events_about  # noqa: E402


def per_row(label: str, rows: int, write) -> float:
    started = time.perf_counter()
    for number in range(rows):
        write(number)
    seconds = time.perf_counter() - started
    rate = rows / seconds
    print(f"{label}: {rows} rows, {seconds / rows * 1000:.3f} ms a row, {rate:,.0f} rows/s")
    return seconds / rows


def bare_insert(number: int) -> None:
    # The row without its chain: what an audit row cost before (no lock, no head read).
    with transaction.atomic():
        AuditEvent(
            actor_name="bench", action="juvenile.view", channel="system", details={"n": number}
        ).save()


def bare_rows(rows: int) -> float:
    """Bare inserts go to a copy of the table (same columns and indexes, logged like it, not
    a TEMP table, whose commits skip the WAL), so the real trail's chain stays whole.
    Run last: Django caches columns with their table name."""
    table = AuditEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_bare")
        cursor.execute(f"CREATE TABLE bench_bare (LIKE {table} INCLUDING ALL)")
    AuditEvent._meta.db_table = "bench_bare"
    try:
        return per_row("bare INSERT, no chain", rows, bare_insert)
    finally:
        AuditEvent._meta.db_table = table
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_bare")


def chained(number: int) -> None:
    with transaction.atomic():
        record(actor=None, action="juvenile.view", details={"n": number})


def concurrent(threads: int, rows_each: int) -> None:
    latencies: list[float] = []
    lock = threading.Lock()

    def writer(worker: int) -> None:
        mine = []
        try:
            for step in range(rows_each):
                started = time.perf_counter()
                with transaction.atomic():
                    record(actor=None, action="juvenile.view", details={"w": worker, "s": step})
                mine.append(time.perf_counter() - started)
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
    print(
        f"{threads} writers: {total} rows in {seconds:.2f} s, {total / seconds:,.0f} rows/s; "
        f"per row median {statistics.median(latencies) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms"
    )


def bulk_load(rows: int, subjects: int) -> None:
    """COPY `rows` chained rows about `subjects` children, hashed without the ORM."""
    head = AuditEvent.objects.order_by("-id").values_list("row_hash", flat=True).first()
    head = head or "0" * 64
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    columns = [*HASHED_FIELDS, "prev_hash", "row_hash"]
    started = time.perf_counter()
    buffer = io.StringIO()
    for number in range(rows):
        values = {
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
            "details": {},
            "channel": "web",
            "ip_address": "10.0.0.1",
            "user_agent": "",
        }
        row_hash = compute_row_hash(values, head)
        cells = [
            json.dumps(values[name], ensure_ascii=False)
            if name in ("fields", "changes", "details")
            else values[name].isoformat()
            if name == "at"
            else "\\N"
            if values[name] is None
            else str(values[name])
            for name in HASHED_FIELDS
        ]
        buffer.write("\t".join([*cells, head, row_hash]) + "\n")
        head = row_hash
    hashed = time.perf_counter() - started
    buffer.seek(0)
    with connection.cursor() as cursor, transaction.atomic():
        cursor.execute(f"LOCK TABLE {AuditEvent._meta.db_table} IN EXCLUSIVE MODE")
        with cursor.copy(
            f"COPY {AuditEvent._meta.db_table} ({', '.join(columns)}) FROM STDIN"
        ) as copy:
            copy.write(buffer.getvalue())
    total = time.perf_counter() - started
    print(
        f"bulk load: {rows} rows, hashing {rows / hashed:,.0f} rows/s, "
        f"with COPY {rows / total:,.0f} rows/s"
    )


def who_saw(subject_id: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE audit_auditevent")
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
    parser.add_argument("--bulk", type=int, default=0)
    parser.add_argument("--subjects", type=int, default=50000)
    options = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("run this against PostgreSQL (DATABASE_URL=postgres://...)")
    chain = per_row("record() with the chain", options.rows, chained)
    concurrent(options.threads, options.rows // options.threads)
    if options.bulk:
        bulk_load(options.bulk, options.subjects)
        who_saw("123")
    result = verify_chain()
    state = "holds" if result.broken is None else f"broken at row {result.broken.id}"
    print(f"verify-audit: {result.rows} rows, {result.rows_per_second:,.0f} rows/s, chain {state}")
    bare = bare_rows(options.rows)
    print(f"the chain adds {(chain - bare) * 1000:.3f} ms a row to one writer")


if __name__ == "__main__":
    main()
