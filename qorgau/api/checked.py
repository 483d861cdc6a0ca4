"""The base of every API input and query schema: dates are ISO dates within reasonable bounds.

pydantic alone takes a number as a Unix time (`0` is 1970-01-01) and any year from 1 to 9999,
and date arithmetic near either end then overflows in a server error. Here a date must be
written `YYYY-MM-DD` (a date-time `YYYY-MM-DDTHH:MM…`) and lie between 1900-01-01 and
2100-12-31; otherwise the answer is 422 naming the field.
"""

import datetime
import re
import types
from typing import Any, Union, get_args, get_origin

from ninja import Schema
from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from qorgau.core.dates import EARLIEST, LATEST, in_range

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# The error types, mapped to translated messages by the API's error handler.
DATE_RANGE = "date_range"


def date_kind(annotation: Any) -> type | None:
    """datetime.datetime or datetime.date when a field holds one (optional or not), else None."""
    if annotation in (datetime.datetime, datetime.date):
        return annotation  # type: ignore[no-any-return]
    if get_origin(annotation) in (Union, types.UnionType):
        kinds = [date_kind(arg) for arg in get_args(annotation)]
        found = [kind for kind in kinds if kind is not None]
        return found[0] if found else None
    return None


class CheckedSchema(Schema):
    @field_validator("*", mode="before")
    @classmethod
    def dates_are_iso(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        kind = date_kind(field.annotation) if field is not None else None
        if kind is None or value is None or isinstance(value, datetime.date):
            return value
        text = value.strip() if isinstance(value, str) else None
        if kind is datetime.datetime:
            if text is not None and ISO_DATETIME.match(text):
                return text
            raise PydanticCustomError("datetime_parsing", "Enter a valid date/time.")
        if text is not None and ISO_DATE.fullmatch(text):
            return text
        raise PydanticCustomError("date_parsing", "Enter a valid date.")

    @field_validator("*", mode="after")
    @classmethod
    def dates_in_range(cls, value: Any) -> Any:
        if isinstance(value, datetime.date) and not in_range(value):
            raise PydanticCustomError(
                DATE_RANGE,
                "Enter a date between {earliest} and {latest}.",
                {"earliest": EARLIEST.isoformat(), "latest": LATEST.isoformat()},
            )
        return value
