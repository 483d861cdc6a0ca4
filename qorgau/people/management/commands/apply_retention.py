import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from qorgau.audit.context import Origin, current_origin
from qorgau.core.retention import apply_retention, retention_rules


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at {value!r} is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = (
        "Apply the retention rules (core/rules/retention-<profile>.yaml): anonymise the records "
        "whose keeping period has passed. Safe to run repeatedly; schedule it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", type=_day, help="apply as on this day (default: today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="count what is due, change nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        current_origin.set(Origin(channel="system"))
        day = options["at"] or timezone.localdate()
        result = apply_retention(day, dry_run=options["dry_run"])
        for rule in retention_rules():
            if rule.code in result.due:
                verb = "due" if options["dry_run"] else "anonymised"
                changed = result.due[rule.code] if options["dry_run"] else result.changed[rule.code]
                self.stdout.write(f"apply-retention: {rule.code}: {changed} {verb}")
            else:
                self.stdout.write(f"apply-retention: {rule.code}: {rule.action}, nothing to do")
        if result.failed:
            raise CommandError("failed: " + "; ".join(result.failed))
