"""Forms of a case: the list's filters, opening it, its minors, charges, prosecutor and people."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Role, User
from qorgau.core.models import Gravity, Territory
from qorgau.people.models import Juvenile, Relative
from qorgau.proceedings import policy
from qorgau.proceedings.models import (
    Accused,
    AdultTrial,
    Charge,
    ParticipantRole,
    Proceeding,
    Stage,
)
from qorgau.web.forms.cases.fields import (
    DATE_HINT,
    MESSAGE_ARTICLES,
    AccusedChoiceField,
    ArticleChoiceField,
    ArticlesField,
    ChargeChoiceField,
    JuvenileChoiceField,
    RelativeChoiceField,
    StaffChoiceField,
    TallSelectMultiple,
    articles,
    juveniles_for,
    need,
    radios,
    staff_with,
)
from qorgau.web.forms.fields import DateInputField, TimeInputField, local_moment
from qorgau.web.forms.people import territory_field


class CaseFilterForm(forms.Form):
    """The case list's filters: a GET form, so a filtered list has its own address."""

    q = forms.CharField(
        label=_("Case number or IIN"),
        required=False,
        max_length=100,
        help_text=_("Part of the registration number, or the first digits of a minor's IIN."),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Territory.objects.filter(parent=None).order_by("kato_code"),
        empty_label=_("All regions"),
    )
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All stages")), *Stage.choices]
    )
    investigator = StaffChoiceField(
        label=_("Investigator"),
        required=False,
        queryset=User.objects.none(),
        empty_label=_("All investigators"),
    )
    gravity = forms.ChoiceField(
        label=_("Gravity of the charge"),
        required=False,
        choices=[("", _("Any gravity")), *Gravity.choices],
    )
    registered_from = DateInputField(label=_("Registered from"), required=False)
    registered_to = DateInputField(label=_("Registered to"), required=False)

    def __init__(self, *args: Any, investigators: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["investigator"]
        assert isinstance(field, StaffChoiceField)
        field.queryset = investigators


class CaseForm(forms.Form):
    """Opening a case: the registration, the offence, the minor and the charges."""

    number = forms.CharField(
        label=_("Registration number"),
        max_length=32,
        error_messages=need(_("Enter the registration number.")),
        help_text=_("The number in the Unified Register of Pre-trial Investigations."),
    )
    registered_on = DateInputField(
        label=_("Registered on"),
        help_text=DATE_HINT,
        error_messages=need(_("Enter the date the case was registered.")),
    )
    offence_on = DateInputField(
        label=_("Date of the offence"),
        help_text=DATE_HINT,
        error_messages=need(_("Enter the date of the offence.")),
    )
    offence_time = TimeInputField(
        label=_("Time of the offence"),
        error_messages=need(_("Enter the time of the offence, for example 16:40.")),
    )
    offence_place = forms.CharField(
        label=_("Place of the offence"),
        max_length=255,
        error_messages=need(_("Enter the place of the offence.")),
    )
    territory = territory_field(_("Region or district"), required=True)
    juvenile = JuvenileChoiceField(
        label=_("The minor"),
        queryset=Juvenile.objects.none(),
        empty_label=_("Choose the minor"),
        error_messages=need(_("Choose the minor.")),
    )
    articles = ArticlesField(
        label=_("Criminal Code article parts"),
        queryset=articles(),
        help_text=_("Hold Ctrl to choose more than one."),
        widget=TallSelectMultiple,
        error_messages=need(MESSAGE_ARTICLES),
    )
    prosecutor = StaffChoiceField(
        label=_("Supervising prosecutor"),
        required=False,
        queryset=staff_with(Role.PROSECUTOR),
        empty_label=_("Not yet known"),
    )
    summary = forms.CharField(
        label=_("Summary of the facts"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    # Where a service's refusal shows: the offence's moment is typed as a date and a time.
    ALIASES = {"offence_at": "offence_on"}

    def __init__(self, *args: Any, actor: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["juvenile"]
        assert isinstance(field, JuvenileChoiceField)
        field.queryset = juveniles_for(actor)
        self.fields["territory"].error_messages.update(need(_("Choose the region or district.")))

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["offence_at"] = local_moment(data.pop("offence_on"), data.pop("offence_time"))
        return data


class AccusedForm(forms.Form):
    juvenile = JuvenileChoiceField(
        label=_("The minor"),
        queryset=Juvenile.objects.none(),
        empty_label=_("Choose the minor"),
        error_messages=need(_("Choose the minor.")),
    )
    articles = ArticlesField(
        label=_("Criminal Code article parts"),
        queryset=articles(),
        help_text=_("Hold Ctrl to choose more than one."),
        widget=TallSelectMultiple,
        error_messages=need(MESSAGE_ARTICLES),
    )

    def __init__(self, *args: Any, actor: User, case: Proceeding, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["juvenile"]
        assert isinstance(field, JuvenileChoiceField)
        field.queryset = juveniles_for(actor).exclude(accusations__proceeding=case)


class RequalifyForm(forms.Form):
    charge = ChargeChoiceField(
        label=_("Which charge is requalified?"),
        queryset=Charge.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages=need(_("Choose the charge to requalify.")),
    )
    article = ArticleChoiceField(
        label=_("New article part"),
        queryset=articles(),
        empty_label=_("Choose the article part"),
        error_messages=need(_("Choose the new article part.")),
    )
    reason = forms.CharField(
        label=_("Reason for the requalification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=need(_("Give the reason for the requalification.")),
    )

    def __init__(self, *args: Any, accused: Accused, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["charge"]
        assert isinstance(field, ChargeChoiceField)
        field.queryset = accused.charges.filter(ended_at=None).select_related("article")


class ProsecutorForm(forms.Form):
    prosecutor = StaffChoiceField(
        label=_("Supervising prosecutor"),
        queryset=staff_with(Role.PROSECUTOR),
        empty_label=_("Choose the prosecutor"),
        error_messages=need(_("Choose the supervising prosecutor.")),
    )


class ParticipantRoleForm(forms.Form):
    role = radios(
        _("Who do you want to add to the case?"),
        ParticipantRole.choices,
        error_messages=need(_("Choose who you are adding to the case.")),
    )


# The fields each role's form asks for; "accused" shows only when the case has several minors.
# A staff member is chosen only for the roles staff hold; a pedagogue is named.
ROLE_FIELDS = {
    role: [
        name
        for name in (*required, *optional, *policy.EVERY_PARTICIPANT)
        if name != "user" or role in policy.STAFF_ROLE_FOR
    ]
    for role, (required, optional) in policy.PARTICIPANT_FIELDS.items()
}
STAFF_ROLES = policy.STAFF_ROLE_FOR


class ParticipantForm(forms.Form):
    relative = RelativeChoiceField(
        label=_("Legal representative"),
        queryset=Relative.objects.none(),
        empty_label=_("Choose the representative"),
        help_text=_("Parents, guardians and trustees marked as legal representatives."),
        error_messages=need(_("Choose the legal representative.")),
    )
    user = StaffChoiceField(
        label=_("Staff member"),
        queryset=User.objects.none(),
        error_messages=need(_("Choose the staff member.")),
    )
    accused = AccusedChoiceField(
        label=_("For which minor"),
        required=False,
        queryset=Accused.objects.none(),
        empty_label=_("For all minors in the case"),
    )
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=255,
        error_messages=need(_("Enter the person's full name.")),
    )
    is_minor = forms.BooleanField(label=_("The victim is a minor"), required=False)
    tried_in = radios(
        _("Where is the adult tried?"), AdultTrial.choices, required=False, initial=""
    )
    state_paid = forms.BooleanField(label=_("Defence paid by the state"), required=False)
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        help_text=_("For example +7 701 123 45 67. Leave empty to use the phone on record."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, role: str, case: Proceeding, minors: list[Accused], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.role, self.minors = role, minors
        wanted = list(ROLE_FIELDS[ParticipantRole(role)])
        if len(minors) < 2 and "accused" in wanted:
            wanted.remove("accused")
        self.fields = {name: self.fields[name] for name in wanted}
        if "relative" in self.fields:
            relative = self.fields["relative"]
            assert isinstance(relative, RelativeChoiceField)
            relative.queryset = Relative.objects.filter(
                juvenile__in=[minor.juvenile_id for minor in minors],
                is_legal_representative=True,
            ).select_related("juvenile")
        if "user" in self.fields:
            user = self.fields["user"]
            assert isinstance(user, StaffChoiceField)
            user.queryset = staff_with(STAFF_ROLES[ParticipantRole(role)])
            user.label = capfirst(ParticipantRole(role).label)
            user.empty_label = _("Choose the person")
        if "accused" in self.fields:
            accused = self.fields["accused"]
            assert isinstance(accused, AccusedChoiceField)
            accused.queryset = case.accused.select_related("juvenile")

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        relative = data.get("relative")
        if relative is not None:
            data["accused"] = next(m for m in self.minors if m.juvenile_id == relative.juvenile_id)
        elif "accused" not in self.fields and len(self.minors) == 1:
            concerns_minor = self.role not in (
                ParticipantRole.VICTIM,
                ParticipantRole.ADULT_COPARTICIPANT,
            )
            data["accused"] = self.minors[0] if concerns_minor else None
        return data
