"""The dates the system accepts from outside: reasonable bounds for every date typed or sent.

Python's dates run from year 1 to 9999, and arithmetic near either end (a week back, a day on)
overflows in a server error; no record of the juvenile justice system lies there.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST = datetime.date(1900, 1, 1)
LATEST = datetime.date(2100, 12, 31)
MESSAGE_DATE_RANGE = _("Enter a date between %(earliest)s and %(latest)s.")


def in_range(value: datetime.date) -> bool:
    day = value.date() if isinstance(value, datetime.datetime) else value
    return EARLIEST <= day <= LATEST


def validate_date_in_range(value: datetime.date | None) -> None:
    """A form or model validator: refuses a date outside EARLIEST..LATEST with a clear message."""
    if value is not None and not in_range(value):
        raise ValidationError(
            MESSAGE_DATE_RANGE,
            code="date_range",
            params={"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
        )


def moment(text: str) -> datetime.datetime:
    """A command's --at: an ISO date and time; without an offset it is read as Asia/Almaty (the
    project's zone). Never in the future: a sweep cannot run ahead of time."""
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
