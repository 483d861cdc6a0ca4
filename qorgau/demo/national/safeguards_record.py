"""Mirrors of the checks of qorgau/safeguards/checks_record.py (the time of day, who was there,
a record at odds with itself), registered with the others of national/safeguards.py."""

import datetime
from zoneinfo import ZoneInfo

from qorgau.demo.national.safeguards import Case, Finding, H, _on_event, _roles, mirror
from qorgau.proceedings.models import EventKind as K
from qorgau.safeguards.rulebook import SafeguardRule
from qorgau.safeguards.track import day_of, stamp

ALMATY = ZoneInfo("Asia/Almaty")  # settings.TIME_ZONE: the days and nights of the checks


def at_night(
    start: datetime.datetime, end: datetime.datetime | None, night_from: int, night_until: int
) -> bool:
    """checks_record._at_night on the generator's times (a test compares the two)."""
    start = start.astimezone(ALMATY)
    end = (end or start).astimezone(ALMATY)
    day = start.date() - datetime.timedelta(days=1)
    while day <= end.date():
        night_start = datetime.datetime.combine(day, datetime.time(night_from), ALMATY)
        morning = day + datetime.timedelta(days=1)
        night_end = datetime.datetime.combine(morning, datetime.time(night_until), ALMATY)
        if start < night_end and (end > night_start or start >= night_start):
            return True
        day = morning
    return False


@mirror
def interrogation_at_night(rule: SafeguardRule, case: Case) -> list[Finding]:
    return [
        _on_event(f"interrogation:{e.id}", {"start": stamp(e.start)}, e, e.author)
        for e in case.of(K.INTERROGATION)
        if at_night(e.start, e.end, rule["night_from"], rule["night_until"])
    ]


@mirror
def representative_present_at_interrogation(rule: SafeguardRule, case: Case) -> list[Finding]:
    return [
        _on_event(f"interrogation:{e.id}", {"start": stamp(e.start)}, e, e.author)
        for e in case.of(K.INTERROGATION)
        if "legal_representative" not in _roles(e)
    ]


@mirror
def representative_notified_after_custody(rule: SafeguardRule, case: Case) -> list[Finding]:
    found = []
    for measure in case.of(K.PREVENTIVE_MEASURE):
        if measure.fields.get("measure") != "custody":
            continue
        deadline = measure.start + rule["hours"] * H
        told = case.first(K.REPRESENTATIVE_NOTIFIED, after=measure.start)
        if (told.start if told else case.until) <= deadline:
            continue
        found.append(
            Finding(
                f"measure:{measure.id}",
                {"start": stamp(measure.start)},
                [measure, told] if told else [measure],
                measure.author,
                day_of(measure.start),
                deadline,
            )
        )
    return found


ARRIVAL = {"defender": K.DEFENDER_ARRIVED, "social_psychologist": K.PSYCHOLOGIST_PRESENT}


@mirror
def attendee_arrived_after_start(rule: SafeguardRule, case: Case) -> list[Finding]:
    found = []
    for event in case.of(K.INTERROGATION):
        for person, role in event.attendees:
            kind = ARRIVAL.get(role)
            if kind is None:
                continue
            arrivals = [e for e in case.of(kind) if e.participant == person]
            if not arrivals or any(e.start <= event.start for e in arrivals):
                continue
            arrived = arrivals[0]
            facts = {
                "person": case.names.get(person, ""),
                "arrived": stamp(arrived.start),
                "start": stamp(event.start),
            }
            found.append(
                Finding(
                    f"interrogation:{event.id}:person:{person}",
                    facts,
                    [event, arrived],
                    event.author,
                    day_of(event.start),
                    event.recorded,
                )
            )
    return found
