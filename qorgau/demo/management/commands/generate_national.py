import datetime
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from qorgau.demo.national.country import ADMIN_USERNAME, PASSWORD
from qorgau.demo.national.plan import ScaleError, parse_scale
from qorgau.demo.national.runner import Refusal, generate
from qorgau.people.services import count_register


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise CommandError(f"--as-of must be a date as YYYY-MM-DD, not {raw!r}.") from None


def _stop(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = (
        "Fill an empty PostgreSQL database with a synthetic country at SCALE times national "
        "volume (1 = about 60,000 cases and 100,000 juveniles). Deterministic for a seed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", required=True, help="1 = national volume; 0.01 to 100")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--as-of", dest="as_of", help="the day the data ends (default today)")
        parser.add_argument(
            "--years", type=float, default=3, help="how far back the offences go (default 3)"
        )
        parser.add_argument("--resume", action="store_true", help="finish an interrupted run")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--workers",
            type=int,
            default=2,
            help="processes that make the rows while this one writes them: 1, 2 or 4 (default 2)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            scale = parse_scale(options["scale"])
        except ScaleError as error:
            raise CommandError(str(error)) from None
        as_of = _date(options["as_of"]) if options["as_of"] else timezone.localdate()
        if not 0.1 <= options["years"] <= 20:
            raise CommandError("--years must be between 0.1 and 20.")
        if options["workers"] not in (1, 2, 4):
            raise CommandError("--workers must be 1, 2 or 4.")
        # A plain `kill` must not skip the `finally` that builds the indexes again.
        signal.signal(signal.SIGTERM, _stop)
        try:
            result = generate(
                seed=options["seed"],
                scale=scale,
                as_of=as_of,
                resume=options["resume"],
                years=options["years"],
                progress_every=float("inf") if options["no_progress"] else 0.5,
                workers=options["workers"],
            )
        except Refusal as error:
            raise CommandError(str(error)) from None
        rate = result.persons / result.seconds if result.seconds else 0
        self.stdout.write(
            f"Loaded {result.cases:,} cases in {result.blocks} blocks "
            f"({result.done_before} done earlier) in {result.seconds:,.1f} s: "
            f"{rate:,.0f} persons/s, {result.rows / max(result.seconds, 1e-6):,.0f} rows/s "
            f"(indexes built again in {result.index_seconds:,.1f} s)."
        )
        self.stdout.write(
            "Time: " + ", ".join(f"{what} {sec:,.1f} s" for what, sec in result.timing.items())
        )
        for table, count in result.counts.items():
            self.stdout.write(f"  {table:<40} {count:>12,}")
        # The analysts' figures by region are read from tallies (people/tallies.py).
        count_register()
        self.stdout.write(
            f"Logins: {ADMIN_USERNAME} and <role>.<KATO code>.<n>, password {PASSWORD}."
        )
