"""The individual identification number (ЖСН/ИИН) of the Republic of Kazakhstan.

Twelve digits: YYMMDD birth date, a century-and-sex digit (1/2 born in the 1800s,
3/4 in the 1900s, 5/6 in the 2000s; odd is male), four serial digits and a check digit
computed mod 11 with two weight sequences.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGE_LENGTH = _("An IIN has exactly 12 digits.")
MESSAGE_DIGITS = _("An IIN contains digits only.")
MESSAGE_CENTURY = _("The 7th digit of an IIN must be 1 to 6 (century and sex).")
MESSAGE_DATE = _("The first six digits of an IIN must be a real birth date (YYMMDD).")
MESSAGE_CHECKSUM = _("The IIN's check digit does not match: check the number for a typing error.")

FIRST_WEIGHTS = tuple(range(1, 12))
SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURY_BY_DIGIT = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}


class Sex:
    MALE = "male"
    FEMALE = "female"


@dataclass(frozen=True)
class IINFacts:
    birth_date: datetime.date
    sex: str


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11 digits, or None when no valid check digit exists."""
    digits = [int(c) for c in first_eleven]
    for weights in (FIRST_WEIGHTS, SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def parse_iin(value: str) -> IINFacts:
    """Validate an IIN and return the birth date and sex it encodes."""
    value = (value or "").strip()
    if not value.isascii() or not value.isdigit():
        raise ValidationError(MESSAGE_DIGITS, code="iin_digits")
    if len(value) != 12:
        raise ValidationError(MESSAGE_LENGTH, code="iin_length")
    century_digit = int(value[6])
    if century_digit not in CENTURY_BY_DIGIT:
        raise ValidationError(MESSAGE_CENTURY, code="iin_century")
    try:
        birth_date = datetime.date(
            CENTURY_BY_DIGIT[century_digit] + int(value[0:2]), int(value[2:4]), int(value[4:6])
        )
    except ValueError:
        raise ValidationError(MESSAGE_DATE, code="iin_date") from None
    if check_digit(value[:11]) != int(value[11]):
        raise ValidationError(MESSAGE_CHECKSUM, code="iin_checksum")
    return IINFacts(birth_date=birth_date, sex=Sex.MALE if century_digit % 2 else Sex.FEMALE)


def validate_iin(value: str) -> None:
    """Django field validator."""
    parse_iin(value)


def make_iin(birth_date: datetime.date, sex: str, serial: int) -> str | None:
    """Build a valid IIN (for test and demo data), or None if this serial has no check digit."""
    century = birth_date.year // 100 * 100
    base = {1800: 1, 1900: 3, 2000: 5}[century] + (0 if sex == Sex.MALE else 1)
    first = f"{birth_date:%y%m%d}{base}{serial % 10000:04d}"
    digit = check_digit(first)
    return None if digit is None else f"{first}{digit}"


MASK = "•"
SHOWN_DIGITS = 4


def mask_iin(value: str | None) -> str:
    """An IIN for lists: the last four digits, the rest masked (`••••••••0123`).

    The full number is read on the record itself, where reading it is audited; a list needs
    only enough to tell two children with the same name apart (beside the birth date).
    """
    if not value:
        return ""
    return MASK * (len(value) - SHOWN_DIGITS) + value[-SHOWN_DIGITS:]
