"""Timing pages in-process through Django's test client.

Each page: a warm-up, one request under CaptureQueriesContext for its number of queries, then
the timed requests (none of them capturing, so the debug cursor costs nothing). Every answer
must be 200; a page that answers anything else, or raises, is reported and not timed.
"""

import math
import os
import platform
import socket
import sys
import time
from collections.abc import Callable, Iterable
from typing import Any

import django
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from bench.pages import FLOOR, MAX_QUERIES, Page
from bench.picks import Picks
from bench.urls import BARE_URL


class PageFailed(Exception):
    pass


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of the values (sorted or not)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def fetch(client: Client, url: str) -> bytes:
    try:
        response = client.get(url)
    except Exception as error:
        raise PageFailed(f"raised {type(error).__name__}: {error}") from error
    if response.status_code != 200:
        where = f" to {response['Location']}" if response.has_header("Location") else ""
        raise PageFailed(f"answered {response.status_code}{where}")
    return bytes(response.content)


def measure(client: Client, url: str, *, requests: int, warmup: int) -> dict[str, Any]:
    for _ in range(warmup):
        fetch(client, url)
    with CaptureQueriesContext(connection) as captured:
        body = fetch(client, url)
    # Read now: the next request's start clears the log the context reads lazily.
    queries = len(captured.captured_queries)
    times = []
    for _ in range(requests):
        start = time.perf_counter_ns()
        fetch(client, url)
        times.append((time.perf_counter_ns() - start) / 1e6)
    return {
        "p50": round(percentile(times, 0.50), 2),
        "p95": round(percentile(times, 0.95), 2),
        "mean": round(sum(times) / len(times), 2),
        "min": round(min(times), 2),
        "max": round(max(times), 2),
        "queries": queries,
        "bytes": len(body),
        "requests": requests,
    }


def run_pages(
    pages: Iterable[Page],
    picks: Picks,
    *,
    requests: int,
    warmup: int,
    echo: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Measure the pages as their actors; the floor first, and a tenth as many requests to the
    floor just before each page, which its ratio is taken against. Returns pages, failed and
    skipped."""
    pages = list(pages)
    if FLOOR not in pages:
        pages.insert(0, FLOOR)
    timed: dict[str, dict[str, Any]] = {}
    failed: dict[str, dict[str, Any]] = {}
    skipped: dict[str, str] = {}
    clients: dict[str, Client] = {}
    hosts = [*settings.ALLOWED_HOSTS, "testserver"]
    floor_requests = max(5, requests // 10)
    with override_settings(
        ROOT_URLCONF="bench.urls", ALLOWED_HOSTS=hosts, SECURE_SSL_REDIRECT=False
    ):
        try:
            for page in pages:
                user = picks.users.get(page.actor)
                missing = [name for name in page.needs if getattr(picks, name) is None]
                if missing:
                    skipped[page.key] = f"nothing to open: no {', '.join(missing)} in this database"
                    continue
                if user is None:
                    skipped[page.key] = f"no {page.actor} to sign in as in this database"
                    continue
                if page.actor not in clients:
                    clients[page.actor] = Client()
                    clients[page.actor].force_login(user)
                url = page.url(picks)
                about = {"role": ",".join(user.roles), "user": user.username, "url": url}
                try:
                    # The floor again just before the page, with the same session: on a shared
                    # machine the load drifts during a run, and the ratio should not.
                    client = clients[page.actor]
                    floor = None
                    if page != FLOOR:
                        floor = measure(client, BARE_URL, requests=floor_requests, warmup=0)
                    result = measure(client, url, requests=requests, warmup=warmup)
                    result["floor_p50"] = (floor or result)["p50"]
                except PageFailed as error:
                    failed[page.key] = {**about, "error": str(error)}
                    echo(f"FAILED {page.key}: {url} {error}")
                    continue
                timed[page.key] = {
                    **about,
                    **result,
                    "target_p95": page.target_p95,
                    "max_queries": MAX_QUERIES.get(page.key),
                }
                echo(f"{page.key:<48} p50 {result['p50']:8.2f} ms  p95 {result['p95']:8.2f} ms")
        finally:
            for client in clients.values():
                client.session.delete()  # the benchmark's sessions, not anyone's real one
    for result in timed.values():
        result["ratio"] = round(result["p50"] / result["floor_p50"], 1)
        target = result["target_p95"]
        result["within_target"] = None if target is None else result["p95"] <= target
    return {"pages": timed, "failed": failed, "skipped": skipped}


def table(results: dict[str, Any]) -> str:
    """The printed table: one row a page, then the failed and skipped ones."""
    head = (
        f"{'page':<48} {'role':<20} {'p50 ms':>8} {'p95 ms':>8} {'×floor':>7} {'SQL':>4} "
        f"{'target':>7}"
    )
    lines = [head, "-" * len(head)]
    for key, r in results["pages"].items():
        target = "" if r["target_p95"] is None else f"{r['target_p95']:.0f}"
        mark = {None: "", True: " ok", False: " OVER"}[r["within_target"]]
        ceiling = r.get("max_queries")
        if ceiling is not None and r["queries"] > ceiling:
            mark += f" SQL>{ceiling}"
        ratio = "" if r["ratio"] is None else f"{r['ratio']:.1f}"
        lines.append(
            f"{key:<48} {r['role'][:20]:<20} {r['p50']:8.2f} {r['p95']:8.2f} {ratio:>7} "
            f"{r['queries']:>4} {target:>7}{mark}"
        )
    lines += [f"FAILED  {key}: {r['url']} {r['error']}" for key, r in results["failed"].items()]
    lines += [f"skipped {key}: {why}" for key, why in results["skipped"].items()]
    return "\n".join(lines)


def machine() -> dict[str, Any]:
    """What the figures were measured on: they mean little without it."""
    info: dict[str, Any] = {
        "hostname": socket.gethostname(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "django": django.get_version(),
        "cpus": len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "database": connection.vendor,
    }
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            models = [
                line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")
            ]
        info["cpu_model"] = models[0] if models else ""
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
        info["memory_gb"] = round(total_kb / 1024 / 1024, 1)
    except OSError:
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            info["database_version"] = cursor.fetchone()[0]
    return info
