from typing import Any

from django.core.management.base import BaseCommand

from qorgau.api.services import purge_expired


class Command(BaseCommand):
    help = (
        "Delete the kept answers of Idempotency-Key requests older than QORGAU_IDEMPOTENCY_HOURS."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = purge_expired()
        self.stdout.write(f"{deleted} kept answer(s) deleted")
