"""A minor's procedural timeline along the stage machine of qorgau/proceedings.

Steps come in the order the services allow them (policy.ALLOWED), recorded by the role that
may record them (policy.ROLES), each with the fields it requires (policy.EVENT_FIELDS). A
share of tracks carries the faults the safeguards look for (a late defender, a long
interrogation, a child held with adults) at rates that give the issue's violation volume.
Steps that would fall after the as-of moment are not taken: those cases are still open.
"""

import contextlib
import datetime
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from qorgau.proceedings.models import AppealOutcome, Pending, Stage, Verdict
from qorgau.proceedings.models import EventKind as K

ALMATY = ZoneInfo("Asia/Almaty")
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
M = datetime.timedelta(minutes=1)

# Fault rates (per track or per step); tuned to the 18,941 violations at 1x.
FAULT = {
    "held_with_adults": 0.01,
    "representative_late": 0.015,
    "representative_never": 0.008,
    "defender_late": 0.018,
    "psychologist_late": 0.02,
    "no_defender": 0.012,
    "no_pedagogue": 0.015,
    "long_interrogation": 0.012,
    "long_day": 0.005,
    "held_too_long": 0.01,
    "custody_for_medium": 0.004,
    "night_interrogation": 0.015,
    "custody_not_told": 0.03,
}
NO_REPRESENTATIVE = 0.006  # interrogations without the legal representative
DETAINED = 0.45
TERMINATED = 0.36  # of decided tracks; the rest go to court
GROUNDS = (
    ("reconciliation", 50),
    ("educational_measures", 25),
    ("active_repentance", 15),
    ("other", 10),
)
PUNISHMENTS = (
    ("conditional", 35),
    ("community_works", 20),
    ("correctional_works", 10),
    ("fine", 15),
    ("restriction_of_freedom", 12),
    ("deprivation_of_liberty", 8),
)
METHODS = ("in_person", "phone", "written", "message")
PLACES = (
    "ІІБ әкімшілік ғимараты",
    "Полиция бөлімі, жауап алу бөлмесі",
    "Тергеу бөлімі, 12 кабинет",
)


class Cut(Exception):
    """The next step would be after the as-of moment: the track stops here."""


@dataclass(eq=False)
class Ev:
    id: int
    kind: str
    start: datetime.datetime
    recorded: datetime.datetime
    author: Any  # country.Staff
    stage: tuple[str, str]  # (stage, pending) after the step
    before: tuple[str, str]
    end: datetime.datetime | None = None
    attendees: list[tuple[int, str]] = field(default_factory=list)  # (participant id, role)
    participant: int | None = None
    fields: dict[str, Any] = field(default_factory=dict)
    breaks: list[tuple[datetime.datetime, datetime.datetime]] = field(default_factory=list)


@dataclass
class People:
    """The case's people around this minor, as participant ids and staff."""

    investigator: Any
    prosecutor: Any
    judge: Any
    lawyer: Any
    psychologist: Any
    probation: Any
    representative: int
    defender: int
    psychologist_p: int
    pedagogue: int | None


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


class Timeline:
    """Builds one track's steps; `next_id` hands out the block's event ids in order."""

    def __init__(self, rng: random.Random, now: datetime.datetime, next_id: Any) -> None:
        self.rng, self.now, self.next_id = rng, now, next_id
        self.events: list[Ev] = []
        self.state = (Stage.REGISTERED.value, Pending.NONE.value)
        self.last_recorded: datetime.datetime | None = None

    def step(self, kind: str, start: datetime.datetime, author: Any, **fields: Any) -> Ev:
        kind, start = str(kind), start.replace(microsecond=0)
        end = fields.pop("end", None)
        if start > self.now or (end is not None and end > self.now):
            raise Cut
        recorded = start + self.rng.randint(3, 240) * M
        if self.last_recorded is not None and recorded <= self.last_recorded:
            recorded = self.last_recorded + M
        recorded = min(recorded, self.now)
        self.last_recorded = recorded
        before = self.state
        self.state = _next(kind, self.state, fields, self.events)
        ev = Ev(
            self.next_id(),
            kind,
            start,
            recorded,
            author,
            self.state,
            before,
            end=end,
            attendees=fields.pop("attendees", []),
            participant=fields.pop("participant", None),
            breaks=fields.pop("breaks", []),
            fields=fields,
        )
        self.events.append(ev)
        return ev


