"""Forms of the individual support plan pages."""

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.core.models import Territory
from qorgau.support.models import NeedKind, Priority, SupportPlan, TaskStatus
from qorgau.web.forms.cases.fields import DATE_HINT, need, radios
from qorgau.web.forms.fields import DateInputField

MESSAGE_CHOOSE_NEED = _("Choose the need.")
MESSAGE_CHOOSE_PRIORITY = _("Choose the priority.")
MESSAGE_DESCRIBE_NEED = _("Describe what the minor needs.")
MESSAGE_DESCRIBE_ACTION = _("Describe what is to be done.")
MESSAGE_CHOOSE_AGENCY = _("Choose the agency responsible.")
MESSAGE_DUE = _("Enter the due date.")
MESSAGE_CHOOSE_ANSWER = _("Choose whether your agency accepts the referral.")
MESSAGE_DECLINE_REASON = _("Give the reason for declining the referral.")
MESSAGE_RESULT = _("Describe the result: what was done and with what outcome.")
MESSAGE_CANCEL_REASON = _("Give the reason for cancelling the task.")
MESSAGE_CLOSING_NOTE = _("Write a closing note: what the plan achieved and why it ends.")
MESSAGE_NO_STAFF = _("Choose a staff member from the list.")

ACCEPT = "accept"
DECLINE = "decline"


def textarea(
    label: Any, message: Any = None, help_text: Any = "", rows: int = 4
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=message is not None,
        help_text=help_text,
        error_messages=need(message) if message else None,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class StaffField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return obj.get_full_name() or obj.username


def staff_field(label: Any, staff: list[User], help_text: Any = "") -> StaffField:
    field = StaffField(
        label=label,
        required=False,
        queryset=User.objects.filter(pk__in=[member.pk for member in staff]),
        empty_label=_("Nobody in particular yet"),
        help_text=help_text,
        error_messages={"invalid_choice": MESSAGE_NO_STAFF},
    )
    return field


class PlanForm(forms.Form):
    goal = textarea(
        _("Aim of the plan"),
        help_text=_("What the accompaniment should achieve for the minor, in a sentence or two."),
    )


class NeedForm(forms.Form):
    kind = radios(_("Which need does the plan answer?"), NeedKind.choices)
    description = textarea(
        _("What does the minor need?"),
        MESSAGE_DESCRIBE_NEED,
        help_text=_("What you found, in plain words: the situation and what should change."),
    )
    priority = radios(_("Priority"), Priority.choices, initial=Priority.NORMAL)

    def __init__(self, *args: Any, plan: SupportPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = {need.kind for need in plan.needs.all()}
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(v, capfirst(t)) for v, t in NeedKind.choices if v not in taken]
        kind.error_messages["required"] = MESSAGE_CHOOSE_NEED
        priority = self.fields["priority"]
        priority.error_messages["required"] = MESSAGE_CHOOSE_PRIORITY


def agency_choices(region: Territory, own: Agency | None) -> list[Any]:
    """Active agencies grouped by region, the plan's region first, so the list stays usable."""
    agencies = Agency.objects.active().select_related("territory__parent")
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for agency in agencies:
        top = agency.region
        label = f"{agency.name} ({agency.get_agency_type_display()})"
        if own is not None and agency.pk == own.pk:
            label = str(_("%(agency)s — your agency") % {"agency": label})
        groups.setdefault(top.pk, (top.name, []))[1].append((agency.pk, label))
    ordered = sorted(groups.items(), key=lambda item: (item[0] != region.pk, item[1][0]))
    return [("", _("Choose an agency")), *[(name, rows) for _pk, (name, rows) in ordered]]


class TaskForm(forms.Form):
    action = textarea(
        _("What is to be done?"),
        MESSAGE_DESCRIBE_ACTION,
        help_text=_("One concrete step, for example: enrol in the vocational course."),
    )
    agency = forms.TypedChoiceField(
        label=_("Agency responsible"),
        coerce=int,
        error_messages=need(MESSAGE_CHOOSE_AGENCY),
        help_text=_(
            "Your own agency's task starts at once. For another agency it is a referral: that "
            "agency accepts it, naming who does it, or declines it with a reason. Agencies of the "
            "plan's region are listed first."
        ),
    )
    assignee = StaffField(label=_("Staff member responsible"), required=False, queryset=None)
    due_on = DateInputField(
        label=_("Due date"), help_text=DATE_HINT, error_messages=need(MESSAGE_DUE)
    )

    def __init__(
        self, *args: Any, plan: SupportPlan, own: Agency | None, staff: list[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.TypedChoiceField)
        agency.choices = agency_choices(plan.lead_agency.region, own)
        self.fields["assignee"] = staff_field(
            _("Staff member of your agency responsible"),
            staff,
            _("Only for a task of your own agency; leave empty for a referral."),
        )
        if own is not None:
            self.initial.setdefault("agency", own.pk)

    def clean_agency(self) -> Agency:
        agency = Agency.objects.active().filter(pk=self.cleaned_data["agency"]).first()
        if agency is None:
            raise forms.ValidationError(MESSAGE_CHOOSE_AGENCY)
        return agency


class AnswerForm(forms.Form):
    answer = radios(
        _("Does your agency accept the referral?"),
        [(ACCEPT, _("yes, we accept it")), (DECLINE, _("no, we decline it"))],
        error_messages=need(MESSAGE_CHOOSE_ANSWER),
    )
    assignee = StaffField(label=_("Who will do it"), required=False, queryset=None)
    reason = textarea(
        _("If you decline: why?"),
        help_text=_("The plan's team sees the reason, and the need shows as not covered."),
    )

    def __init__(self, *args: Any, staff: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = staff_field(
            _("If you accept: who will do it?"),
            staff,
            _("You can leave it to the agency and name someone later."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == DECLINE and not (data.get("reason") or "").strip():
            self.add_error("reason", MESSAGE_DECLINE_REASON)
        return data


class ResultForm(forms.Form):
    result = textarea(
        _("What was done, and with what result?"),
        MESSAGE_RESULT,
        help_text=_("For example: attended 6 sessions; anxiety lower by the school's account."),
    )


class CancelForm(forms.Form):
    reason = textarea(_("Why is the task cancelled?"), MESSAGE_CANCEL_REASON)


class CloseForm(forms.Form):
    note = textarea(_("Closing note"), MESSAGE_CLOSING_NOTE)


class TaskFilterForm(forms.Form):
    """The task list's filters: a GET form, so a filtered list has its own address."""

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Still to do")), *[(v, capfirst(t)) for v, t in TaskStatus.choices]],
    )
    overdue = forms.BooleanField(label=_("Only overdue tasks"), required=False)
    agency_wide = forms.BooleanField(label=_("All tasks of my agency"), required=False)
