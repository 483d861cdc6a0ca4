from typing import Any

from django.core.management.base import BaseCommand, CommandError

from qorgau.audit.context import Origin, current_origin
from qorgau.safeguards.services import sweep


class Command(BaseCommand):
    help = (
        "Check the safeguards that fire when time passes without an event (a detention with no "
        "release within its hours, custody past its term). Safe to run repeatedly; schedule it."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        current_origin.set(Origin(channel="system"))
        result = sweep()
        self.stdout.write(f"check-deadlines: {result.found} new violation(s)")
        if result.failed:
            # A non-zero exit tells the scheduler; the other minors were still checked.
            raise CommandError(f"check failed for accused {', '.join(map(str, result.failed))}")
