"""One block of cases: the children, their families, the cases, the timelines, the flags.

Everything a block writes comes from its own random generator and its own id ranges
(plan.Block), so blocks can be made in any order and a resumed run makes the same rows.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation

from qorgau.accounts.models import AgencyType, Role
from qorgau.demo.national import audit, names, safeguards
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.country import Country, Staff
from qorgau.demo.national.people import make_child
from qorgau.demo.national.plan import STRIDE, Block, block_seed
from qorgau.demo.national.timeline import People, Timeline, build
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole

ALMATY = ZoneInfo("Asia/Almaty")
UTC = datetime.UTC
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
ACCUSED_PER_CASE = ((1, 53), (2, 31), (3, 12), (4, 4))
AGE_AT_OFFENCE = ((14, 15), (15, 22), (16, 30), (17, 33))
GRAVITY_WEIGHT = {"misdemeanour": 12, "minor": 18, "medium": 38, "grave": 27, "especially_grave": 5}
ANSWERS = (("acknowledged", 20), ("remedied", 40), ("disputed", 10), ("act_issued", 30))
YEARS_BACK = 3
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


@dataclass
class Stats:
    juveniles: int = 0
    rows: int = 0


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def make_block(
    block: Block, country: Country, now: datetime.datetime, seed: int, taken: set[str]
) -> tuple[Rows, Stats]:
    """All rows of one block (nothing is written here)."""
    rng = random.Random(block_seed(seed, block.region_kato, block.index))
    rows, ids, stats = Rows(), Ids(block), Stats()
    region = country.regions[block.region_kato]
    weights = [a.weight for a in region.areas]
    for _ in range(block.cases):
        area = rng.choices(region.areas, weights)[0]
        _case(rng, rows, ids, country, region, area, now, taken, stats)
    stats.rows = rows.total
    return rows, stats


def _articles_for(country: Country, age: int) -> tuple[list[Any], list[int]]:
    fitting = [a for a in country.articles if a[2] <= age]
    return fitting, [GRAVITY_WEIGHT[a[1]] for a in fitting]


def _case(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    country: Country,
    region: Any,
    area: Any,
    now: datetime.datetime,
    taken: set[str],
    stats: Stats,
) -> None:
    local_agencies = region.local[area.kato]
    unit = local_agencies[AgencyType.INVESTIGATION_UNIT]
    police = local_agencies[AgencyType.JUVENILE_POLICE]
    investigator: Staff = rng.choice(unit.staff[Role.INVESTIGATOR])
    prosecutor: Staff = rng.choice(
        region.agencies[AgencyType.PROSECUTOR_OFFICE].staff[Role.PROSECUTOR]
    )
    court = region.agencies[AgencyType.JUVENILE_COURT]
    judge: Staff = rng.choice(court.staff[Role.JUDGE])
    consultation = region.agencies[AgencyType.LEGAL_CONSULTATION]
    probation = rng.choice(region.agencies[AgencyType.PROBATION].staff[Role.PROBATION_INSPECTOR])
    by_police = rng.random() < 0.3
    registrar = (
        rng.choice(police.staff[Role.JUVENILE_POLICE_INSPECTOR]) if by_police else investigator
    )
    registering = police if by_police else unit

    days_back = rng.uniform(2, YEARS_BACK * 365)
    offence = (now - days_back * D).replace(microsecond=0)
    offence = offence.replace(hour=rng.choices(range(24), [1] * 7 + [2] * 9 + [4] * 8)[0])
    if offence > now - D:
        offence -= D
    opened = offence + rng.uniform(1, 20) * H
    opened = min(opened, now - H).replace(microsecond=0)
    registered_on = opened.astimezone(ALMATY).date()
    case_id = ids("proceedings_proceeding")
    number = f"{registered_on:%y}{area.kato[:6]}{case_id:08d}"
    n_accused = _pick(rng, ACCUSED_PER_CASE)
    first_article = None
    case_audit: list[tuple[datetime.datetime, dict[str, Any]]] = []
    subject = ("proceedings.proceeding", case_id, number)
    case_audit.append(
        (
            opened,
            {
                "actor": investigator.actor,
                "action": "case.open",
                "changes": {"number": (None, number), "offence_at": (None, local(offence))},
            },
        )
    )
    offence_day = offence.astimezone(ALMATY).date()
    all_events: list[Any] = []
    moment = opened
    court_used = judge_used = False
    tracks: list[tuple[int, list[Any], str, datetime.date, str]] = []
    last_change = opened
    for _ in range(n_accused):
        age = _pick(rng, AGE_AT_OFFENCE)
        birth = offence_day - datetime.timedelta(days=age * 365 + age // 4 + rng.randint(1, 360))
        years = (
            offence_day.year
            - birth.year
            - ((offence_day.month, offence_day.day) < (birth.month, birth.day))
        )
        articles, article_weights = _articles_for(country, years)
        picked = [rng.choices(articles, article_weights)[0]]
        if rng.random() < 0.2:
            picked.append(rng.choices(articles, article_weights)[0])
        picked = list(dict.fromkeys(picked))
        first_article = first_article or picked[0]
        moment += rng.randint(2, 15) * datetime.timedelta(minutes=1)
        child = make_child(
            rng,
            rows,
            child_id=ids("people_juvenile"),
            next_relative=ids.of("people_relative"),
            next_audit=ids.of("audit_auditevent"),
            birth=birth,
            male=rng.random() < 0.88,
            area=area,
            agency_id=registering.id,
            registrar=registrar,
            at=moment,
            taken=taken,
        )
        stats.juveniles += 1
        moment += rng.randint(3, 20) * datetime.timedelta(minutes=1)
        accused_id = ids("proceedings_accused")
        for article in picked:
            rows.add(
                "proceedings_charge",
                (
                    ids("proceedings_charge"),
                    moment,
                    "",
                    None,
                    accused_id,
                    article[0],
                    investigator.id,
                    None,
                ),
            )
        case_audit.append(
            (
                moment,
                {
                    "actor": investigator.actor,
                    "action": "case.accused",
                    "changes": {
                        "accused": (None, child.id),
                        "charges": (None, ", ".join(a[3] for a in picked)),
                    },
                },
            )
        )
        lawyer = rng.choice(consultation.staff[Role.DEFENCE_LAWYER])
        psych = rng.choice(consultation.staff[Role.SOCIAL_PSYCHOLOGIST])
        rep_id, rep_name, rep_phone = child.representative
        part = {}
        plan = [
            ("legal_representative", rep_name.full, None, rep_id, rep_phone),
            ("defender", lawyer.name.full, lawyer.id, None, ""),
            ("social_psychologist", psych.name.full, psych.id, None, ""),
        ]
        if years < 16:
            plan.append(("pedagogue", names.person(rng).full, None, None, ""))
        for role, full_name, user_id, relative_id, phone in plan:
            moment += datetime.timedelta(minutes=rng.randint(1, 5))
            pid = ids("proceedings_participant")
            part[role] = pid
            state_paid = role == "defender" and rng.random() < 0.85
            rows.add(
                "proceedings_participant",
                (
                    pid,
                    moment,
                    moment,
                    role,
                    full_name,
                    False,
                    phone,
                    "",
                    state_paid,
                    "",
                    accused_id,
                    relative_id,
                    user_id,
                    case_id,
                ),
            )
            case_audit.append(
                (
                    moment,
                    {
                        "actor": investigator.actor,
                        "action": "case.participant",
                        "changes": {"participant": (None, f"{full_name} ({role_label(role)})")},
                        "details": {"participant_id": pid, "role": role},
                    },
                )
            )
        people = People(
            investigator,
            prosecutor,
            judge,
            lawyer,
            psych,
            probation,
            part["legal_representative"],
            part["defender"],
            part["social_psychologist"],
            part.get("pedagogue"),
        )
        timeline = Timeline(rng, now, ids.of("proceedings_proceduralevent"))
        timeline.last_recorded = moment
        gravest = max((a[1] for a in picked), key=list(GRAVITY_WEIGHT).index)
        build(timeline, offence, years, gravest, people)
        stage, pending = timeline.state
        rows.add("proceedings_accused", (accused_id, stage, pending, moment, child.id, case_id))
        for ev in timeline.events:
            _event_rows(rows, ids, ev, accused_id, case_id)
            all_events.append((ev, accused_id, court.id))
            last_change = max(last_change, ev.recorded)
        tracks.append((accused_id, timeline.events, stage, birth, gravest))
        for _ in range(rng.choices((0, 1, 2), (82, 15, 3))[0]):
            when = rng.choice(timeline.events).recorded if timeline.events else moment
            viewer = rng.choice((investigator, prosecutor, lawyer))
            action = rng.choice(("case.view", "juvenile.view"))
            view_subject = (
                subject if action == "case.view" else ("people.juvenile", child.id, child.name.full)
            )
            when = min(when + rng.randint(1, 600) * datetime.timedelta(seconds=1), now)
            case_audit.append(
                (when, {"actor": viewer.actor, "action": action, "subject": view_subject})
            )
    # The sweep at the as-of moment, once the whole case is known (its judge, its court).
    judged = any(ev.kind == K.JUDGMENT for ev, _, _ in all_events)
    for accused_id, events, stage, birth, gravest in tracks:
        track = safeguards.Case(
            events=list(events),
            stage=stage,
            birth_date=birth,
            gravest=gravest,
            investigator=investigator,
            prosecutor=prosecutor,
            judge=judge if judged else None,
            registered_on=registered_on,
            offence_at=offence,
            trained=country.trained,
            now=now,
        )
        for finding in safeguards.evaluate(track):
            _violation(rng, rows, ids, finding, accused_id, case_id, subject, prosecutor, now)
    # Steps in recording order: the first referral names the court, the first judgment the judge.
    for ev, accused_id, court_id in sorted(all_events, key=lambda x: (x[0].recorded, x[0].id)):
        changes: dict[str, tuple[Any, Any]] = {
            "kind": (None, ev.kind),
            "started_at": (None, local(ev.start)),
        }
        if ev.stage[0] != ev.before[0]:
            changes["stage"] = (ev.before[0], ev.stage[0])
        if ev.stage[1] != ev.before[1]:
            changes["pending"] = (ev.before[1], ev.stage[1])
        if ev.kind == K.INDICTMENT_APPROVED and not court_used:
            changes["court"], court_used = (None, court_id), True
        if ev.kind == K.JUDGMENT and not judge_used:
            changes["judge"], judge_used = (None, ev.author.id), True
        case_audit.append(
            (
                ev.recorded,
                {
                    "actor": ev.author.actor,
                    "action": "case.event",
                    "changes": changes,
                    "details": {"event_id": ev.id, "accused_id": accused_id},
                },
            )
        )
    for at, kwargs in sorted(case_audit, key=lambda x: x[0]):
        kwargs.setdefault("subject", subject)
        rows.add(
            "audit_auditevent", audit.row(id=ids("audit_auditevent"), at=at, rng=rng, **kwargs)
        )
    place = f"{names.address(rng)}"
    rows.add(
        "proceedings_proceeding",
        (
            case_id,
            opened,
            last_change,
            number,
            registered_on,
            offence,
            place,
            first_article[4] if first_article else "",
            court.id if court_used else None,
            investigator.id,
            judge.id if judge_used else None,
            prosecutor.id,
            registering.id,
            area.territory_id,
        ),
    )


def _event_rows(rows: Rows, ids: Ids, ev: Any, accused_id: int, case_id: int) -> None:
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
            ev.author.id,
            ev.participant,
            case_id,
        ),
    )
    for participant_id, _ in ev.attendees:
        rows.add(
            "proceedings_proceduralevent_attendees",
            (ids("proceedings_proceduralevent_attendees"), ev.id, participant_id),
        )


def _violation(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    finding: Any,
    accused_id: int,
    case_id: int,
    subject: tuple[str, Any, str],
    prosecutor: Staff,
    now: datetime.datetime,
) -> None:
    vid = ids("safeguards_violation")
    at = finding.moment.replace(microsecond=0)
    status, changed_at, note, act = "open", None, "", ("", "", None)
    if at < now - 20 * D and rng.random() < 0.7:
        status = _pick(rng, ANSWERS)
        changed_at = min(at + rng.uniform(1, 15) * D, now).replace(microsecond=0)
        if status == "disputed":
            note = "Іс материалдарында бұзушылық расталмады."
        elif status == "remedied":
            note = "Бұзушылық жойылды, тергеушіге нұсқау берілді."
        elif status == "act_issued":
            act = (
                rng.choice(("protest", "representation", "order")),
                f"2-{rng.randint(1000, 9999)}",
                changed_at.astimezone(ALMATY).date(),
            )
    responsible = finding.responsible
    rule = finding.rule
    rows.add(
        "safeguards_violation",
        (
            vid,
            at,
            changed_at or at,
            rule.id,
            finding.key,
            rule.severity,
            finding.facts,
            at,
            status,
            changed_at,
            note,
            act[0],
            act[1],
            act[2],
            accused_id,
            case_id,
            responsible.id,
            responsible.agency_id,
            prosecutor.id if changed_at else None,
        ),
    )
    for ev in finding.events:
        rows.add("safeguards_violation_events", (ids("safeguards_violation_events"), vid, ev.id))
    rows.add(
        "audit_auditevent",
        audit.row(
            id=ids("audit_auditevent"),
            at=at,
            actor=audit.SYSTEM,
            action="violation.open",
            subject=subject,
            changes={"violation": (None, f"{rule.id}: {finding.key}")},
            details={"violation_id": vid, "accused_id": accused_id},
            channel="cli",
        ),
    )
    if changed_at is not None:
        changes: dict[str, tuple[Any, Any]] = {"status": ("open", status)}
        if status in ("disputed", "remedied"):
            changes["note"] = (None, note)
        if status == "act_issued":
            changes.update(
                {
                    "act_type": (None, act[0]),
                    "act_number": (None, act[1]),
                    "act_date": (None, act[2]),
                }
            )
        rows.add(
            "audit_auditevent",
            audit.row(
                id=ids("audit_auditevent"),
                at=changed_at,
                actor=prosecutor.actor,
                action="violation.status",
                subject=subject,
                changes=changes,
                details={"violation_id": vid},
                rng=rng,
            ),
        )
