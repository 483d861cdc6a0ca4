"""A minor's timeline as the case page shows it: each event with the facts its times give.

Durations, net time without breaks and terms are computed here from what was recorded;
nobody types them in (ui.md, principle 4).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from qorgau.accounts.models import Role, User
from qorgau.proceedings import policy
from qorgau.proceedings.legal_rules import rule_book
from qorgau.proceedings.models import EventKind, ProceduralEvent, Proceeding

K = EventKind


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Flag:
    """A violation as the case page shows it: beside the timeline and on each proving event."""

    title: str
    description: str
    citation: str
    status: str
    status_colour: str
    unresolved: bool
    url: str  # the violation's page, for those who answer it; else empty
    event_ids: tuple[int, ...]

    @property
    def anchor(self) -> str:
        """The first proving event on the timeline, if any."""
        return f"event-{self.event_ids[0]}" if self.event_ids else ""


@dataclass(frozen=True)
class Item:
    event: ProceduralEvent
    title: str
    author: str
    role: str
    agency: str
    facts: list[Fact]
    flags: list[Flag] = field(default_factory=list)


def duration(minutes: int) -> str:
    """ "2 h 30 min", kept on one line (its spaces do not break)."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        text = _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": rest}
    elif hours:
        text = _("%(hours)s h") % {"hours": hours}
    else:
        text = _("%(minutes)s min") % {"minutes": rest}
    return text.replace(" ", "\N{NO-BREAK SPACE}")


def _clock(moment: datetime.datetime, day: datetime.date) -> str:
    """The time of day; with the date too when it is not the day the event started."""
    local = timezone.localtime(moment)
    if local.date() == day:
        return formats.time_format(local, "H:i")
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


def _span(start: datetime.datetime, end: datetime.datetime, day: datetime.date) -> str:
    return f"{_clock(start, day)}–{_clock(end, day)}"


