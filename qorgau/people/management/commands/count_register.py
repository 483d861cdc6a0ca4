from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from qorgau.people.services import count_register


class Command(BaseCommand):
    help = (
        "Count the juveniles of every region again for the analysts' figures (people/tallies.py). "
        "Schedule it (nightly, say); the page shows when the figures were counted."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        at = count_register()
        self.stdout.write(
            f"count-register: figures by region as at {timezone.localtime(at):%Y-%m-%d %H:%M}"
        )
