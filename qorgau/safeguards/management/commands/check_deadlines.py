import datetime
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from qorgau.audit.context import Origin, current_origin
from qorgau.safeguards.services import sweep


def moment(text: str) -> datetime.datetime:
    """An ISO date and time; without an offset it is read as Asia/Almaty (the project's zone)."""
    try:
        value = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"--at {text!r} is not a date and time: write it as ISO 8601, e.g. "
            "2026-11-25T09:00 (Almaty time) or 2026-11-25T04:00+00:00"
        ) from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    if value > timezone.now():
        raise CommandError(f"--at {text!r} is in the future: the sweep cannot run ahead of time")
    return value


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
