"""More checks the rules name: the time of day, who was there, and a record at odds with itself.

Registered in the same table as checks.py (imported at its end). A step the record makes
impossible is refused when it is recorded (proceedings/services/consistency.py); what is
possible but shows a bad practice, such as a defender listed at an interrogation they reached
late, is found here.
"""

import datetime

from django.utils import timezone

from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole as P
from qorgau.proceedings.models import ProceduralEvent
from qorgau.safeguards.checks import Finding, H, check
from qorgau.safeguards.rulebook import SafeguardRule
from qorgau.safeguards.track import Track, day_of, stamp

# The step that records a person's arrival, by their role in the case.
ARRIVAL = {P.DEFENDER: K.DEFENDER_ARRIVED, P.SOCIAL_PSYCHOLOGIST: K.PSYCHOLOGIST_PRESENT}


def _at_night(event: ProceduralEvent, night_from: int, night_until: int) -> bool:
    """Whether any of the interrogation falls between night_from and night_until o'clock."""
    start = timezone.localtime(event.started_at)
    end = timezone.localtime(event.ended_at or event.started_at)
    day = start.date() - datetime.timedelta(days=1)
    while day <= end.date():
        night_start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(night_from)))
        morning = day + datetime.timedelta(days=1)
        night_end = timezone.make_aware(
            datetime.datetime.combine(morning, datetime.time(night_until))
        )
        if start < night_end and (end > night_start or start >= night_start):
            return True
        day = morning
    return False


def _interrogation_finding(event: ProceduralEvent, facts: dict[str, object]) -> Finding:
    return Finding(
        f"interrogation:{event.pk}",
        {"start": stamp(event.started_at), **facts},
        [event],
        event.author,
        day_of(event.started_at),
    )


@check("start")
def interrogation_at_night(rule: SafeguardRule, track: Track) -> list[Finding]:
    return [
        _interrogation_finding(event, {})
        for event in track.of(K.INTERROGATION)
        if _at_night(event, rule["night_from"], rule["night_until"])
    ]


@check("start")
def representative_present_at_interrogation(rule: SafeguardRule, track: Track) -> list[Finding]:
    return [
        _interrogation_finding(event, {})
        for event in track.of(K.INTERROGATION)
        if P.LEGAL_REPRESENTATIVE not in track.roles_present(event)
    ]


@check("start")
def representative_notified_after_custody(rule: SafeguardRule, track: Track) -> list[Finding]:
    """Custody chosen or extended: the legal representative is told within the hours."""
    findings = []
    for measure in track.of(K.PREVENTIVE_MEASURE):
        if measure.measure != "custody":
            continue
        deadline = measure.started_at + rule["hours"] * H
        told = track.first(K.REPRESENTATIVE_NOTIFIED, after=measure.started_at)
        if (told.started_at if told else track.until) <= deadline:
            continue
        findings.append(
            Finding(
                f"measure:{measure.pk}",
                {"start": stamp(measure.started_at)},
                [measure, told] if told else [measure],
                measure.author,
                day_of(measure.started_at),
            )
        )
    return findings


@check("person", "arrived", "start")
def attendee_arrived_after_start(rule: SafeguardRule, track: Track) -> list[Finding]:
    """Listed as present at an interrogation, while their own recorded arrival is after its
    start: they were not there from the start, or the record is wrong. Either way it is
    flagged for the prosecutor, who may dispute it."""
    findings = []
    for event in track.of(K.INTERROGATION):
        for person in event.attendees.all():
            kind = ARRIVAL.get(P(person.role))
            if kind is None:
                continue
            arrivals = [e for e in track.of(kind) if e.participant_id == person.pk]
            if not arrivals or any(e.started_at <= event.started_at for e in arrivals):
                continue  # no arrival recorded, or there before the start
            arrived = arrivals[0]
            findings.append(
                Finding(
                    f"interrogation:{event.pk}:person:{person.pk}",
                    {
                        "person": person.full_name,
                        "arrived": stamp(arrived.started_at),
                        "start": stamp(event.started_at),
                    },
                    [event, arrived],
                    event.author,
                    day_of(event.started_at),
                )
            )
    return findings
