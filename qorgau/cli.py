"""The `qorgau` console script: Django's manage.py for this project."""

import os
import sys

from django.core.management import execute_from_command_line


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qorgau.settings")
    from qorgau.audit.context import Origin, current_origin

    current_origin.set(Origin(channel="cli"))
    execute_from_command_line(sys.argv)
    return 0
