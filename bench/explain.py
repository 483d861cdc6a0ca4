"""EXPLAIN (ANALYZE, BUFFERS) of every SELECT a page runs, as the page benchmark opens it:

    python -m bench.explain --scale N [--only TEXT ...] [--min-ms 2] [--plans]

For each page of bench/pages.py (or those whose name contains an --only text): the number of
queries, the planning and execution time of all its SELECTs, and those taking --min-ms or
more, slowest first (with their plans under --plans). The figures of docs/performance.md
("SQL per page") come from it. It opens each page twice (once to warm up, once to capture),
so it writes what the benchmark writes: run it on a benchmark database.
"""

import argparse
import json
import sys
from typing import Any

from bench.run import ROOT, configure, database_url

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def explain(cursor: Any, sql: str, params: Any) -> tuple[float, str]:
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
    plan = cursor.fetchone()[0]
    plan = plan if isinstance(plan, list) else json.loads(plan)
    total = plan[0]["Execution Time"] + plan[0]["Planning Time"]
    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
    return total, "\n".join(row[0] for row in cursor.fetchall())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1")
    parser.add_argument("--only", nargs="*", default=None)
    parser.add_argument("--min-ms", type=float, default=2.0)
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args(argv)
    configure(database_url(args.scale))

    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    from bench.pages import PAGES
    from bench.picks import choose

    picks = choose()
    pages = [p for p in PAGES if not args.only or any(text in p.key for text in args.only)]
    with override_settings(
        ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False
    ):
        for page in pages:
            user = picks.users.get(page.actor)
            if user is None or any(getattr(picks, name) is None for name in page.needs):
                print(f"== {page.key}: skipped (nothing to open)")
                continue
            client = Client()
            client.force_login(user)
            url = page.url(picks)
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            selects = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
            with connection.cursor() as cursor:
                timed = sorted(
                    ((*explain(cursor, sql, None), sql) for sql in selects), reverse=True
                )
            total = sum(ms for ms, _, _ in timed)
            print(f"== {page.key} {url}: {len(captured)} queries, SELECTs {total:.1f} ms")
            for ms, plan, sql in timed:
                if ms < args.min_ms:
                    break
                print(f"-- {ms:.1f} ms: {sql[:200]}")
                if args.plans:
                    print(plan, "\n")
            client.session.delete()
    return 0


if __name__ == "__main__":
    sys.exit(main())
