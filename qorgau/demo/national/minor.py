"""One accused minor: the record and family, the charges, the people, the timeline.

As people.services, proceedings.services and defence.services.assign_on_duty write them.
"""

import datetime
import decimal
import hashlib
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation

from qorgau.accounts.models import Role
from qorgau.demo.national import names
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.country import Country, Staff
from qorgau.demo.national.people import Iins, make_child
from qorgau.demo.national.plan import STRIDE, Block
from qorgau.demo.national.timeline import DETAINED, People, Timeline, build
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole
from qorgau.proceedings.services.sameness import _breaks as same_breaks
from qorgau.proceedings.services.sameness import _moment as same_moment
from qorgau.proceedings.services.sameness import _plain as same_plain

ALMATY = ZoneInfo("Asia/Almaty")
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)
AGE_AT_OFFENCE = ((14, 15), (15, 22), (16, 30), (17, 33))
GRAVITY_WEIGHT = {"misdemeanour": 12, "minor": 18, "medium": 38, "grave": 27, "especially_grave": 5}
EVENT_COLUMNS = (
    "place",
    "performed_by",
    "held_separately",
    "method",
    "measure",
    "term_days",
    "court_sanctioned",
    "ground",
    "verdict",
    "punishment",
    "term_months",
    "fine_amount",
    "conditional",
    "probation_months",
    "deferred",
    "deferral_months",
    "appeal_outcome",
    "document_number",
    "notes",
)
_ROLE_LABELS: dict[str, str] = {}


def local(moment: datetime.datetime) -> str:
    """proceedings.services.common.local with the kk formats (d.m.Y H:i)."""
    return moment.astimezone(ALMATY).strftime("%d.%m.%Y %H:%M")


def role_label(role: str) -> str:
    if not _ROLE_LABELS:
        with translation.override("kk"):
            _ROLE_LABELS.update({r.value: str(r.label) for r in ParticipantRole})
    return _ROLE_LABELS[role]


class Ids:
    """The block's id ranges, handed out in order."""

    def __init__(self, block: Block) -> None:
        self.block = block
        self.next = {table: block.first_id(table) for table in STRIDE}

    def __call__(self, table: str) -> int:
        value = self.next[table]
        if value >= self.block.first_id(table) + STRIDE[table]:
            raise RuntimeError(f"Block {self.block.number} ran out of ids for {table}")
        self.next[table] = value + 1
        return value

    def of(self, table: str) -> Callable[[], int]:
        return lambda: self(table)


def pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def articles_for(country: Country, age: int) -> tuple[list[Any], list[int]]:
    fitting = [a for a in country.articles if a[2] <= age]
    return fitting, [GRAVITY_WEIGHT[a[1]] for a in fitting]


_FINGERPRINT_TEXT = json.JSONEncoder(sort_keys=True, default=str).encode  # as json.dumps there


def _print(ev: Any, accused_id: int, court_id: int | None) -> str:
    """sameness.fingerprint of the step as the service was given it (the same computation
    with the encoder made once; the stage-machine test compares it with the real one)."""
    given: dict[str, Any] = {k: v for k, v in ev.fields.items() if k != "court"}
    if given.get("fine_amount") is not None:
        given["fine_amount"] = decimal.Decimal(given["fine_amount"])
    given["ended_at"] = ev.end
    given["participant"] = ev.participant
    content: dict[str, Any] = {
        name: same_plain(value)
        for name, value in given.items()
        if value not in (None, "", False, []) and name != "breaks"
    }
    if ev.breaks:
        content["breaks"] = same_breaks(ev.breaks)
    content["attendees"] = sorted(pid for pid, _ in ev.attendees)
    content["court"] = court_id
    text = _FINGERPRINT_TEXT([accused_id, str(ev.kind), same_moment(ev.start), content])
    return hashlib.sha256(text.encode()).hexdigest()


