"""One block of cases: the children, their families, the cases, the timelines, the flags.

Everything a block writes comes from its own random generator and its own id ranges
(plan.Block), so blocks can be made in any order and a resumed run makes the same rows.
"""

import datetime
import random
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import translation

from qorgau.accounts.models import AgencyType, Role
from qorgau.demo.national import audit, names, safeguards
from qorgau.demo.national.assessments import make_assessments
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.country import Country, Staff
from qorgau.demo.national.mediations import make_mediation
from qorgau.demo.national.minor import CaseContext, Ids, local, make_accused, pick, role_label
from qorgau.demo.national.people import Iins
from qorgau.demo.national.plan import Block, block_seed
from qorgau.demo.national.plans import make_plan
from qorgau.demo.national.portraits import make_portrait
from qorgau.demo.national.supervisions import make_supervision
from qorgau.proceedings.models import EventKind as K

ALMATY = ZoneInfo("Asia/Almaty")
UTC = datetime.UTC
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)
M = datetime.timedelta(minutes=1)
ACCUSED_PER_CASE = ((1, 53), (2, 31), (3, 12), (4, 4))
VICTIMS = ((0, 25), (1, 60), (2, 15))
ADULT_TRIALS = (("", 30), ("juvenile_court", 40), ("general_court", 30))
ANSWERS = (("acknowledged", 20), ("remedied", 40), ("disputed", 10), ("act_issued", 30))


@dataclass
class Stats:
    juveniles: int = 0
    rows: int = 0


def make_block(
    block: Block, country: Country, now: datetime.datetime, seed: int, iins: Iins
) -> tuple[Rows, Stats]:
    """All rows of one block (nothing is written here)."""
    rng = random.Random(block_seed(seed, block.region_kato, block.index))
    rows, ids, stats = Rows(), Ids(block), Stats()
    region = country.regions[block.region_kato]
    weights = [a.weight for a in region.areas]
    with translation.override("kk"):  # what the services store, they store in Kazakh here
        for _ in range(block.cases):
            area = rng.choices(region.areas, weights)[0]
            _case(rng, rows, ids, country, region, area, now, iins, stats)
    stats.rows = rows.total
    return rows, stats


