"""The mixed load against the production server: `make bench-load SCALE=N`, or

    python -m bench.load --scale N [--duration 30] [--connections 16] [--threads 2]

Starts `qorgau serve` (gunicorn, production settings, as behind the TLS proxy) on the same
database as bench/run.py, signs in one session per role, checks that every page of the mix
answers 200 through the server, then runs wrk with bench/mixed.lua: a weighted mix of the
main pages, each opened by its role. Prints page views per second and the latency
percentiles, and writes bench/results/load-scale-N.json. Needs `wrk` (Debian package;
`make bench-load` installs it).
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/load.py`
    sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402

LUA = ROOT / "bench" / "mixed.lua"
# Page views/s and p95 the issue sets for the mixed load.
TARGET_PAGE_VIEWS = 150.0
TARGET_P95_MS = 200.0

# (page key in bench/pages.py, weight): what a working day looks like, roughly. Case pages
# and Today dominate; searches are frequent; dashboards, accompaniment and PDFs are rarer.
MIX: list[tuple[str, int]] = [
    ("Today (investigator)", 8),
    ("Today (prosecutor)", 4),
    ("Today (defender)", 3),
    ("Today (psychologist)", 2),
    ("juveniles list (investigator)", 4),
    ("search by IIN (investigator)", 6),
    ("search by surname, Cyrillic (investigator)", 5),
    ("search by surname, Latin (investigator)", 2),
    ("juvenile page (investigator)", 6),
    ("case list (investigator)", 5),
    ("case list (prosecutor)", 5),
    ("case page (investigator)", 14),
    ("case page (prosecutor)", 8),
    ("case page (defender)", 5),
    ("oversight dashboard (prosecutor)", 2),
    ("violations list (prosecutor)", 3),
    ("duty roster (defender)", 2),
    ("response times (prosecutor)", 1),
    ("assessment page (assessor)", 2),
    ("plan page (coordinator)", 2),
    ("mediation page (mediator)", 1),
    ("API case detail (investigator)", 4),
    ("API search by IIN (investigator)", 2),
    ("portrait PDF, signed (report_reader)", 1),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str, cookie: str = "") -> int:
    """The status of a GET through the server, as the TLS proxy would send it; no redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    if cookie:
        request.add_header("Cookie", cookie)
    try:
        with urllib.request.build_opener(NoRedirect).open(request, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def server_env() -> dict[str, str]:
    """Production settings as behind the proxy that ends TLS; the load process's secret key, so
    the sessions it signed are valid there."""
    env = dict(os.environ)
    env.update(
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        BEHIND_TLS_PROXY="true",
        SECURE_SSL_REDIRECT="true",
        DATABASE_CONN_MAX_AGE=env.get("DATABASE_CONN_MAX_AGE") or "60",
    )
    return env


def start_server(port: int, workers: int | None, log: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, str(ROOT / "manage.py"), "serve", "--bind", f"127.0.0.1:{port}"]
    if workers:
        command += ["--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=server_env(), stdout=out, stderr=out)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"qorgau serve stopped at start:\n{log.read_text(errors='replace')}")
        try:
            if get(f"http://127.0.0.1:{port}/healthz") == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise RuntimeError("qorgau serve did not answer /healthz within 90 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def sessions(actors: set[str], users: dict[str, Any]) -> dict[str, Any]:
    """One signed-in session per actor, made as a sign-in makes it."""
    from django.test import Client

    clients = {}
    for actor in sorted(actors):
        client = Client()
        client.force_login(users[actor])
        clients[actor] = client
    return clients


def wrk(base: str, mix_file: Path, *, seconds: int, connections: int, threads: int) -> str:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        base,
        "--",
        str(mix_file),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def parse_wrk(output: str) -> dict[str, Any]:
    for line in output.splitlines():
        if line.startswith("BENCH_RESULT "):
            result: dict[str, Any] = json.loads(line.removeprefix("BENCH_RESULT "))
            return result
    raise RuntimeError(f"wrk printed no result:\n{output}")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/load.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default=os.environ.get("SCALE", "1"), help="names the results")
    parser.add_argument("--duration", type=int, default=30, help="seconds of measured load")
    parser.add_argument("--warmup", type=int, default=5, help="seconds of load before it")
    parser.add_argument("--connections", type=int, default=16, help="open connections")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, help="server workers (default: qorgau serve's)")
    parser.add_argument("--out", type=Path, help="default bench/results/load-scale-N.json")
    args = parser.parse_args(argv)
    if min(args.duration, args.connections, args.threads) < 1 or args.warmup < 0:
        parser.error("--duration, --connections and --threads must be at least 1")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    return args


def mix_of(picks: Any) -> list[tuple[Any, int]]:
    """The pages of MIX that this database can give, with their weights."""
    from bench.pages import PAGES

    by_key = {page.key: page for page in PAGES}
    return [
        (by_key[key], weight)
        for key, weight in MIX
        if picks.users.get(by_key[key].actor) is not None
        and all(getattr(picks, need) is not None for need in by_key[key].needs)
    ]


def mix_lines(
    base: str, mix: list[tuple[Any, int]], picks: Any, cookies: dict[str, str]
) -> tuple[list[str], dict[str, Any]]:
    """The mix file's lines for the pages that answer 200 through the server, and the others."""
    lines, failed = [], {}
    for page, weight in mix:
        path = page.url(picks)
        status = get(base + path, cookies[page.actor])
        if status == 200:
            lines.append(f"{weight}\t{cookies[page.actor]}\t{path}\t{page.key}")
        else:
            failed[page.key] = {"url": path, "status": status}
            print(f"FAILED {page.key}: {path} answered {status}; left out of the mix")
    return lines, failed


def load(args: argparse.Namespace, url: str) -> dict[str, Any]:
    from django.conf import settings

    from bench.measure import machine
    from bench.picks import choose

    host = machine()
    picks = choose()
    mix = mix_of(picks)
    clients = sessions({page.actor for page, _ in mix}, picks.users)
    name = settings.SESSION_COOKIE_NAME
    cookies = {actor: f"{name}={client.cookies[name].value}" for actor, client in clients.items()}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    size = {"connections": args.connections, "threads": args.threads}
    with tempfile.TemporaryDirectory(prefix="qorgau-load-") as work:
        log = Path(work) / "server.log"
        print(f"database {run.shown(url)}; starting qorgau serve on {base}")
        server = start_server(port, args.workers, log)
        try:
            lines, failed = mix_lines(base, mix, picks, cookies)
            mix_file = Path(work) / "mix.tsv"
            mix_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
            if args.warmup:
                wrk(base, mix_file, seconds=args.warmup, **size)
            output = wrk(base, mix_file, seconds=args.duration, **size)
            started = log.read_text(errors="replace").splitlines()
        finally:
            stop_server(server)
            for client in clients.values():
                client.session.delete()
    result = parse_wrk(output)
    met = (
        result["page_views_per_s"] >= TARGET_PAGE_VIEWS
        and result["latency_ms"]["p95"] < TARGET_P95_MS
    )
    return {
        "scale": args.scale,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "server": next((line for line in started if "worker(s)" in line), "qorgau serve"),
        "wrk": {**size, "seconds": args.duration, "warmup_seconds": args.warmup},
        "machine": {**host, "load_average_after": machine()["load_average"]},
        "mix": {page.key: weight for page, weight in mix if page.key not in failed},
        "failed": failed,
        "result": result,
        "targets": {"page_views_per_s": TARGET_PAGE_VIEWS, "p95_ms": TARGET_P95_MS, "met": met},
    }


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: `make bench-load` installs it (apt-get install wrk).")
        return 2
    url = run.database_url(args.scale)
    run.configure(url)
    problem = run.empty_database_message(args.scale, url)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    document = load(args, url)
    result, latency = document["result"], document["result"]["latency_ms"]
    print(
        f"{result['page_views_per_s']:.1f} page views/s over {result['seconds']:.0f} s "
        f"({args.connections} connections); latency p50 {latency['p50']:.1f} ms, "
        f"p95 {latency['p95']:.1f} ms, p99 {latency['p99']:.1f} ms; "
        f"{result['not_200']} answers not 200; target >= {TARGET_PAGE_VIEWS:.0f}/s with p95 < "
        f"{TARGET_P95_MS:.0f} ms: {'met' if document['targets']['met'] else 'NOT met'}"
    )
    out = run.save(document, args.out or run.RESULTS / f"load-scale-{args.scale}.json")
    print(f"written to {out}")
    return 1 if document["failed"] or result["not_200"] else 0


if __name__ == "__main__":
    sys.exit(main())
