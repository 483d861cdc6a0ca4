"""Forms of the mediation pages: referral, consent, withdrawal, meeting, agreement, payment."""

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.mediation.models import ApologyForm, PaymentMethod, SessionKind, Side, Source
from qorgau.proceedings.models import Participant
from qorgau.web.forms.cases.fields import (
    DATE_HINT,
    AmountField,
    ParticipantChoiceField,
    StaffChoiceField,
    need,
    number_input,
    radios,
    yes_no,
)
from qorgau.web.forms.fields import DateInputField, TimeInputField, local_moment

INSTALMENT_ROWS = 6
MESSAGE_ROW_DAY = _("Enter the day this instalment falls due.")
MESSAGE_ROW_AMOUNT = _("Enter the amount of this instalment.")
REASON_HINT = _("Not required: nobody may be compelled to mediate or asked to explain a refusal.")


DATE_LABEL = _("Date")


def _when(label: Any = DATE_LABEL) -> tuple[DateInputField, TimeInputField]:
    return (
        DateInputField(label=label, help_text=DATE_HINT, error_messages=need(_("Enter the date."))),
        TimeInputField(
            label=_("Time"), error_messages=need(_("Enter the time, for example 16:40."))
        ),
    )


class MomentForm(forms.Form):
    """A form whose first fields are a date and a time, joined into `at` when valid."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("on") and data.get("time"):
            data["at"] = local_moment(data["on"], data["time"])
        return data


class SourceForm(forms.Form):
    source = radios(
        _("Who asks for mediation?"),
        [],
        error_messages=need(_("Choose who asks for mediation.")),
    )

    def __init__(self, *args: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["source"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, capfirst(Source(s).label)) for s in sources]


class ReferForm(MomentForm):
    victim = ParticipantChoiceField(
        label=_("Victim"),
        queryset=Participant.objects.none(),
        empty_label=_("Choose the victim"),
        error_messages=need(_("Choose the victim.")),
    )
    mediator = StaffChoiceField(
        label=_("Mediator"),
        queryset=User.objects.none(),
        empty_label=_("Choose the mediator"),
        help_text=_("A social psychologist who conducts the mediation and records its course."),
        error_messages=need(_("Choose the mediator.")),
    )
    professional_name = forms.CharField(
        label=_("Professional mediator"),
        required=False,
        max_length=255,
        help_text=_("If a professional mediator from the register conducts the meetings."),
    )
    professional_registry_number = forms.CharField(
        label=_("Registry number of the professional mediator"), required=False, max_length=64
    )
    on, time = _when(_("Date of the referral"))
    condition_confirmed = forms.BooleanField(required=False)

    field_order = ["victim", "mediator", "professional_name", "professional_registry_number",
                   "on", "time", "condition_confirmed"]  # fmt: skip

    def __init__(
        self,
        *args: Any,
        victims: QuerySet[Participant],
        mediators: QuerySet[User],
        condition: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["victim"].queryset = victims  # type: ignore[attr-defined]
        self.fields["mediator"].queryset = mediators  # type: ignore[attr-defined]
        if condition:
            self.fields["condition_confirmed"].label = condition
            self.fields["condition_confirmed"].help_text = _(
                "The law admits mediation only on this condition. Confirm it is met."
            )
        else:
            del self.fields["condition_confirmed"]


class ConsentForm(MomentForm):
    given = yes_no(_("Does this side consent?"), message=_("Say whether this side consents."))
    on, time = _when()
    representative = ParticipantChoiceField(
        label=_("Legal representative who assisted the minor"),
        queryset=Participant.objects.none(),
        required=False,
        empty_label=_("Choose the legal representative"),
    )
    victim_representative = forms.CharField(
        label=_("Representative of the victim"),
        required=False,
        max_length=255,
        help_text=_("Required when the victim is a minor: name and relation."),
    )
    reason = forms.CharField(
        label=_("Reason for refusing"),
        required=False,
        help_text=REASON_HINT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, side: str, representatives: QuerySet[Participant], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if side == Side.ACCUSED:
            del self.fields["victim_representative"]
            self.fields["representative"].queryset = representatives  # type: ignore[attr-defined]
        else:
            del self.fields["representative"]


class WithdrawForm(MomentForm):
    side = radios(
        _("Which side withdraws its consent?"),
        Side.choices,
        error_messages=need(_("Choose the side that withdraws.")),
    )
    on, time = _when()
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        help_text=REASON_HINT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, sides: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["side"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(s, capfirst(Side(s).label)) for s in sides]


class SessionForm(MomentForm):
    kind = radios(_("Meeting"), SessionKind.choices, error_messages=need(_("Choose the meeting.")))
    on, time = _when()
    duration_minutes = forms.IntegerField(
        label=_("Duration in minutes"),
        min_value=1,
        widget=number_input(),
        error_messages=need(_("Enter the duration in minutes.")),
    )
    present = forms.CharField(
        label=_("Who was present"),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=need(_("Enter who was present.")),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        help_text=_("Confidential: only the mediator's agency sees them."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AgreementForm(forms.Form):
    """The agreement with six instalment rows; rows left blank are ignored (no script needed)."""

    signed_on = DateInputField(
        label=_("Date signed"), help_text=DATE_HINT, error_messages=need(_("Enter the date."))
    )
    apology = radios(
        _("Apology"),
        [(ApologyForm.IN_PERSON, ApologyForm.IN_PERSON.label),
         (ApologyForm.IN_WRITING, ApologyForm.IN_WRITING.label),
         ("none", _("no apology"))],
        error_messages=need(_("Say whether and how the apology was given.")),
    )  # fmt: skip
    compensation = AmountField(
        label=_("Compensation of harm in tenge"),
        min_value=0,
        help_text=_("Enter 0 if the agreement has no money compensation."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages=need(_("Enter the compensation in tenge, or 0.")),
    )
    undertakings = forms.CharField(
        label=_("Other undertakings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    deadline = DateInputField(
        label=_("Deadline for fulfilment"),
        help_text=DATE_HINT,
        error_messages=need(_("Enter the deadline.")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, INSTALMENT_ROWS + 1):
            self.fields[f"due_{i}"] = DateInputField(label=_("Due on"), required=False)
            self.fields[f"amount_{i}"] = AmountField(
                label=_("Amount in tenge"),
                required=False,
                widget=forms.TextInput(
                    attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}
                ),
            )

    def main_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("signed_on", "apology", "compensation")]

    def end_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("undertakings", "deadline")]

    def rows(self) -> list[dict[str, Any]]:
        return [
            {"number": i, "due": self[f"due_{i}"], "amount": self[f"amount_{i}"]}
            for i in range(1, INSTALMENT_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        instalments: list[tuple[datetime.date, Decimal]] = []
        for i in range(1, INSTALMENT_ROWS + 1):
            due, amount = data.get(f"due_{i}"), data.get(f"amount_{i}")
            if due and amount is None:
                self.add_error(f"amount_{i}", MESSAGE_ROW_AMOUNT)
            elif amount is not None and not due and f"due_{i}" not in self.errors:
                self.add_error(f"due_{i}", MESSAGE_ROW_DAY)
            elif due and amount is not None:
                instalments.append((due, amount))
        data["instalments"] = instalments
        if data.get("apology") == "none":
            data["apology"] = ""
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "signed_on": data["signed_on"],
            "apology": data["apology"],
            "compensation": data["compensation"],
            "instalments": data["instalments"],
            "undertakings": data.get("undertakings") or "",
            "deadline": data["deadline"],
        }


def agreement_to_session(kwargs: dict[str, Any]) -> dict[str, Any]:
    """What the check-answers page keeps between the two requests (JSON-safe)."""
    return {
        "signed_on": kwargs["signed_on"].isoformat(),
        "apology": kwargs["apology"],
        "compensation": str(kwargs["compensation"]),
        "instalments": [[d.isoformat(), str(a)] for d, a in kwargs["instalments"]],
        "undertakings": kwargs["undertakings"],
        "deadline": kwargs["deadline"].isoformat(),
    }


def agreement_from_session(stored: dict[str, Any]) -> dict[str, Any]:
    return {
        "signed_on": datetime.date.fromisoformat(stored["signed_on"]),
        "apology": stored["apology"],
        "compensation": Decimal(stored["compensation"]),
        "instalments": [
            (datetime.date.fromisoformat(d), Decimal(a)) for d, a in stored["instalments"]
        ],
        "undertakings": stored["undertakings"],
        "deadline": datetime.date.fromisoformat(stored["deadline"]),
    }


class PaymentForm(forms.Form):
    paid_on = DateInputField(
        label=_("Date paid"), help_text=DATE_HINT, error_messages=need(_("Enter the date."))
    )
    amount = AmountField(
        label=_("Amount in tenge"),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
        error_messages=need(_("Enter the amount in tenge.")),
    )
    method = radios(
        _("How was it paid?"),
        PaymentMethod.choices,
        error_messages=need(_("Choose how it was paid.")),
    )


class UndertakingsForm(forms.Form):
    done_on = DateInputField(
        label=_("Date the undertakings were done"),
        help_text=DATE_HINT,
        error_messages=need(_("Enter the date.")),
    )


class FailForm(MomentForm):
    on, time = _when()
    reason = forms.CharField(
        label=_("Why did the mediation end without reconciliation?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: no agreement was reached, or the agreement was not fulfilled."),
        error_messages=need(_("Say why the mediation ended without reconciliation.")),
    )
