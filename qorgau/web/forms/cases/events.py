"""The forms that record a procedural event: the kind to record, then that kind's fields."""

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qorgau.accounts.models import Agency, AgencyType, User
from qorgau.proceedings import policy
from qorgau.proceedings.legal_rules import rule_book
from qorgau.proceedings.models import (
    Accused,
    AppealOutcome,
    EventKind,
    NotificationMethod,
    Participant,
    ParticipantRole,
    Proceeding,
    Verdict,
)
from qorgau.web.forms.cases.fields import (
    DATE_HINT,
    AmountField,
    ParticipantChoiceField,
    ParticipantsField,
    months,
    need,
    number_input,
    radios,
    yes_no,
)
from qorgau.web.forms.fields import DateInputField, TimeInputField, local_moment

K = EventKind
MESSAGE_BREAK_START = _("Enter the time the break started.")
MESSAGE_BREAK_END = _("Enter the time the break ended.")
MESSAGE_BREAK_ORDER = _("The break must end after it starts.")


class EventKindForm(forms.Form):
    kind = radios(
        _("What do you want to record?"),
        [],
        error_messages=need(_("Choose what you want to record.")),
    )

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(kind, capfirst(EventKind(kind).label)) for kind in kinds]


BREAKS = 3
BREAK_FIELDS = [f"break_{i}_{end}" for i in range(1, BREAKS + 1) for end in ("start", "end")]

# The form fields of each kind of event besides its time, document number and notes: the
# policy's fields, with the end split into a date and a time and the breaks into boxes.
FORM_FIELDS = {"ended_at": ["ended_on", "ended_time"], "breaks": BREAK_FIELDS}
KIND_FIELDS: dict[str, list[str]] = {
    kind: [
        form_field
        for name in (*required, *optional)
        for form_field in FORM_FIELDS.get(name, [name])
    ]
    for kind, (required, optional) in policy.EVENT_FIELDS.items()
}
# The participant an event is about: the role and, for own-presence events, only oneself.
PARTICIPANT_ROLES = {
    K.REPRESENTATIVE_NOTIFIED: ParticipantRole.LEGAL_REPRESENTATIVE,
    K.DEFENDER_ASSIGNED: ParticipantRole.DEFENDER,
    K.DEFENDER_ARRIVED: ParticipantRole.DEFENDER,
    K.PSYCHOLOGIST_PRESENT: ParticipantRole.SOCIAL_PSYCHOLOGIST,
}
OWN_PRESENCE = {K.DEFENDER_ARRIVED, K.PSYCHOLOGIST_PRESENT}
# What to do when the person an event is about is not in the case yet.
MISSING_PERSON = {
    K.REPRESENTATIVE_NOTIFIED: _(
        "No legal representative of this minor is recorded in the case yet. "
        "Add the representative to the case first."
    ),
    K.DEFENDER_ASSIGNED: _(
        "No defender is recorded in the case yet. Add the defender to the case first."
    ),
    K.DEFENDER_ARRIVED: _(
        "You are not recorded in this case as a defender. Ask the investigator to add you."
    ),
    K.PSYCHOLOGIST_PRESENT: _(
        "You are not recorded in this case as its social psychologist. "
        "Ask the investigator to add you."
    ),
}
PARTICIPANT_LABELS = {
    K.REPRESENTATIVE_NOTIFIED: _("Which legal representative was notified?"),
    K.DEFENDER_ASSIGNED: _("Which defender was assigned?"),
    K.DEFENDER_ARRIVED: _("Defender"),
    K.PSYCHOLOGIST_PRESENT: _("Social psychologist"),
}
# Fields that go to the service under their own name.
PLAIN = {
    "place", "performed_by", "held_separately", "method", "participant", "measure", "term_days",
    "court_sanctioned", "ground", "verdict", "punishment", "term_months", "fine_amount",
    "conditional", "probation_months", "deferred", "deferral_months", "appeal_outcome",
    "document_number", "notes",
}  # fmt: skip


