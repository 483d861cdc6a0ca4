from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from qorgau.core import backup


class Command(BaseCommand):
    help = (
        "Restore a file written by `qorgau backup`, all or nothing (one transaction). The "
        "target must hold no tables unless --force, which replaces the tables the backup holds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the backup file")
        parser.add_argument("--force", action="store_true", help="replace a non-empty target")
        parser.add_argument("--database", default="default", help="Django database alias")
        parser.add_argument(
            "--database-url", help="restore into this database instead (postgres://…, sqlite:///…)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backup.restore(
            options["file"], options["database"], options["database_url"], options["force"]
        )
        self.stdout.write(f"restored {options['file']}")