def event_rows(rows: Rows, ids: Ids, ev: Any, accused_id: int, case_id: int, court_id: int) -> None:
    fields = ev.fields
    values = [fields.get(name) for name in EVENT_COLUMNS]
    for i, name in enumerate(EVENT_COLUMNS):
        if values[i] is None and name not in (
            "held_separately",
            "term_days",
            "court_sanctioned",
            "term_months",
            "fine_amount",
            "probation_months",
            "deferral_months",
        ):
            values[i] = False if name in ("conditional", "deferred") else ""
    breaks = [{"start": s.isoformat(), "end": e.isoformat()} for s, e in ev.breaks]
    author = ev.author
    rows.add(
        "proceedings_proceduralevent",
        (
            ev.id,
            ev.kind,
            ev.start,
            ev.end,
            ev.recorded,
            values[0],
            values[1],
            values[2],
            values[3],
            breaks,
            *values[4:],
            accused_id,
            author.id,
            ev.participant,
            case_id,
            author.role,
            author.agency_id,
            _print(ev, accused_id, court_id if fields.get("court") else None),
        ),
    )
    for participant_id, _ in ev.attendees:
        rows.add(
            "proceedings_proceduralevent_attendees",
            (ids("proceedings_proceduralevent_attendees"), ev.id, participant_id),
        )


@dataclass
class CaseContext:
    id: int
    subject: tuple[str, Any, str]
    offence: datetime.datetime
    investigator: Staff
    prosecutor: Staff
    judge: Staff
    probation: Staff
    consultation: Any
    registering_id: int
    registrar: Staff
    now: datetime.datetime


@dataclass
class Made:
    id: int
    birth: datetime.date
    gravest: str
    stage: str
    events: list[Any]
    audit: list[tuple[datetime.datetime, dict[str, Any]]]
    child: Any  # people.Child
    people: People  # the staff and participant ids around this minor


