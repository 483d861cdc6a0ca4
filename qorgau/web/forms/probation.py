"""Forms of the probation pages: supervision steps, the release and its follow-ups."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.probation.models import (
    AreaKind,
    Attendance,
    EndReason,
    FollowUpOutcome,
    InstitutionKind,
    Response,
)
from qorgau.proceedings.models import Proceeding
from qorgau.web.forms.cases.fields import DATE_HINT, StaffChoiceField, need, number_input, radios
from qorgau.web.forms.fields import DateInputField


def _day(label: Any, message: Any, help_text: Any = DATE_HINT) -> DateInputField:
    return DateInputField(label=label, help_text=help_text, error_messages=need(message))


def _text(
    label: Any, required: bool = False, help_text: Any = "", **kwargs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class RegisterForm(forms.Form):
    registered_on = _day(_("Date the minor reported"), _("Enter the date the minor reported."))
    inspector = StaffChoiceField(
        label=_("Inspector in charge"),
        queryset=User.objects.none(),
        empty_label=_("Choose the inspector"),
        error_messages=need(_("Choose the inspector.")),
    )

    def __init__(
        self, *args: Any, inspectors: QuerySet[User], grounds: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["inspector"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = inspectors
        if grounds:
            self.fields["deferral_ground"] = radios(
                _("Why the court deferred serving the sentence"),
                grounds,
                error_messages=need(_("Choose why the court deferred serving the sentence.")),
            )


class PlanForm(forms.Form):
    report_every_days = forms.IntegerField(
        label=_("The minor reports every (days)"),
        min_value=1,
        max_value=90,
        help_text=_("For example 7 for once a week, 14 for twice a month."),
        widget=number_input(3),
        error_messages=need(_("Enter how often the minor reports, in days.")),
    )
    first_check_in_on = _day(_("First check-in"), _("Enter the date of the first check-in."))
    obligations = _text(
        _("Obligations the court set"),
        help_text=_("For example: not to leave home after 22:00, to attend school."),
    )
    work_hours = forms.IntegerField(
        label=_("Hours of community or correctional work"),
        required=False,
        min_value=1,
        help_text=_("Leave empty when the sentence sets no hours of work."),
        widget=number_input(4),
    )


class CheckInForm(forms.Form):
    due_on = _day(_("Day of the check-in"), _("Enter the day of the check-in."))
    attendance = radios(
        _("Did the minor come?"),
        Attendance.choices,
        error_messages=need(_("Choose whether the minor came.")),
    )
    reason = _text(_("Reason (for an excused absence)"))
    notes = _text(_("Notes"))


class BreachForm(forms.Form):
    occurred_on = _day(_("Date of the breach"), _("Enter the date of the breach."))
    description = _text(
        _("What happened"), required=True, error_messages=need(_("Describe what happened."))
    )
    response = radios(
        _("Response"), Response.choices, error_messages=need(_("Choose the response."))
    )


class HoursForm(forms.Form):
    worked_on = _day(_("Date worked"), _("Enter the date worked."))
    hours = forms.IntegerField(
        label=_("Hours"),
        min_value=1,
        widget=number_input(3),
        error_messages=need(_("Enter the hours worked.")),
    )
    place = forms.CharField(label=_("Place of work"), required=False, max_length=255)


class EndForm(forms.Form):
    ended_on = _day(_("Date the supervision ended"), _("Enter the date the supervision ended."))
    reason = radios(
        _("How it ended"), EndReason.choices, error_messages=need(_("Choose how it ended."))
    )
    new_proceeding = forms.ModelChoiceField(
        label=_("Case of the new offence"),
        queryset=Proceeding.objects.none(),
        required=False,
        empty_label=_("Choose the case"),
        help_text=_("Only for a new offence: a case against the same minor."),
    )
    notes = _text(_("Notes"))

    def __init__(self, *args: Any, cases: QuerySet[Proceeding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_proceeding"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = cases


class ReleaseForm(forms.Form):
    iin = forms.CharField(
        label=_("IIN of the minor"),
        max_length=12,
        help_text=_("12 digits. The minor must be registered in Qorgau."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "inputmode": "numeric"}),
        error_messages=need(_("Enter the IIN of the minor.")),
    )
    institution = forms.CharField(
        label=_("Institution"),
        max_length=255,
        error_messages=need(_("Enter the name of the institution.")),
    )
    institution_kind = radios(
        _("Kind of institution"),
        InstitutionKind.choices,
        error_messages=need(_("Choose the kind of institution.")),
    )
    released_on = _day(_("Date of release"), _("Enter the date of release."))
    basis = radios(_("Basis of release"), [], error_messages=need(_("Choose the basis.")))

    def __init__(self, *args: Any, bases: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["basis"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(code, capfirst(label)) for code, label in bases]
        for area, label in AreaKind.choices:
            self.fields[f"area_{area}"] = _text(
                _("What the minor needs: %(area)s") % {"area": label},
                help_text=_("Leave empty if nothing is needed here."),
            )

    def areas(self) -> dict[str, str]:
        return {area: self.cleaned_data.get(f"area_{area}") or "" for area in AreaKind.values}


class FollowUpForm(forms.Form):
    done_on = _day(_("Date of the follow-up"), _("Enter the date of the follow-up."))
    outcome = radios(
        _("Outcome"), FollowUpOutcome.choices, error_messages=need(_("Choose the outcome."))
    )
    notes = _text(_("Notes"))
