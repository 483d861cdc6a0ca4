"""The page benchmark: `make bench SCALE=N`, or

    python -m bench.run --scale N [--requests 200] [--warmup 5] [--only TEXT] [--out FILE]

Measures every main page and API operation (bench/pages.py) as each role sees it, in-process
through Django's test client with the production settings (DEBUG off; no HTTPS redirect, as
there is no proxy in front), on the database `BENCH_DATABASE_URL` names, else
postgres://postgres@127.0.0.1:5432/qorgau_scale_N (the dot of N as an underscore). Prints a
table (p50, p95, ratio to the bare view, queries per request, the issue's target) and writes
bench/results/scale-N.json. Exit status 1 when a page failed, 2 when the database cannot be
measured. The requests write what real use writes (audit rows, disclosures of a report read).
"""

import argparse
import json
import os
import re
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python bench/run.py`
    sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results"
DEFAULT_REQUESTS = 200
DEFAULT_WARMUP = 5


def database_url(scale: str) -> str:
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        return given
    return f"postgres://postgres@127.0.0.1:5432/qorgau_scale_{scale.replace('.', '_')}"


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def configure(url: str) -> None:
    """Production settings on the benchmark's database, before Django starts."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "qorgau.settings"
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ.pop("QORGAU_TESTING", None)
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    # No second factor for the benchmark's sessions: the staff of a generated country have no
    # authenticator app, and the check on each request is one read of the session.
    os.environ.setdefault("SECOND_FACTOR_ROLES", "")
    import django

    django.setup()


def empty_database_message(scale: str, url: str) -> str | None:
    """Why this database cannot be measured, with the command that fills it; None when it can."""
    from django.db import DatabaseError

    from qorgau.accounts.models import User
    from qorgau.proceedings.models import Proceeding

    fill = (
        f"Generate a synthetic country in it first:\n"
        f"  DATABASE_URL={shown(url)} qorgau migrate\n"
        f"  DATABASE_URL={shown(url)} qorgau generate-national --scale {scale}\n"
        f"or point BENCH_DATABASE_URL at a populated Qorgau database."
    )
    try:
        cases = Proceeding.objects.count()
        staff = User.objects.filter(is_active=True, agency__isnull=False).count()
    except DatabaseError as error:
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if "does not exist" in reason and url.startswith("postgres"):
            name = url.rsplit("/", 1)[-1].split("?")[0]
            fill = f"Create it:\n  createdb -h 127.0.0.1 -U postgres {name}\n{fill}"
        return f"The database {shown(url)} cannot be read ({reason}).\n{fill}"
    if cases == 0 or staff == 0:
        return f"The database {shown(url)} holds no cases or no staff to measure.\n{fill}"
    return None


def volumes() -> dict[str, int]:
    from qorgau.audit.models import AuditEvent
    from qorgau.people.models import Juvenile
    from qorgau.proceedings.models import ProceduralEvent, Proceeding
    from qorgau.safeguards.models import Violation

    return {
        "juveniles": Juvenile.objects.count(),
        "cases": Proceeding.objects.count(),
        "events": ProceduralEvent.objects.count(),
        "violations": Violation.objects.count(),
        "audit_rows": AuditEvent.objects.count(),
    }


def benchmark(
    *, scale: str, requests: int, warmup: int, only: list[str] | None = None, echo: Any = None
) -> dict[str, Any]:
    """Choose, measure and describe: the whole results document (Django must be set up)."""
    from django.conf import settings

    from bench import measure
    from bench.pages import PAGES
    from bench.picks import choose

    echo = echo or (lambda line: None)
    started = time.time()
    host = measure.machine()
    picks = choose()
    pages = [page for page in PAGES if not only or any(text in page.key for text in only)]
    echo(f"measuring {len(pages)} pages, {requests} requests each after {warmup} to warm up")
    results = measure.run_pages(pages, picks, requests=requests, warmup=warmup, echo=echo)
    return {
        "scale": scale,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.time() - started, 1),
        "settings": {
            "requests": requests,
            "warmup": warmup,
            "debug": settings.DEBUG,
            "client": "django.test.Client, in-process",
        },
        # The load of the machine before and after: on a shared machine it explains a lot.
        "machine": {**host, "load_average_after": measure.machine()["load_average"]},
        "volumes": volumes(),
        "picks": picks.describe(),
        **results,
    }


def save(document: dict[str, Any], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default=os.environ.get("SCALE", "1"), help="names the results")
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="timed, per page")
    parser.add_argument("--warmup", type=int, default=DEFAULT_WARMUP, help="untimed, per page")
    parser.add_argument("--only", action="append", help="pages whose name contains this text")
    parser.add_argument(
        "--out", type=Path, help="results file (default bench/results/scale-N.json)"
    )
    args = parser.parse_args(argv)
    if args.requests < 1 or args.warmup < 0:
        parser.error("--requests must be at least 1 and --warmup at least 0")
    if not re.fullmatch(r"[A-Za-z0-9._-]+", args.scale):
        parser.error("--scale: letters, digits, dots, dashes and underscores only")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    url = database_url(args.scale)
    configure(url)
    problem = empty_database_message(args.scale, url)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    print(f"database {shown(url)}, scale {args.scale}")
    document = benchmark(
        scale=args.scale,
        requests=args.requests,
        warmup=args.warmup,
        only=args.only,
        echo=lambda line: print(line, flush=True),
    )
    from bench.measure import table

    print()
    print(table(document))
    out = save(document, args.out or RESULTS / f"scale-{args.scale}.json")
    print(f"\nwritten to {out}")
    return 1 if document["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
