"""Forms of the court pages: register a case, schedule, adjourn, summon, presence, report,
judgment."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.courts.models import (
    ADMINISTRATIVE_DECISIONS,
    CIVIL_DECISIONS,
    CaseKind,
    CivilMatter,
    Courtroom,
    Decision,
    PartyRole,
    SummonedAs,
    SummonsMethod,
)
from qorgau.courts.rulebook import court_book
from qorgau.people.models import Juvenile
from qorgau.proceedings.legal_rules import rule_book
from qorgau.proceedings.models import Participant, Verdict
from qorgau.web.forms.cases.fields import (
    DATE_HINT,
    AmountField,
    JuvenileChoiceField,
    ParticipantChoiceField,
    StaffChoiceField,
    months,
    need,
    number_input,
    radios,
    yes_no,
)
from qorgau.web.forms.fields import DateInputField, TimeInputField, local_moment

PARTY_ROWS = 3


def _date(label: Any, message: Any, required: bool = True) -> DateInputField:
    return DateInputField(
        label=label, help_text=DATE_HINT, required=required, error_messages=need(message)
    )


def _time(required: bool = True) -> TimeInputField:
    return TimeInputField(
        label=_("Time"), required=required,
        error_messages=need(_("Enter the time, for example 16:40.")),
    )  # fmt: skip


class MomentForm(forms.Form):
    """A form whose date and time are joined into `at` when both are valid."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("on") and data.get("time"):
            data["at"] = local_moment(data["on"], data["time"])
        return data


