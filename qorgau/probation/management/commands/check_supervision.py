from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from qorgau.audit.context import Origin, current_origin
from qorgau.core.dates import moment
from qorgau.probation.services import sweep


class Command(BaseCommand):
    help = (
        "Raise the probation reminders that fire when time passes: a convict who has not "
        "reported by the day the rule sets, a check-in day passed with nothing recorded. Safe to "
        "run repeatedly; schedule it beside check-deadlines. --at runs it as if at that time."
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
        self.stdout.write(f"check-supervision{when}: {result.raised} new reminder(s)")