def _case(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    country: Country,
    region: Any,
    area: Any,
    now: datetime.datetime,
    iins: Iins,
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

    days_back = rng.uniform(2, country.years * 365)
    offence = (now - days_back * D).replace(microsecond=0)
    offence = offence.replace(hour=rng.choices(range(24), [1] * 7 + [2] * 9 + [4] * 8)[0])
    if offence > now - D:
        offence -= D
    opened = offence + rng.uniform(2, 20) * H
    opened = min(opened, now - H).replace(microsecond=0)
    registered_on = opened.astimezone(ALMATY).date()
    case_id = ids("proceedings_proceeding")
    number = f"{registered_on:%y}{area.kato[:6]}{case_id:08d}"
    n_accused = pick(rng, ACCUSED_PER_CASE)
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
    ctx = CaseContext(
        case_id,
        subject,
        offence,
        investigator,
        prosecutor,
        judge,
        probation,
        consultation,
        registering.id,
        registrar,
        now,
    )
    victims = _others(rng, rows, ids, ctx, opened + (n_accused + 1) * 5 * M, case_audit)
    all_events: list[Any] = []
    court_used = judge_used = False
    tracks: list[tuple[int, list[Any], str, datetime.date, str]] = []
    minors = []
    last_change = opened
    for index in range(n_accused):
        child_at = opened - (n_accused - index) * 20 * M
        moment = opened + index * 5 * M
        accused = make_accused(rng, rows, ids, country, region, area, ctx, child_at, moment, iins)
        stats.juveniles += 1
        for ev in accused.events:
            all_events.append((ev, accused.id, court.id))
            last_change = max(last_change, ev.recorded)
        tracks.append((accused.id, accused.events, accused.stage, accused.birth, accused.gravest))
        case_audit.extend(accused.audit)
        minors.append(accused)
    # The sweep at the as-of moment, once the whole case is known (its judge, its court).
    judged = any(ev.kind == K.JUDGMENT for ev, _, _ in all_events)
    for (accused_id, events, stage, birth, gravest), made in zip(tracks, minors, strict=True):
        people = made.people
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
            names={
                people.defender: people.lawyer.name.full,
                people.psychologist_p: people.psychologist.name.full,
            },
        )
        for finding in safeguards.evaluate(track):
            _violation(rng, rows, ids, finding, accused_id, case_id, subject, prosecutor, now)
    # The accompaniment, once the whole case is known (when its court was named).
    court_from = min(
        (ev.recorded for ev, _, _ in all_events if ev.kind == K.INDICTMENT_APPROVED), default=None
    )
    for accused in minors:
        readers = [investigator, prosecutor, accused.people.lawyer]
        done = make_assessments(
            rng, rows, ids, region=region, made=accused, now=now, readers=readers
        )
        make_portrait(rng, rows, ids, region=region, made=accused, ctx=ctx, assessments=done,
                      court_from=court_from, now=now)  # fmt: skip
        make_plan(rng, rows, ids, region=region, local=local_agencies, made=accused,
                  assessments=done, now=now, readers=readers)  # fmt: skip
        case_audit.extend(
            make_mediation(rng, rows, ids, region=region, made=accused, ctx=ctx,
                           victims=victims, now=now)
        )  # fmt: skip
        # Its own generator, seeded by the minor: the block's stream (and so every other row of
        # the country) is the same as before supervisions were generated.
        own = random.Random(f"supervision-{accused.id}-{ctx.offence.isoformat()}")
        make_supervision(own, rows, ids, region=region, made=accused, ctx=ctx, now=now)
    # Steps in recording order: the first referral names the court, the first judgment the judge.
    for ev, accused_id, court_id in sorted(all_events, key=lambda x: (x[0].recorded, x[0].id)):
        changes: dict[str, tuple[Any, Any]] = {
            "kind": (None, ev.kind),
            "started_at": (None, local(ev.start)),
            "acting_role": (None, ev.author.role),
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
    place = names.address(rng)
    summary = rng.choice(country.articles)[4]
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
            summary,
            court.id if court_used else None,
            investigator.id,
            judge.id if judge_used else None,
            prosecutor.id,
            registering.id,
            area.territory_id,
        ),
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
        status = pick(rng, ANSWERS)
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


def _others(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    ctx: CaseContext,
    at: datetime.datetime,
    case_audit: list[tuple[datetime.datetime, dict[str, Any]]],
) -> list[tuple[int, bool, str]]:
    """Victims (some of them minors) and, in some cases, an adult co-participant.

    Returns the victims as (participant id, is a minor, full name)."""
    victims = []
    people = [("victim", rng.random() < 0.25, "") for _ in range(pick(rng, VICTIMS))]
    if rng.random() < 0.1:
        people.append(("adult_coparticipant", False, pick(rng, ADULT_TRIALS)))
    for role, is_minor, tried_in in people:
        at += rng.randint(1, 10) * M
        pid = ids("proceedings_participant")
        full_name = names.person(rng).full
        if role == "victim":
            victims.append((pid, is_minor, full_name))
        rows.add(
            "proceedings_participant",
            (
                pid,
                at,
                at,
                role,
                full_name,
                is_minor,
                "",
                tried_in,
                False,
                "",
                None,
                None,
                None,
                ctx.id,
            ),
        )
        case_audit.append(
            (
                at,
                {
                    "actor": ctx.investigator.actor,
                    "action": "case.participant",
                    "changes": {"participant": (None, f"{full_name} ({role_label(role)})")},
                    "details": {"participant_id": pid, "role": role},
                },
            )
        )
    return victims
