"""The `qorgau` console script: Django's manage.py for this project."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    from qorgau.audit.context import Origin, current_origin

    current_origin.set(Origin(channel="cli"))
    # `qorgau check-deadlines` reads better in a crontab than check_deadlines.
    if len(sys.argv) > 1 and not sys.argv[1].startswith("-"):
        sys.argv[1] = sys.argv[1].replace("-", "_")
    execute_from_command_line(sys.argv)
    return 0