class RegisterForm(MomentForm):
    juvenile = JuvenileChoiceField(
        label=_("Child the case concerns"),
        queryset=Juvenile.objects.none(),
        required=False,
        empty_label=_("Choose the child"),
        help_text=_("Register the child first if the child is not in the register."),
    )
    on = _date(_("Received by the court on"), _("Enter the date the court received the case."))
    time = _time()
    article = radios(_("Article of the Code of Administrative Offences"), [], required=False)
    matter = radios(_("What the case is about"), CivilMatter.choices, required=False)
    foreign_adoption = forms.BooleanField(
        label=_("Adoption by foreign citizens"), required=False,
        help_text=_("Counted separately in the court's figures."),
    )  # fmt: skip
    judge = StaffChoiceField(
        label=_("Judge"), queryset=User.objects.none(), required=False,
        empty_label=_("Assign later"),
    )  # fmt: skip
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, kind: str, juveniles: QuerySet[Juvenile], judges: QuerySet[User],
        **kwargs: Any,
    ) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["juvenile"].queryset = juveniles  # type: ignore[attr-defined]
        self.fields["judge"].queryset = judges  # type: ignore[attr-defined]
        if kind == CaseKind.ADMINISTRATIVE:
            field = self.fields["article"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (rule.code, f"{rule.code}. {rule.label}")
                for rule in court_book().section("articles")
            ]
            del self.fields["matter"], self.fields["foreign_adoption"]
        else:
            del self.fields["article"]
        for i in range(1, PARTY_ROWS + 1):
            self.fields[f"party_{i}_role"] = forms.ChoiceField(
                label=_("Role of party %(number)s") % {"number": i},
                choices=[("", "")]
                + [(v, str(label).capitalize()) for v, label in PartyRole.choices],
                required=False,
            )
            self.fields[f"party_{i}_name"] = forms.CharField(
                label=_("Name of party %(number)s") % {"number": i}, required=False,
                max_length=255,
            )  # fmt: skip

    def parties(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        rows = []
        for i in range(1, PARTY_ROWS + 1):
            role, name = data.get(f"party_{i}_role"), data.get(f"party_{i}_name")
            if role or name:
                rows.append({"role": role, "full_name": name})
        return rows


class ScheduleForm(MomentForm):
    on = _date(_("Date of the hearing"), _("Enter the date of the hearing."))
    time = _time()
    minutes = forms.IntegerField(
        label=_("Length in minutes"), min_value=1, widget=number_input(),
        help_text=_("From 10 to 600. The judge and the courtroom are taken for this long."),
        error_messages=need(_("Enter the length of the hearing in minutes.")),
    )  # fmt: skip
    courtroom = forms.ModelChoiceField(
        label=_("Courtroom"), queryset=Courtroom.objects.none(),
        empty_label=_("Choose the courtroom"), error_messages=need(_("Choose the courtroom.")),
    )  # fmt: skip
    judge = StaffChoiceField(
        label=_("Judge"), queryset=User.objects.none(), error_messages=need(_("Choose the judge."))
    )

    ALIASES = {"starts_at": "on"}

    def __init__(
        self, *args: Any, courtrooms: QuerySet[Courtroom], judges: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courtroom"].queryset = courtrooms  # type: ignore[attr-defined]
        self.fields["judge"].queryset = judges  # type: ignore[attr-defined]


class AdjournForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for adjournment"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=need(_("Say why the hearing is adjourned.")),
    )  # fmt: skip
    next_on = _date(_("Date of the next hearing"), "", required=False)
    next_time = _time(required=False)

    ALIASES = {"next_starts_at": "next_on", "starts_at": "next_on"}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("next_on") and data.get("next_time"):
            data["next_at"] = local_moment(data["next_on"], data["next_time"])
        elif data.get("next_on") or data.get("next_time"):
            self.add_error("next_time", _("Enter both the date and the time of the next hearing."))
        return data


class SummonForm(forms.Form):
    summoned_as = radios(
        _("Who is summoned"), SummonedAs.choices, error_messages=need(_("Choose who is summoned."))
    )
    participant = ParticipantChoiceField(
        label=_("Person recorded in the criminal case"), queryset=Participant.objects.none(),
        required=False, empty_label=_("Not from the case"),
    )  # fmt: skip
    full_name = forms.CharField(
        label=_("Name"), required=False, max_length=255,
        help_text=_("Not needed for the minor or for a person chosen from the case."),
    )  # fmt: skip
    method = radios(
        _("How the summons was sent"), SummonsMethod.choices,
        error_messages=need(_("Choose how the summons was sent.")),
    )  # fmt: skip
    sent_on = _date(_("Sent on"), _("Enter the date the summons was sent."))

    def __init__(self, *args: Any, participants: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if participants.exists():
            self.fields["participant"].queryset = participants  # type: ignore[attr-defined]
        else:
            del self.fields["participant"]


class ReportForm(forms.Form):
    family_situation = forms.CharField(
        label=_("Family situation"), widget=forms.Textarea(attrs={"rows": 5}),
        error_messages=need(_("Describe the family situation.")),
    )  # fmt: skip
    alternatives = forms.CharField(
        label=_("Alternatives to custody proposed"), widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example supervision by the probation service, study, treatment, a family "
            "conference."
        ),
        error_messages=need(_("Enter the alternatives to custody the report proposes.")),
    )  # fmt: skip
    recommendation = forms.CharField(
        label=_("Recommendation to the court"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip


class JudgmentForm(MomentForm):
    on = _date(_("Date of the judgment"), _("Enter the date of the judgment."))
    time = _time()
    verdict = radios(_("Verdict"), Verdict.choices, error_messages=need(_("Choose the verdict.")))
    punishment = radios(_("Punishment"), [], required=False, help_text=_("Only for a conviction."))
    term_months = months(_("Term in months"), _("For every punishment except a fine."))
    fine_amount = AmountField(
        label=_("Fine in tenge"), required=False, min_value=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )  # fmt: skip
    conditional = forms.BooleanField(label=_("Conditional sentence"), required=False)
    probation_months = months(_("Probation period in months"), _("For a conditional sentence."))
    deferred = forms.BooleanField(label=_("Serving of the sentence deferred"), required=False)
    deferral_months = months(_("Deferral in months"), _("For a deferred sentence."))
    decision = radios(
        _("Decision"), Decision.choices, error_messages=need(_("Choose the decision."))
    )
    penalty = radios(
        _("Penalty"), [], required=False, help_text=_("Only when a penalty is imposed.")
    )
    report_followed = yes_no(_("Did the court follow the social worker's report?"), required=False)
    notes = forms.CharField(
        label=_("Reasons in brief"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    ALIASES = {"decided_at": "on"}
    CRIMINAL = (
        "verdict", "punishment", "term_months", "fine_amount", "conditional", "probation_months",
        "deferred", "deferral_months",
    )  # fmt: skip

    def __init__(self, *args: Any, kind: str, has_report: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == CaseKind.CRIMINAL:
            field = self.fields["punishment"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [
                (c, str(t).capitalize()) for c, t in rule_book().choices("punishments")
            ]
            del self.fields["decision"], self.fields["penalty"]
        else:
            for name in self.CRIMINAL:
                if name != "fine_amount" or kind == CaseKind.CIVIL:
                    del self.fields[name]
            allowed = (
                ADMINISTRATIVE_DECISIONS if kind == CaseKind.ADMINISTRATIVE else CIVIL_DECISIONS
            )
            decision = self.fields["decision"]
            assert isinstance(decision, forms.ChoiceField)
            decision.choices = [(d.value, str(d.label).capitalize()) for d in allowed]
            if kind == CaseKind.ADMINISTRATIVE:
                penalty = self.fields["penalty"]
                assert isinstance(penalty, forms.ChoiceField)
                penalty.choices = [
                    (c, str(t).capitalize()) for c, t in court_book().choices("penalties")
                ]
            else:
                del self.fields["penalty"]
        if has_report:
            self.fields["report_followed"].required = True
            self.fields["report_followed"].error_messages["required"] = _(
                "Say whether the court followed the social worker's report."
            )
        else:
            del self.fields["report_followed"]

    def outcome(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.kind == CaseKind.CRIMINAL:
            return {
                name: data[name]
                for name in self.CRIMINAL
                if data.get(name) not in (None, "", False)
            }
        return {
            "decision": data.get("decision") or "",
            "penalty": data.get("penalty") or "",
            "fine_amount": data.get("fine_amount"),
        }


class PresenceForm(forms.Form):
    """One yes/no question per person summoned: did they come?"""

    def __init__(self, *args: Any, summonses: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.summonses = summonses
        for summons in summonses:
            label = _("%(name)s (%(role)s) was present") % {
                "name": summons.full_name,
                "role": summons.get_summoned_as_display(),
            }
            self.fields[f"present_{summons.pk}"] = yes_no(
                label, message=_("Say whether this person was present.")
            )
            if summons.present is not None:
                self.initial[f"present_{summons.pk}"] = "yes" if summons.present else "no"

    def present(self) -> dict[int, bool]:
        return {s.pk: bool(self.cleaned_data[f"present_{s.pk}"]) for s in self.summonses}