def _minutes(start: datetime.datetime, end: datetime.datetime) -> int:
    return int((end - start).total_seconds() // 60)


def interrogation_time(event: ProceduralEvent) -> str:
    """ "14:10–16:40, 2 h 30 min, breaks: 15:20–15:35 (net 2 h 15 min)"."""
    if event.ended_at is None:
        return ""
    day = timezone.localtime(event.started_at).date()
    total = _minutes(event.started_at, event.ended_at)
    span = _span(event.started_at, event.ended_at, day)
    breaks = [
        (datetime.datetime.fromisoformat(b["start"]), datetime.datetime.fromisoformat(b["end"]))
        for b in event.breaks or []
    ]
    if not breaks:
        return _("%(span)s, %(duration)s") % {"span": span, "duration": duration(total)}
    paused = sum(_minutes(start, end) for start, end in breaks)
    return _("%(span)s, %(duration)s, breaks: %(breaks)s (net %(net)s)") % {
        "span": span,
        "duration": duration(total),
        "breaks": ", ".join(_span(start, end, day) for start, end in breaks),
        "net": duration(total - paused),
    }


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _rule(section: str, code: str) -> str:
    rule = rule_book().get(section, code)
    return rule.label if rule is not None else code


def _months(count: int) -> str:
    return ngettext("%(count)s month", "%(count)s months", count) % {"count": count}


def _money(amount: Decimal) -> str:
    places = 0 if amount == amount.to_integral_value() else 2
    number = formats.number_format(amount, places, use_l10n=True, force_grouping=True)
    return _("%(amount)s tenge") % {"amount": number}


def _judgment(event: ProceduralEvent) -> list[Fact]:
    facts = [Fact(_("Verdict"), event.get_verdict_display())]
    if event.punishment:
        facts.append(Fact(_("Punishment"), _rule("punishments", event.punishment)))
    if event.term_months:
        facts.append(Fact(_("Term"), _months(event.term_months)))
    if event.fine_amount:
        facts.append(Fact(_("Fine"), _money(event.fine_amount)))
    if event.conditional:
        probation = _months(event.probation_months or 0)
        facts.append(
            Fact(
                _("Conditional sentence"), _("yes, probation period %(term)s") % {"term": probation}
            )
        )
    if event.deferred:
        deferral = _months(event.deferral_months or 0)
        facts.append(
            Fact(_("Serving of the sentence deferred"), _("yes, for %(term)s") % {"term": deferral})
        )
    return facts


def _measure(event: ProceduralEvent) -> list[Fact]:
    facts = [Fact(_("Measure"), _rule("preventive_measures", event.measure))]
    if event.term_days:
        days = ngettext("%(count)s day", "%(count)s days", event.term_days)
        facts.append(Fact(_("Term"), days % {"count": event.term_days}))
    if event.court_sanctioned is not None:
        facts.append(Fact(_("Sanctioned by the court"), _yes_no(event.court_sanctioned)))
    return facts


PARTICIPANT_LABELS = {
    K.REPRESENTATIVE_NOTIFIED: gettext_lazy("Legal representative"),
    K.DEFENDER_ASSIGNED: gettext_lazy("Defender"),
    K.DEFENDER_ARRIVED: gettext_lazy("Defender"),
    K.PSYCHOLOGIST_PRESENT: gettext_lazy("Social psychologist"),
}
PERSON_CONCERNED = gettext_lazy("Person concerned")


def facts(event: ProceduralEvent, case: Proceeding) -> list[Fact]:
    """What the item says besides its title, author and time."""
    kind = event.kind
    result: list[Fact] = []
    if kind == K.INTERROGATION:
        result.append(Fact(_("Duration"), interrogation_time(event)))
    elif kind == K.DETENTION:
        result.append(Fact(_("Place"), event.place))
        result.append(Fact(_("Detained by"), event.performed_by))
        if event.held_separately is not None:
            separately = _yes_no(event.held_separately)
            result.append(Fact(_("Held separately from adults"), separately))
    elif kind == K.REPRESENTATIVE_NOTIFIED:
        result.append(Fact(_("How"), event.get_method_display()))
    elif kind == K.PREVENTIVE_MEASURE:
        result += _measure(event)
    elif kind == K.TERMINATION:
        result.append(Fact(_("Legal ground"), _rule("termination_grounds", event.ground)))
    elif kind == K.INDICTMENT_APPROVED and case.court is not None:
        result.append(Fact(_("Court"), case.court.name))
    elif kind == K.JUDGMENT:
        result += _judgment(event)
    elif kind == K.APPEAL:
        result.append(Fact(_("Appealed by"), event.performed_by))
    elif kind == K.APPEAL_DECISION:
        result.append(Fact(_("Outcome"), event.get_appeal_outcome_display()))
    if event.participant is not None:
        label = PARTICIPANT_LABELS.get(K(kind), PERSON_CONCERNED)
        result.append(Fact(str(label), event.participant.full_name))
    attendees = [person.full_name for person in event.attendees.all()]
    if attendees:
        result.append(Fact(_("Present"), ", ".join(attendees)))
    if event.document_number:
        result.append(Fact(_("Document number"), event.document_number))
    if event.notes:
        result.append(Fact(_("Notes"), event.notes))
    return [fact for fact in result if fact.value]


def acting_role(author: User, kind: str) -> str:
    """The author's role in which the step was recorded (roles read from prefetched groups)."""
    roles = author.roles
    acting = [role for role in roles if role in policy.roles_for(kind)] or roles
    return str(Role(acting[0]).label) if acting else ""


def items(
    events: list[ProceduralEvent],
    case: Proceeding,
    flags: Mapping[int, list[Flag]] | None = None,
) -> list[Item]:
    flags = flags or {}
    return [
        Item(
            event=event,
            title=capfirst(event.get_kind_display()),
            author=event.author.get_full_name() or event.author.username,
            # As kept on the step when it was recorded (older steps: as the author is now).
            role=(
                str(Role(event.acting_role).label)
                if event.acting_role
                else acting_role(event.author, event.kind)
            ),
            agency=str(event.acting_agency or event.author.agency or ""),
            facts=facts(event, case),
            flags=flags.get(event.pk, []),
        )
        for event in events
    ]