class EventForm(forms.Form):
    """One procedural event: only the fields its kind has, grouped as the page shows them."""

    started_on = DateInputField(
        label=_("Date"), help_text=DATE_HINT, error_messages=need(_("Enter the date."))
    )
    started_time = TimeInputField(
        label=_("Time"), error_messages=need(_("Enter the time, for example 16:40."))
    )
    ended_on = DateInputField(
        label=_("Date"),
        required=False,
        help_text=_("Leave empty if it ended on the day it started."),
    )
    ended_time = TimeInputField(
        label=_("Time"),
        error_messages=need(_("Enter the time the interrogation ended, for example 16:40.")),
    )
    place = forms.CharField(
        label=_("Place of detention"),
        max_length=255,
        error_messages=need(_("Enter the place of detention.")),
    )
    performed_by = forms.CharField(
        label=_("Detained by"),
        max_length=255,
        help_text=_("Name and position of the officer."),
        error_messages=need(_("Enter who detained the minor.")),
    )
    held_separately = yes_no(
        _("Was the minor held separately from adults?"),
        message=_("Say whether the minor was held separately from adults."),
    )
    method = radios(
        _("How was the representative notified?"),
        NotificationMethod.choices,
        error_messages=need(_("Choose how the representative was notified.")),
    )
    participant = ParticipantChoiceField(
        label=_("Person"),
        queryset=Participant.objects.none(),
        empty_label=_("Choose the person"),
        error_messages=need(_("Choose the person.")),
    )
    measure = radios(
        _("Which measure?"), [], error_messages=need(_("Choose the preventive measure."))
    )
    term_days = forms.IntegerField(
        label=_("Term in days"),
        required=False,
        min_value=1,
        help_text=_("Required for custody and house arrest."),
        widget=number_input(),
    )
    court_sanctioned = yes_no(_("Was the measure sanctioned by the court?"), required=False)
    ground = radios(_("Legal ground"), [], error_messages=need(_("Choose the legal ground.")))
    court = forms.ModelChoiceField(
        label=_("Court the case is referred to"),
        queryset=Agency.objects.none(),
        empty_label=_("Choose the juvenile court"),
        error_messages=need(_("Choose the juvenile court.")),
    )
    verdict = radios(_("Verdict"), Verdict.choices, error_messages=need(_("Choose the verdict.")))
    punishment = radios(_("Punishment"), [], required=False, help_text=_("Only for a conviction."))
    term_months = months(_("Term in months"), _("For every punishment except a fine."))
    fine_amount = AmountField(
        label=_("Fine in tenge"),
        required=False,
        min_value=1,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "decimal"}),
    )
    conditional = forms.BooleanField(label=_("Conditional sentence"), required=False)
    probation_months = months(_("Probation period in months"), _("For a conditional sentence."))
    deferred = forms.BooleanField(label=_("Serving of the sentence deferred"), required=False)
    deferral_months = months(_("Deferral in months"), _("For a deferred sentence."))
    appeal_outcome = radios(
        _("Outcome of the appeal"),
        AppealOutcome.choices,
        error_messages=need(_("Choose the outcome of the appeal.")),
    )
    attendees = ParticipantsField(
        label="",  # the fieldset's legend names it
        required=False,
        queryset=Participant.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People recorded in the case. Add a person to the case first if missing."),
    )
    document_number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=64,
        help_text=_("The number of the record, order or decision, if it has one."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    # Where a service's refusal shows on this form.
    ALIASES = {"started_at": "started_on", "ended_at": "ended_time", "breaks": "break_1_start"}

    def __init__(
        self, *args: Any, kind: str, case: Proceeding, accused: Accused, actor: User, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for i in range(1, BREAKS + 1):
            self.fields[f"break_{i}_start"] = TimeInputField(
                label=pgettext_lazy("break", "From"), required=False, help_text=""
            )
            self.fields[f"break_{i}_end"] = TimeInputField(
                label=pgettext_lazy("break", "To"), required=False, help_text=""
            )
        self.kind = kind
        self.nobody_recorded = False
        self.missing_person: Any = None
        wanted = ["started_on", "started_time", *KIND_FIELDS[kind], "document_number", "notes"]
        self.fields = {name: self.fields[name] for name in wanted}
        self._narrow(kind, case, accused, actor)

    def _narrow(self, kind: str, case: Proceeding, accused: Accused, actor: User) -> None:
        book = rule_book()
        self._choices("measure", book.choices("preventive_measures"))
        self._choices("ground", book.choices("termination_grounds"))
        self._choices("punishment", book.choices("punishments"))
        courts = Agency.objects.active().filter(agency_type=AgencyType.JUVENILE_COURT)
        self._queryset("court", courts)
        self._queryset("attendees", case.participants.order_by("role", "id"))
        # Nobody in the case yet: no empty list of checkboxes, the page says what to do instead.
        self.nobody_recorded = "attendees" in self.fields and not case.participants.exists()
        if self.nobody_recorded:
            del self.fields["attendees"]
        if kind == K.INTERROGATION and "place" in self.fields:
            self.fields["place"].required = False
            self.fields["place"].label = _("Where the interrogation took place")
        if kind == K.APPEAL:
            self.fields["performed_by"].label = _("Who appealed")
            self.fields["performed_by"].help_text = _(
                "For example: the defender, the minor's legal representative, the prosecutor."
            )
            self.fields["performed_by"].error_messages.update(need(_("Enter who appealed.")))
        if "participant" in self.fields:
            people = case.participants.filter(
                Q(accused=None) | Q(accused=accused), role=PARTICIPANT_ROLES[K(kind)]
            )
            if kind in OWN_PRESENCE and not actor.is_superuser:
                people = people.filter(user=actor)
            self._queryset("participant", people.order_by("id"))
            if not people.exists():
                self.missing_person = MISSING_PERSON[K(kind)]
            self.fields["participant"].label = PARTICIPANT_LABELS[K(kind)]

    def _choices(self, name: str, choices: list[tuple[str, str]]) -> None:
        field = self.fields.get(name)
        if isinstance(field, forms.ChoiceField):
            field.choices = [(code, capfirst(label)) for code, label in choices]

    def _queryset(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields.get(name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = queryset

    def fieldsets(self) -> list[dict[str, Any]]:
        """The page's fieldsets: a legend and the fields under it; breaks are drawn apart."""
        interrogation = self.kind == K.INTERROGATION
        groups: list[tuple[Any, list[str]]] = [
            (_("Start") if interrogation else _("When"), ["started_on", "started_time"]),
            (_("End"), ["ended_on", "ended_time"]),
            (_("Place"), ["place"] if interrogation else []),
            (_("Detention"), [] if interrogation else ["place", "performed_by", "held_separately"]),
            (_("Notification"), ["method"]),
            (_("Person concerned"), ["participant"]),
            (_("Preventive measure"), ["measure", "term_days", "court_sanctioned"]),
            (_("Decision"), ["ground", "court", "appeal_outcome"]),
            (_("Appeal"), ["performed_by"] if self.kind == K.APPEAL else []),
            (_("Judgment"), ["verdict", "punishment", "term_months", "fine_amount"]),
            (
                _("Conditional or deferred sentence"),
                ["conditional", "probation_months", "deferred", "deferral_months"],
            ),
            (_("Who was present"), ["attendees"]),
            (_("Record"), ["document_number", "notes"]),
        ]
        sets = []
        for legend, names in groups:
            present = [self[name] for name in names if name in self.fields]
            nobody = names == ["attendees"] and self.nobody_recorded
            if present or nobody:
                sets.append(
                    {"legend": legend, "fields": present, "key": names[0], "nobody": nobody}
                )
        return sets

    def break_rows(self) -> list[dict[str, Any]]:
        """The breaks' rows: a number and the two times, From and To."""
        if "break_1_start" not in self.fields:
            return []
        return [
            {"number": i, "parts": [self[f"break_{i}_start"], self[f"break_{i}_end"]]}
            for i in range(1, BREAKS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, time = data.get("started_on"), data.get("started_time")
        if day and time:
            data["started_at"] = local_moment(day, time)
        end_time = data.get("ended_time")
        if day and end_time:
            data["ended_at"] = local_moment(data.get("ended_on") or day, end_time)
        breaks = []
        for i in range(1, BREAKS + 1) if "break_1_start" in self.fields else ():
            start, end = data.get(f"break_{i}_start"), data.get(f"break_{i}_end")
            if start and not end:
                self.add_error(f"break_{i}_end", MESSAGE_BREAK_END)
            elif end and not start:
                self.add_error(f"break_{i}_start", MESSAGE_BREAK_START)
            elif start and end and end <= start:
                self.add_error(f"break_{i}_end", MESSAGE_BREAK_ORDER)
            elif start and end and day:
                breaks.append({"start": local_moment(day, start), "end": local_moment(day, end)})
        data["breaks"] = breaks
        return data

    def service_kwargs(self) -> dict[str, Any]:
        """What record_event takes for this kind: its own fields, nothing of other kinds."""
        data = self.cleaned_data
        kwargs: dict[str, Any] = {"started_at": data["started_at"]}
        for name in self.fields:
            if name in PLAIN:
                kwargs[name] = data[name]
        if "attendees" in self.fields:
            kwargs["attendees"] = list(data["attendees"])
        if "court" in self.fields:
            kwargs["court"] = data["court"]
        if self.kind == K.INTERROGATION:
            kwargs["ended_at"] = data["ended_at"]
            kwargs["breaks"] = [(b["start"], b["end"]) for b in data["breaks"]]
        if "punishment" in kwargs and kwargs["punishment"] is None:
            kwargs["punishment"] = ""
        return kwargs
