from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, AgencyType, Role
from qorgau.web.forms.fields import DateInputField
from qorgau.web.forms.people import territory_field


class AgencyForm(forms.Form):
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=255)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=255)
    name_en = forms.CharField(label=_("Name in English"), max_length=255)
    agency_type = forms.ChoiceField(label=_("Type"), choices=AgencyType.choices)
    territory = territory_field(_("Region or district"), required=True)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class StaffForm(forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=150, required=False)
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.select_related("territory").order_by("territory__kato_code"),
        required=False,
        help_text=_("Every staff member except a system administrator works in an agency."),
    )
    position = forms.CharField(label=_("Position"), max_length=255, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    language = forms.ChoiceField(label=_("Interface language"), choices=settings.LANGUAGES)
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )


class NewStaffForm(StaffForm):
    username = forms.CharField(
        label=_("Login"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only."),
    )
    password = forms.CharField(
        label=_("Initial password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits. The staff member changes it later."),
    )

    field_order = ["username", "password"]


class EditStaffForm(StaffForm):
    is_active = forms.BooleanField(
        label=_("Account active"),
        required=False,
        help_text=_("A deactivated account cannot sign in; its history stays."),
    )


class TrainingForm(forms.Form):
    course = forms.CharField(label=_("Course"), max_length=255)
    provider = forms.CharField(label=_("Provider"), max_length=255, required=False)
    completed_on = DateInputField(label=_("Completed on"))
    hours = forms.IntegerField(label=_("Hours"), min_value=1, max_value=2000)
    certificate_number = forms.CharField(
        label=_("Certificate number"), max_length=64, required=False
    )
