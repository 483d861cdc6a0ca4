"""The dates the system accepts from outside: reasonable bounds for every date typed or sent.

Python's dates run from year 1 to 9999, and arithmetic near either end (a week back, a day on)
overflows in a server error; no record of the juvenile justice system lies there.
"""

import datetime

from django.core.exceptions import ValidationError
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
