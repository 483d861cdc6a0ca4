from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qorgau.core import backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to one file: pg_dump's custom format for PostgreSQL, an "
        "SQLite copy for SQLite. Default file: var/backups/qorgau-<database>-<UTC time>.dump."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", type=Path, help="the backup file to write")
        parser.add_argument("--database", default="default", help="Django database alias")
        parser.add_argument(
            "--database-url", help="back up this database instead (postgres://…, sqlite:///…)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = backup.backup(options["database"], options["database_url"], options["output"])
        self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
