"""Forms of the duty roster: a shift, cancelling one, and the one-step on-duty assignment."""

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.core.dates import validate_date_in_range
from qorgau.core.models import Territory
from qorgau.defence import selectors
from qorgau.defence.legal_rules import defence_rules
from qorgau.defence.models import Duty
from qorgau.web.forms.cases.fields import DATE_HINT, need
from qorgau.web.forms.fields import DateInputField, TimeInputField, local_moment

MESSAGE_CONSULTATION = _("Choose the consultation.")
MESSAGE_MEMBER = _("Choose who is on duty.")
MESSAGE_DUTY = _("Choose the duty.")
MESSAGE_START_DAY = _("Enter the date the shift starts.")
MESSAGE_START_TIME = _("Enter the time the shift starts.")
MESSAGE_END_DAY = _("Enter the date the shift ends.")
MESSAGE_END_TIME = _("Enter the time the shift ends.")
MESSAGE_STATE_PAID = _("Answer whether the defence is paid by the state.")
MESSAGE_WEEK = _("Enter a real date, for example 27.03.2010.")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class MemberChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return " — ".join(p for p in (obj.get_full_name(), ", ".join(obj.role_labels)) if p)


class ShiftForm(forms.Form):
    consultation = forms.ModelChoiceField(
        label=_("Legal consultation"),
        queryset=Agency.objects.none(),
        error_messages=need(MESSAGE_CONSULTATION),
    )
    duty = forms.ChoiceField(
        label=_("Duty"), choices=Duty.choices, widget=forms.RadioSelect,
        error_messages=need(MESSAGE_DUTY),
    )  # fmt: skip
    member = MemberChoiceField(
        label=_("Who is on duty"),
        queryset=User.objects.none(),
        error_messages=need(MESSAGE_MEMBER),
    )
    intern = MemberChoiceField(
        label=_("Accompanying intern"),
        help_text=_("Only with a psychologist's shift: an intern is never on duty alone."),
        queryset=User.objects.none(),
        required=False,
    )
    territory = forms.ModelChoiceField(
        label=_("Region or city served"),
        help_text=_("Leave empty for the consultation's own region or city."),
        queryset=Territory.objects.filter(parent=None).order_by("kato_code"),
        required=False,
    )
    start_day = DateInputField(
        label=_("Starts on"), help_text=DATE_HINT, error_messages=need(MESSAGE_START_DAY)
    )
    start_time = TimeInputField(label=_("Starts at"), error_messages=need(MESSAGE_START_TIME))
    end_day = DateInputField(
        label=_("Ends on"), help_text=DATE_HINT, error_messages=need(MESSAGE_END_DAY)
    )
    end_time = TimeInputField(label=_("Ends at"), error_messages=need(MESSAGE_END_TIME))

    ALIASES = {"starts_at": "start_time", "ends_at": "end_time"}

    def __init__(self, *args: Any, consultations: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultation"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in consultations]
        )
        if len(consultations) == 1:
            self.fields["consultation"].initial = consultations[0].pk
            self.fields["consultation"].widget = forms.HiddenInput()
        people = User.objects.filter(
            agency__in=[c.pk for c in consultations], is_active=True
        ).prefetch_related("groups")
        self.fields["member"].queryset = people  # type: ignore[attr-defined]
        self.fields["intern"].queryset = people  # type: ignore[attr-defined]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "consultation": data["consultation"],
            "member": data["member"],
            "duty": data["duty"],
            "intern": data.get("intern"),
            "territory": data.get("territory"),
            "starts_at": local_moment(data["start_day"], data["start_time"]),
            "ends_at": local_moment(data["end_day"], data["end_time"]),
        }


class CancelShiftForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the shift cancelled?"),
        max_length=255,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=need(_("Give the reason for cancelling the shift.")),
    )


class AssignForm(forms.Form):
    state_paid = forms.ChoiceField(
        label=_("Is the defence paid by the state?"),
        help_text=_(
            "When the body conducting the process appoints the defender, the state budget may "
            "pay (CPC RK art. 68 parts 5-6)."
        ),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages=need(MESSAGE_STATE_PAID),
    )
    with_psychologist = forms.BooleanField(
        label=_("Also assign the social psychologist on duty"), required=False, initial=True
    )

    def __init__(self, *args: Any, has_psychologist: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_psychologist:
            del self.fields["with_psychologist"]


class WeekForm(forms.Form):
    """The roster's GET filter: region and a day of the wanted week."""

    region = forms.ModelChoiceField(
        label=_("Region or city"),
        queryset=Territory.objects.filter(parent=None).order_by("kato_code"),
        to_field_name="kato_code",
        required=False,
    )
    week = forms.DateField(
        label=_("Week of"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": MESSAGE_WEEK},
        validators=[validate_date_in_range],
    )

    def week_start(self, today: datetime.date) -> datetime.date:
        day = self.cleaned_data.get("week") if self.is_valid() else None
        return selectors.week_start(day or today)


class PeriodForm(forms.Form):
    """The response-times GET filter."""

    region = forms.ModelChoiceField(
        label=_("Region or city"),
        queryset=Territory.objects.filter(parent=None).order_by("kato_code"),
        to_field_name="kato_code",
        required=False,
        empty_label=_("All regions"),
    )
    start = forms.DateField(
        label=_("From"), required=False, input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": MESSAGE_WEEK},
        validators=[validate_date_in_range],
    )  # fmt: skip
    end = forms.DateField(
        label=_("To"), required=False, input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        error_messages={"invalid": MESSAGE_WEEK},
        validators=[validate_date_in_range],
    )  # fmt: skip

    def clean_end(self) -> datetime.date | None:
        end: datetime.date | None = self.cleaned_data.get("end")
        if end is not None:
            defence_rules().response_targets(end)  # NoRuleInForce: a form error on `end`
        return end