def make_accused(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    country: Country,
    region: Any,
    area: Any,
    ctx: CaseContext,
    child_at: datetime.datetime,
    moment: datetime.datetime,
    iins: Iins,
) -> Made:
    """One minor: the record and family, the charges, the people, the timeline, the audit."""
    offence_day = ctx.offence.astimezone(ALMATY).date()
    age = pick(rng, AGE_AT_OFFENCE)
    birth = offence_day - datetime.timedelta(days=age * 365 + age // 4 + rng.randint(1, 360))
    years = (
        offence_day.year
        - birth.year
        - ((offence_day.month, offence_day.day) < (birth.month, birth.day))
    )
    articles, article_weights = articles_for(country, years)
    picked = [rng.choices(articles, article_weights)[0]]
    if rng.random() < 0.2:
        picked.append(rng.choices(articles, article_weights)[0])
    picked = list(dict.fromkeys(picked))
    child = make_child(
        rng,
        rows,
        child_id=ids("people_juvenile"),
        next_relative=ids.of("people_relative"),
        next_audit=ids.of("audit_auditevent"),
        birth=birth,
        male=rng.random() < 0.88,
        area=area,
        agency_id=ctx.registering_id,
        registrar=ctx.registrar,
        at=child_at,
        iins=iins,
    )
    audit_rows: list[tuple[datetime.datetime, dict[str, Any]]] = []
    inv = ctx.investigator
    accused_id = ids("proceedings_accused")
    for article in picked:
        rows.add(
            "proceedings_charge",
            (ids("proceedings_charge"), moment, "", None, accused_id, article[0], inv.id, None),
        )
    audit_rows.append(
        (
            moment,
            {
                "actor": inv.actor,
                "action": "case.accused",
                "changes": {
                    "accused": (None, child.id),
                    "charges": (None, ", ".join(a[3] for a in picked)),
                },
            },
        )
    )
    # A detained minor gets the defender and psychologist on duty at the moment of assignment;
    # the others the consultation's members the investigator invites.
    detained = rng.random() < DETAINED
    detention = ctx.offence + rng.uniform(0.5, 8) * H
    assigned = detention + rng.uniform(0.1, 0.8) * H
    roster = region.roster
    if detained:
        defender_shift, lawyer = roster.on_duty("defender", assigned)
        psych_shift, psych = roster.on_duty("psychologist", assigned)
    else:
        lawyer = rng.choice(ctx.consultation.staff[Role.DEFENCE_LAWYER])
        psych = rng.choice(ctx.consultation.staff[Role.SOCIAL_PSYCHOLOGIST])
    rep_id, rep_name, rep_phone = child.representative
    plan = [
        ("legal_representative", rep_name.full, None, rep_id, rep_phone),
        ("defender", lawyer.name.full, lawyer.id, None, ""),
        ("social_psychologist", psych.name.full, psych.id, None, ""),
    ]
    if years < 16:
        plan.append(("pedagogue", names.person(rng).full, None, None, ""))
    part = {role: ids("proceedings_participant") for role, *_ in plan}
    people = People(
        inv,
        ctx.prosecutor,
        ctx.judge,
        lawyer,
        psych,
        ctx.probation,
        part["legal_representative"],
        part["defender"],
        part["social_psychologist"],
        part.get("pedagogue"),
    )
    timeline = Timeline(rng, ctx.now, ids.of("proceedings_proceduralevent"))
    timeline.last_recorded = moment + 20 * M
    gravest = max((a[1] for a in picked), key=list(GRAVITY_WEIGHT).index)
    build(
        timeline, ctx.offence, years, gravest, people, (detention, assigned) if detained else None
    )
    on_duty = next((e for e in timeline.events if e.kind == K.DEFENDER_ASSIGNED), None)
    state_paid = rng.random() < (0.95 if detained else 0.8)
    added = moment
    for role, full_name, user_id, relative_id, phone in plan:
        added += rng.randint(1, 5) * M
        when = added
        if detained and on_duty is not None and role in ("defender", "social_psychologist"):
            when = on_duty.recorded  # added by the assignment, in its transaction
        pid = part[role]
        rows.add(
            "proceedings_participant",
            (
                pid,
                when,
                when,
                role,
                full_name,
                False,
                phone,
                "",
                role == "defender" and state_paid,
                "",
                accused_id,
                relative_id,
                user_id,
                ctx.id,
            ),
        )
        audit_rows.append(
            (
                when,
                {
                    "actor": inv.actor,
                    "action": "case.participant",
                    "changes": {"participant": (None, f"{full_name} ({role_label(role)})")},
                    "details": {"participant_id": pid, "role": role},
                },
            )
        )
    if detained and on_duty is not None:
        detention_ev = timeline.events[0]
        arrivals = _first_arrivals(timeline, part["defender"], part["social_psychologist"])
        assignment_id = ids("defence_ondutyassignment")
        rows.add(
            "defence_ondutyassignment",
            (
                assignment_id,
                state_paid,
                on_duty.start,
                on_duty.recorded,
                accused_id,
                inv.id,
                on_duty.id,
                part["defender"],
                defender_shift,
                detention_ev.id,
                part["social_psychologist"],
                psych_shift,
                region.territory_id,
                detention_ev.start,
                *arrivals,
            ),
        )
        audit_rows.append(
            (
                on_duty.recorded,
                {
                    "actor": inv.actor,
                    "action": "duty.assign",
                    "changes": {
                        "defender": (None, lawyer.id),
                        "psychologist": (None, psych.id),
                        "state_paid": (None, state_paid),
                        "assigned_at": (None, local(on_duty.start)),
                    },
                    "details": {
                        "assignment_id": assignment_id,
                        "accused_id": accused_id,
                        "detention_id": detention_ev.id,
                        "defender_shift_id": defender_shift,
                        "psychologist_shift_id": psych_shift,
                    },
                },
            )
        )
    stage, pending = timeline.state
    rows.add("proceedings_accused", (accused_id, stage, pending, moment, child.id, ctx.id))
    for ev in timeline.events:
        event_rows(rows, ids, ev, accused_id, ctx.id, ctx.judge.agency_id)
    for _ in range(rng.choices((0, 1, 2), (82, 15, 3))[0]):
        when = rng.choice(timeline.events).recorded if timeline.events else moment
        viewer = rng.choice((inv, ctx.prosecutor, lawyer))
        action = rng.choice(("case.view", "juvenile.view"))
        seen = (
            ctx.subject if action == "case.view" else ("people.juvenile", child.id, child.name.full)
        )
        when = min(when + rng.randint(1, 600) * datetime.timedelta(seconds=1), ctx.now)
        audit_rows.append((when, {"actor": viewer.actor, "action": action, "subject": seen}))
    return Made(accused_id, birth, gravest, stage, timeline.events, audit_rows, child, people)


def _first_arrivals(
    timeline: Timeline, defender: int, psychologist: int
) -> tuple[datetime.datetime | None, datetime.datetime | None]:
    """The first recorded arrival of each person assigned, as the assignment keeps them."""

    def first(kind: str, participant: int) -> datetime.datetime | None:
        found = [
            e.start for e in timeline.events if e.kind == kind and e.participant == participant
        ]
        return min(found, default=None)

    return first(K.DEFENDER_ARRIVED, defender), first(K.PSYCHOLOGIST_PRESENT, psychologist)
