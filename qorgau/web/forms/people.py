from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.core.iin import validate_iin
from qorgau.core.models import Territory
from qorgau.people.models import Citizenship, Juvenile, NoIINReason, Relative, Sex
from qorgau.web.forms.fields import DateInputField


class TerritoryChoiceField(forms.ModelChoiceField[Territory]):
    def label_from_instance(self, obj: Territory) -> str:
        if obj.parent_id:
            return f"{obj.parent} — {obj.name}"
        return obj.name


def territory_field(label: Any, required: bool = False) -> TerritoryChoiceField:
    return TerritoryChoiceField(
        label=label,
        required=required,
        queryset=Territory.objects.select_related("parent").order_by("kato_code"),
    )


class JuvenileForm(forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    iin = forms.CharField(
        label=_("IIN"),
        max_length=12,
        required=False,
        help_text=_("12 digits. Leave empty if the child has no IIN and say why below."),
        validators=[validate_iin],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    no_iin_reason = forms.ChoiceField(
        label=_("Why there is no IIN"),
        required=False,
        choices=[("", _("The child has an IIN")), *NoIINReason.choices],
    )
    birth_date = DateInputField(
        label=_("Date of birth"),
        required=False,
        help_text=_("For example 27 3 2010. Can be left empty when the IIN is entered."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        required=False,
        choices=[("", _("Read from the IIN")), *Sex.choices],
    )
    citizenship = forms.ChoiceField(label=_("Citizenship"), choices=Citizenship.choices)
    citizenship_country = forms.CharField(
        label=_("Country of citizenship"),
        required=False,
        help_text=_("Only for a foreign citizen."),
    )
    address_territory = territory_field(_("Region or district of residence"))
    address = forms.CharField(label=_("Address"), required=False, max_length=255)
    school = forms.CharField(label=_("School or place of study"), required=False, max_length=255)
    incomplete_family = forms.BooleanField(label=_("Incomplete family"), required=False)
    low_income_family = forms.BooleanField(label=_("Low-income family"), required=False)
    large_family = forms.BooleanField(label=_("Large family"), required=False)
    asocial_family = forms.BooleanField(label=_("Asocial family"), required=False)
    family_notes = forms.CharField(
        label=_("Notes on the family"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    FAMILY_FLAGS = ("incomplete_family", "low_income_family", "large_family", "asocial_family")

    @classmethod
    def initial_from(cls, juvenile: Juvenile) -> dict[str, Any]:
        return {name: getattr(juvenile, name) for name in cls.base_fields}


class RelativeForm(forms.ModelForm[Relative]):
    birth_date = DateInputField(label=_("Date of birth"), required=False)
    iin = forms.CharField(label=_("IIN"), max_length=12, required=False, validators=[validate_iin])

    class Meta:
        model = Relative
        fields = [
            "relation",
            "is_legal_representative",
            "lives_with_child",
            "last_name",
            "first_name",
            "patronymic",
            "iin",
            "birth_date",
            "phone",
            "email",
            "address",
            "occupation",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"iin": _("IIN")}
        help_texts = {
            "is_legal_representative": _(
                "A parent, adoptive parent, guardian or trustee who represents the child "
                "in the proceedings (CPC art. 537)."
            ),
            "phone": _("For example +7 701 123 45 67."),
        }
