"""Form pieces shared by the pages: the GOV.UK date input and service-error mapping."""

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MESSAGE_DATE_INCOMPLETE = _("Enter the day, month and year.")
MESSAGE_DATE_NOT_REAL = _("Enter a real date, for example 27.03.2010.")


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
            return datetime.date(year, month, day)
        except ValueError:
            raise ValidationError(MESSAGE_DATE_NOT_REAL, code="invalid") from None


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form field it names, or above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