def _next(
    kind: str, state: tuple[str, str], data: dict[str, Any], done: list[Ev]
) -> tuple[str, str]:
    """proceedings.services.events._next_stage, for the steps this generator takes."""
    stage, pending = state
    investigative = {
        K.DETENTION,
        K.REPRESENTATIVE_NOTIFIED,
        K.DEFENDER_ASSIGNED,
        K.DEFENDER_ARRIVED,
        K.PSYCHOLOGIST_PRESENT,
        K.INTERROGATION,
        K.PREVENTIVE_MEASURE,
        K.RELEASE,
    }
    if kind in investigative and stage == Stage.REGISTERED:
        return Stage.INVESTIGATION, pending
    if kind == K.TERMINATION:
        return stage, Pending.TERMINATION
    if kind == K.INDICTMENT:
        return stage, Pending.INDICTMENT
    if kind == K.TERMINATION_APPROVED:
        return Stage.TERMINATED, Pending.NONE
    if kind == K.INDICTMENT_APPROVED:
        return Stage.IN_COURT, Pending.NONE
    if kind == K.JUDGMENT:
        return Stage.JUDGMENT, pending
    if kind == K.APPEAL:
        return Stage.APPEAL, pending
    if kind in (K.JUDGMENT_IN_FORCE, K.APPEAL_DECISION):
        outcome = data.get("appeal_outcome") if kind == K.APPEAL_DECISION else None
        verdicts = [e.fields.get("verdict") for e in done if e.kind == K.JUDGMENT]
        convicted = outcome != AppealOutcome.ACQUITTED and verdicts[-1] == Verdict.CONVICTION
        return (Stage.SENTENCE_EXECUTION if convicted else Stage.CLOSED), pending
    if kind == K.CLOSED:
        return Stage.CLOSED, pending
    return stage, pending


def daytime(rng: random.Random, moment: datetime.datetime) -> datetime.datetime:
    """The moment, or the next working morning when it falls outside 9:00-17:00 local time
    (interrogations are held in the daytime: CPC art. 535)."""
    here = moment.astimezone(ALMATY)
    if 9 <= here.hour < 17:
        return moment
    day = here.date() + datetime.timedelta(days=1 if here.hour >= 17 else 0)
    morning = datetime.datetime.combine(day, datetime.time(9, rng.randint(0, 59)), ALMATY)
    return morning.astimezone(datetime.UTC)


def _interrogation(
    t: Timeline,
    start: datetime.datetime,
    people: People,
    age: int,
    *,
    defender: bool = True,
    pedagogue: bool = True,
    long: bool = False,
    minutes: int | None = None,
) -> Ev:
    rng = t.rng
    attendees = [(people.defender, "defender")] if defender else []
    if pedagogue:
        attendees.append((people.psychologist_p, "social_psychologist"))
        if age < 16 and people.pedagogue is not None:
            attendees.append((people.pedagogue, "pedagogue"))
    if rng.random() >= NO_REPRESENTATIVE:
        attendees.append((people.representative, "legal_representative"))
    breaks: list[tuple[datetime.datetime, datetime.datetime]] = []
    if long:
        total = rng.randint(125, 170)
    elif minutes is not None:
        total = minutes
        first = rng.randint(60, 100)
        breaks = [(start + first * M, start + (first + 15) * M)]
        total += 15
    else:
        total = rng.randint(35, 115)
        if total > 80 and rng.random() < 0.5:
            first = rng.randint(30, total - 30)
            breaks = [(start + first * M, start + (first + 10) * M)]
            total += 10
    return t.step(
        K.INTERROGATION,
        start,
        people.investigator,
        end=start + total * M,
        place=rng.choice(PLACES),
        breaks=breaks,
        attendees=attendees,
    )


def build(
    t: Timeline,
    offence: datetime.datetime,
    age: int,
    gravest: str,
    people: People,
    detained: tuple[datetime.datetime, datetime.datetime] | None,
) -> None:
    """Every step of one minor's case up to the as-of moment (raises nothing).

    `detained`: the moments of the detention and of the on-duty defender's assignment.
    """
    with contextlib.suppress(Cut):
        _investigation(t, offence, age, gravest, people, detained)


