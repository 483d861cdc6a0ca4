from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from qorgau.audit.context import Origin, current_origin
from qorgau.core.dates import moment
from qorgau.safeguards.services import sweep


class Command(BaseCommand):
    help = (
        "Check the safeguards that fire when time passes without an event (a detention with no "
        "release within its hours, custody past its term). Safe to run repeatedly; schedule it. "
        "--at runs it as if at that time (backfill, tests)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--at",
            metavar="TIME",
            help="Run the sweep as if at this ISO time (Asia/Almaty when it has no offset).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        at = moment(options["at"]) if options.get("at") else None
        current_origin.set(Origin(channel="system"))
        result = sweep(at)
        when = f" as at {timezone.localtime(at).isoformat()}" if at else ""
        self.stdout.write(f"check-deadlines{when}: {result.found} new violation(s)")
        if result.failed:
            # A non-zero exit tells the scheduler; the other minors were still checked.
            raise CommandError(f"check failed for accused {', '.join(map(str, result.failed))}")
