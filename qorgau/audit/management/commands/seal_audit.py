from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from qorgau.audit.sealer import BATCH, seal_all


class Command(BaseCommand):
    help = (
        "Seal the audit rows not linked into the hash chain yet, batch after batch, until none "
        "is left. Rows are sealed seconds after their commit anyway; run this after a bulk load "
        "and from cron (every minute is cheap), so no row waits when no one writes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=BATCH, help="rows sealed per transaction (%(default)s)"
        )
        parser.add_argument(
            "--progress", action="store_true", help="print the count and rate after each batch"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch = options["batch"]
        if batch < 1:
            raise CommandError("--batch must be a positive number")

        def progress(rows: int, seconds: float) -> None:
            rate = rows / seconds if seconds else rows
            self.stdout.write(f"  {rows} rows sealed, {rate:,.0f} rows/s")

        done = seal_all(batch=batch, progress=progress if options["progress"] else None)
        self.stdout.write(
            f"seal-audit: {done.rows} rows sealed in {done.seconds:.2f} s "
            f"({done.rows_per_second:,.0f} rows/s, {done.batches} batches)"
        )