def _investigation(
    t: Timeline,
    offence: datetime.datetime,
    age: int,
    gravest: str,
    people: People,
    detained: tuple[datetime.datetime, datetime.datetime] | None,
) -> None:
    rng, inv = t.rng, people.investigator
    fault = {name: rng.random() < rate for name, rate in FAULT.items()}
    if detained is not None:
        det, assigned = detained
        t.step(
            K.DETENTION,
            det,
            inv,
            place=rng.choice(PLACES),
            performed_by=f"{inv.name.last_name} {inv.name.first_name}",
            held_separately=not fault["held_with_adults"],
        )
        t.step(K.DEFENDER_ASSIGNED, assigned, inv, participant=people.defender)
        if not fault["representative_never"]:
            late = fault["representative_late"]
            t.step(
                K.REPRESENTATIVE_NOTIFIED,
                det + rng.uniform(*((3.5, 12) if late else (0.2, 2.5))) * H,
                inv,
                method=rng.choice(METHODS),
                participant=people.representative,
            )
        arrived = det + rng.uniform(*((3.3, 9) if fault["defender_late"] else (0.9, 2.7))) * H
        t.step(K.DEFENDER_ARRIVED, arrived, people.lawyer, participant=people.defender)
        psych = det + rng.uniform(*((3.3, 10) if fault["psychologist_late"] else (0.9, 2.8))) * H
        t.step(
            K.PSYCHOLOGIST_PRESENT, psych, people.psychologist, participant=people.psychologist_p
        )
        first = max(arrived, psych) + rng.uniform(0.2, 1.0) * H
        if not fault["night_interrogation"]:
            first = daytime(rng, first)
        _interrogation(
            t,
            first,
            people,
            age,
            pedagogue=not fault["no_pedagogue"],
            long=fault["long_interrogation"],
        )
        custody = gravest in ("grave", "especially_grave") and rng.random() < 0.15
        custody = custody or fault["custody_for_medium"]
        if custody:
            sanction = det + rng.uniform(10, 22) * H
            t.step(
                K.PREVENTIVE_MEASURE,
                sanction,
                inv,
                measure="custody",
                term_days=30,
                court_sanctioned=True,
            )
            told = (5, 20) if fault["custody_not_told"] else (0.2, 2.5)
            t.step(
                K.REPRESENTATIVE_NOTIFIED,
                sanction + rng.uniform(*told) * H,
                inv,
                method=rng.choice(METHODS),
                participant=people.representative,
            )
            t.step(
                K.PREVENTIVE_MEASURE,
                sanction + rng.uniform(6, 13) * D,
                inv,
                measure="house_arrest",
                term_days=60,
                court_sanctioned=True,
            )
            cursor = sanction + 14 * D
        else:
            held = (25, 60) if fault["held_too_long"] and gravest != "especially_grave" else (3, 20)
            released = det + rng.uniform(*held) * H
            t.step(K.RELEASE, released, inv)
            t.step(
                K.PREVENTIVE_MEASURE,
                released + rng.uniform(0.2, 3) * H,
                inv,
                measure=rng.choice(("supervision", "written_undertaking", "bail")),
            )
            cursor = released + rng.uniform(2, 8) * D
    else:
        start = daytime(rng, offence + rng.uniform(1, 12) * D)
        if fault["no_defender"]:
            t.step(
                K.PSYCHOLOGIST_PRESENT,
                start - rng.uniform(0.1, 0.5) * H,
                people.psychologist,
                participant=people.psychologist_p,
            )
            _interrogation(t, start, people, age, defender=False)
            cursor = start + rng.uniform(1, 4) * D
        else:
            cursor = start
        t.step(K.DEFENDER_ASSIGNED, cursor, inv, participant=people.defender)
        t.step(
            K.REPRESENTATIVE_NOTIFIED,
            cursor + rng.uniform(0.1, 1) * H,
            inv,
            method=rng.choice(METHODS),
            participant=people.representative,
        )
        arrived = cursor + rng.uniform(1, 26) * H
        t.step(K.DEFENDER_ARRIVED, arrived, people.lawyer, participant=people.defender)
        t.step(
            K.PSYCHOLOGIST_PRESENT,
            arrived + rng.uniform(0, 0.5) * H,
            people.psychologist,
            participant=people.psychologist_p,
        )
        _interrogation(
            t,
            daytime(rng, arrived + rng.uniform(0.6, 1.5) * H),
            people,
            age,
            pedagogue=not fault["no_pedagogue"],
            long=fault["long_interrogation"],
        )
        t.step(
            K.PREVENTIVE_MEASURE,
            arrived + rng.uniform(2, 30) * H,
            inv,
            measure=rng.choice(("supervision", "written_undertaking", "none")),
        )
        cursor = arrived + rng.uniform(2, 8) * D
    for _ in range(rng.choices((0, 1, 2, 3, 4), (5, 20, 30, 25, 20))[0]):
        cursor = daytime(rng, cursor + rng.uniform(2, 9) * D)
        t.step(K.DEFENDER_ARRIVED, cursor, people.lawyer, participant=people.defender)
        t.step(
            K.PSYCHOLOGIST_PRESENT,
            cursor + rng.uniform(0, 0.4) * H,
            people.psychologist,
            participant=people.psychologist_p,
        )
        _interrogation(t, cursor + rng.uniform(0.5, 1) * H, people, age)
    if fault["long_day"]:
        day = daytime(rng, cursor + rng.uniform(3, 10) * D)
        t.step(K.DEFENDER_ARRIVED, day, people.lawyer, participant=people.defender)
        t.step(K.PSYCHOLOGIST_PRESENT, day, people.psychologist, participant=people.psychologist_p)
        one = _interrogation(t, day + 0.3 * H, people, age, minutes=125)
        assert one.end is not None
        _interrogation(t, one.end + rng.uniform(0.5, 1) * H, people, age, minutes=125)
        cursor = day + D
    # The decision: most within the 90 days from the offence, some late.
    decided = offence + rng.lognormvariate(3.5, 0.5) * D
    cursor = max(cursor + rng.uniform(1, 5) * D, decided)
    if rng.random() < TERMINATED:
        t.step(K.TERMINATION, cursor, inv, ground=_pick(rng, GROUNDS))
        t.step(K.TERMINATION_APPROVED, cursor + rng.uniform(1, 10) * D, people.prosecutor)
        return
    t.step(K.INDICTMENT, cursor, inv)
    referred = cursor + rng.uniform(1, 5) * D
    t.step(K.INDICTMENT_APPROVED, referred, people.prosecutor, court=True)
    _court(t, referred, people)


