"""Forms of the oversight pages: the filters (a GET form) and the prosecutor's answers."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.core.models import Territory
from qorgau.safeguards import services
from qorgau.safeguards.models import ActType, Severity, Status
from qorgau.safeguards.rulebook import safeguard_book
from qorgau.safeguards.selectors import NOT_ANSWERED, ViolationFilters
from qorgau.web.forms.cases.fields import DATE_HINT, need, radios
from qorgau.web.forms.fields import DateInputField

MESSAGE_PERIOD = _("The end of the period must be the same as or after its start.")


class AgencyChoiceField(forms.ModelChoiceField[Agency]):
    def label_from_instance(self, obj: Agency) -> str:
        return obj.name


class RegionChoiceField(forms.ModelChoiceField[Territory]):
    def label_from_instance(self, obj: Territory) -> str:
        return obj.name


class ViolationFilterForm(forms.Form):
    """The filters of the dashboard and of the violation list: the address keeps them."""

    detected_from = DateInputField(label=_("Found from"), required=False, help_text=DATE_HINT)
    detected_to = DateInputField(label=_("Found to"), required=False, help_text=DATE_HINT)
    region = RegionChoiceField(
        label=_("Region"),
        required=False,
        queryset=Territory.objects.filter(parent=None).order_by("kato_code"),
        empty_label=_("All regions"),
    )
    agency = AgencyChoiceField(
        label=_("Agency responsible"),
        required=False,
        queryset=Agency.objects.none(),
        empty_label=_("All agencies"),
    )
    rule = forms.ChoiceField(label=_("Safeguard"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    severity = forms.ChoiceField(
        label=_("Severity"),
        required=False,
        choices=[("", _("Any severity")), *[(v, capfirst(t)) for v, t in Severity.choices]],
    )
    # Set by the dashboard's links (a staff member's row); shown as a removable filter.
    responsible = forms.ModelChoiceField(
        label=_("Staff member responsible"),
        required=False,
        queryset=User.objects.all(),
        widget=forms.HiddenInput,
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("region", "agency", "rule", "status", "severity"):
            self.fields[name].widget.attrs["class"] = "govuk-!-width-full"
        agency = self.fields["agency"]
        assert isinstance(agency, AgencyChoiceField)
        agency.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        rule = self.fields["rule"]
        assert isinstance(rule, forms.ChoiceField)
        # The rules' titles in the active language, read when the form is made.
        rule.choices = [("", _("All safeguards")), *safeguard_book().choices()]
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [
            ("", _("Any status")),
            (NOT_ANSWERED, _("Not yet answered (open or seen)")),
            *[(value, capfirst(text)) for value, text in Status.choices],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("detected_from"), data.get("detected_to")
        if start and end and end < start:
            self.add_error("detected_to", MESSAGE_PERIOD)
        return data

    def filters(self) -> ViolationFilters:
        """The filters that hold; a wrong one is named on the page and filters nothing."""
        data: dict[str, Any] = getattr(self, "cleaned_data", {})
        return ViolationFilters(
            detected_from=data.get("detected_from"),
            detected_to=data.get("detected_to"),
            region_id=data["region"].pk if data.get("region") else None,
            agency_id=data["agency"].pk if data.get("agency") else None,
            rule_id=data.get("rule") or "",
            status=data.get("status") or "",
            severity=data.get("severity") or "",
            responsible_id=data["responsible"].pk if data.get("responsible") else None,
        )


class AcknowledgeForm(forms.Form):
    """Nothing to fill in: the button says it."""


class RemedyForm(forms.Form):
    note = forms.CharField(
        label=_("How was it put right?"),
        required=False,
        max_length=2000,
        help_text=_("For example: the defender was brought in, the child was released."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it disputed?"),
        max_length=2000,
        help_text=_("Say what the record gets wrong, or why the rule does not apply here."),
        error_messages=need(services.MESSAGE_REASON_REQUIRED),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ActForm(forms.Form):
    act_type = radios(
        _("Type of act"),
        ActType.choices,
        error_messages=need(services.MESSAGE_ACT_TYPE),
    )
    act_number = forms.CharField(
        label=_("Number of the act"),
        max_length=64,
        error_messages=need(services.MESSAGE_ACT_NUMBER),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}),
    )
    act_date = DateInputField(
        label=_("Date of the act"),
        help_text=DATE_HINT,
        error_messages=need(services.MESSAGE_ACT_DATE),
    )
