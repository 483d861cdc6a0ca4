"""Form pieces shared by the pages: the GOV.UK date input, a time field, service-error mapping."""

import datetime
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.core.dates import validate_date_in_range

MESSAGE_DATE_INCOMPLETE = _("Enter the day, month and year.")
MESSAGE_DATE_NOT_REAL = _("Enter a real date, for example 27.03.2010.")
MESSAGE_TIME_INVALID = _("Enter the time in 24-hour form, for example 16:40.")
TIME_HINT = _("24-hour, e.g. 16:40")

# 16:40, 16.40, 1640, 9:05 and 905: hours and minutes, with or without a separator.
TIME_PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$|^(\d{1,2})(\d{2})$")


class DateInputWidget(forms.MultiWidget):
    """Three boxes (day, month, year) as the GOV.UK date input pattern has them."""

    template_name = "web/widgets/date_input.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        widgets: dict[str, forms.Widget | type[forms.Widget]] = {
            "day": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "month": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 2}),
            "year": forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 4}),
        }
        super().__init__(widgets, attrs)

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        # Django marks a field with errors aria-invalid; each of the three boxes shows it.
        context["widget"]["invalid"] = context["widget"]["attrs"].get("aria-invalid") == "true"
        return context

    def decompress(self, value: Any) -> list[Any]:
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year]
        return [None, None, None]


class DateInputField(forms.MultiValueField):
    widget = DateInputWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        kwargs.setdefault("require_all_fields", False)
        # A box left empty: the message names the three parts, not Django's "complete value".
        kwargs["error_messages"] = {
            "incomplete": MESSAGE_DATE_INCOMPLETE,
            **kwargs.get("error_messages", {}),
        }
        super().__init__(fields, **kwargs)

    def compress(self, data_list: list[str]) -> datetime.date | None:
        if not data_list or not any(data_list):
            return None
        if not all(data_list):
            raise ValidationError(MESSAGE_DATE_INCOMPLETE, code="incomplete")
        try:
            day, month, year = (int(part) for part in data_list)
            if year < 1000:
                raise ValueError
            value = datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(MESSAGE_DATE_NOT_REAL, code="invalid") from None
        validate_date_in_range(value)
        return value


class TimeInputField(forms.CharField):
    """A time of day in one short box: 16:40, also typed as 16.40 or 1640 (no picker)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", TIME_HINT)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"class": "govuk-input--width-4", "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, datetime.time):
            return value.strftime("%H:%M")
        return value

    def to_python(self, value: Any) -> datetime.time | None:  # type: ignore[override]
        text = str(super().to_python(value)).strip()
        if not text:
            return None
        match = TIME_PATTERN.match(text)
        if match is None:
            raise ValidationError(MESSAGE_TIME_INVALID, code="invalid")
        hours, minutes = (int(part) for part in match.groups() if part is not None)
        try:
            return datetime.time(hours, minutes)
        except ValueError:
            raise ValidationError(MESSAGE_TIME_INVALID, code="invalid") from None


def local_moment(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """A date and a time of day read on the clocks of Kazakhstan (TIME_ZONE, Asia/Almaty)."""
    return timezone.make_aware(
        datetime.datetime.combine(day, time), timezone.get_default_timezone()
    )


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, aliases: Mapping[str, str] | None = None
) -> None:
    """Show a service's refusal on the form field it names, or above the form.

    aliases: a service's field name to the form field showing it (offence_at -> offence_on).
    """
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            name = aliases.get(field, field)
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