def _court(t: Timeline, referred: datetime.datetime, people: People) -> None:
    rng, judge = t.rng, people.judge
    hearing = referred + rng.uniform(4, 12) * D
    t.step(
        K.REPRESENTATIVE_NOTIFIED,
        hearing - rng.uniform(2, 4) * D,
        judge,
        method="written",
        participant=people.representative,
    )
    t.step(K.DEFENDER_ARRIVED, hearing, people.lawyer, participant=people.defender)
    t.step(
        K.PSYCHOLOGIST_PRESENT,
        hearing + rng.uniform(0, 0.2) * H,
        people.psychologist,
        participant=people.psychologist_p,
    )
    judged = hearing + rng.uniform(2, 12) * D
    if rng.random() < 0.06:
        t.step(K.JUDGMENT, judged, judge, verdict=Verdict.ACQUITTAL)
        months = 0
    else:
        sentence = _sentence(rng)
        months = sentence.get("probation_months") or sentence.get("term_months") or 3
        t.step(K.JUDGMENT, judged, judge, verdict=Verdict.CONVICTION, **sentence)
    if rng.random() < 0.12:
        appealed = judged + rng.uniform(5, 14) * D
        by = people.lawyer if rng.random() < 0.7 else people.prosecutor
        t.step(K.APPEAL, appealed, by, performed_by=f"{by.name.last_name} {by.name.first_name}")
        outcome = rng.choices(("upheld", "changed", "acquitted"), (75, 20, 5))[0]
        in_force = appealed + rng.uniform(20, 60) * D
        t.step(K.APPEAL_DECISION, in_force, judge, appeal_outcome=outcome)
    else:
        in_force = judged + rng.uniform(15, 30) * D
        t.step(K.JUDGMENT_IN_FORCE, in_force, judge)
    if t.state[0] == Stage.SENTENCE_EXECUTION:
        t.step(K.CLOSED, in_force + months * 30.4 * D, people.probation)


def _sentence(rng: random.Random) -> dict[str, Any]:
    kind = _pick(rng, PUNISHMENTS)
    if kind == "conditional":
        return {
            "punishment": "deprivation_of_liberty",
            "term_months": rng.randint(12, 48),
            "conditional": True,
            "probation_months": rng.randint(12, 36),
        }
    if kind == "fine":
        return {"punishment": "fine", "fine_amount": rng.randint(10, 200) * 3692}
    return {"punishment": kind, "term_months": rng.randint(2, 36 if kind.startswith("dep") else 12)}
