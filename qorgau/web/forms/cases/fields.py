"""Choice fields and small field builders the case forms share."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.core.models import CriminalArticle
from qorgau.people.models import Juvenile, Relative
from qorgau.proceedings.models import (
    Accused,
    Charge,
    Participant,
)

DATE_HINT = _("For example 24 11 2026")
MESSAGE_ARTICLES = _("Choose at least one Criminal Code article part.")


def need(message: Any) -> dict[str, Any]:
    """The error of an empty required field, naming what to do (never "This field is required")."""
    return {"required": message}


class TallSelectMultiple(forms.SelectMultiple):
    """A multiple select that shows several rows: GOV.UK's select is one row high."""

    template_name = "web/cases/widgets/select_multiple.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"size": 10, **(attrs or {})})


def number_input(width: int = 4) -> forms.NumberInput:
    return forms.NumberInput(attrs={"class": f"govuk-input--width-{width}", "inputmode": "numeric"})


MESSAGE_AMOUNT = _("Enter the amount in tenge, for example 150 000.")


class JuvenileChoiceField(forms.ModelChoiceField[Juvenile]):
    def label_from_instance(self, obj: Juvenile) -> str:
        birth = formats.date_format(obj.birth_date, "SHORT_DATE_FORMAT")
        return f"{obj.full_name} — {birth} — {obj.iin_masked or _('no IIN')}"


class ArticleLabel:
    def label_from_instance(self, obj: CriminalArticle) -> str:
        return f"{obj.citation} — {obj.title} ({obj.get_gravity_display()})"


class ArticleChoiceField(ArticleLabel, forms.ModelChoiceField[CriminalArticle]):
    pass


class ArticlesField(ArticleLabel, forms.ModelMultipleChoiceField[CriminalArticle]):
    pass


class StaffChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name() or obj.username} — {obj.agency or ''}".rstrip(" —")


class ParticipantChoiceField(forms.ModelChoiceField[Participant]):
    def label_from_instance(self, obj: Participant) -> str:
        return obj.full_name


class ParticipantsField(forms.ModelMultipleChoiceField[Participant]):
    def label_from_instance(self, obj: Participant) -> str:
        return f"{obj.full_name} — {obj.get_role_display()}"


class RelativeChoiceField(forms.ModelChoiceField[Relative]):
    def label_from_instance(self, obj: Relative) -> str:
        return f"{obj.full_name} — {obj.get_relation_display()} ({obj.juvenile.full_name})"


class AccusedChoiceField(forms.ModelChoiceField[Accused]):
    def label_from_instance(self, obj: Accused) -> str:
        return obj.juvenile.full_name


class ChargeChoiceField(forms.ModelChoiceField[Charge]):
    def label_from_instance(self, obj: Charge) -> str:
        return f"{obj.article.citation} — {obj.article.title}"


class AmountField(forms.DecimalField):
    """Tenge as people type them: 150000, 150 000 or 150 000,50."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = str(value or "").replace(" ", "").replace("\xa0", "").replace(",", ".")
        if not text:
            return None
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValidationError(MESSAGE_AMOUNT, code="invalid") from None


def yes_no(label: Any, required: bool = True, message: Any = None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=required,
        error_messages=need(message) if message else None,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        widget=forms.RadioSelect,
    )


def radios(label: Any, choices: Any, required: bool = True, **kwargs: Any) -> forms.ChoiceField:
    """Radios whose labels start with a capital, as GOV.UK's do (choices are lower case)."""
    return forms.ChoiceField(
        label=label,
        choices=[(value, capfirst(text)) for value, text in choices],
        required=required,
        widget=forms.RadioSelect,
        **kwargs,
    )


def months(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=1, help_text=help_text, widget=number_input()
    )


def juveniles_for(actor: User) -> QuerySet[Juvenile]:
    return Juvenile.objects.visible_to(actor).order_by("last_name", "first_name", "id")


def articles() -> QuerySet[CriminalArticle]:
    return CriminalArticle.objects.order_by("id")


def staff_with(role: str) -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, groups__name=role)
        .select_related("agency")
        .order_by("last_name", "first_name", "id")
    )
