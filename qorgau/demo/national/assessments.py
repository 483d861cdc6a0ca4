"""Risk and needs assessments of a minor, as qorgau/support/services/assessment.py writes them.

Read against the instrument in qorgau/support/instruments/ (the version in force on the day),
scored by the same pure function (`assessment_scoring.score`): start, one save of the answers,
complete; some drafts left unfinished; some reassessments during the sentence. Before the
instrument's first version came into force nobody could assess, so older tracks have none.
"""

import datetime
import random
from dataclasses import dataclass
from typing import Any

from qorgau.demo.national import audit
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.minor import Ids
from qorgau.proceedings.models import EventKind as K
from qorgau.support.assessment_scoring import score
from qorgau.support.instrument import RISK_NEEDS, Instrument, library
from qorgau.support.models.assessment import AssessmentStatus

D = datetime.timedelta(days=1)
M = datetime.timedelta(minutes=1)
IN_COURT = 0.65  # of minors referred to court: the court social worker assesses
BEFORE_COURT = 0.2  # of the others: the consultation's psychologist assesses
DRAFT_LEFT = 0.05  # drafts never completed
REASSESSED = 0.25  # of assessed minors whose sentence is being served: the probation inspector


@dataclass
class Done:
    """A completed assessment, as the plan and the portrait read it."""

    id: int
    completed_at: datetime.datetime
    author_agency_id: int
    levels: dict[str, str]
    reasons: dict[str, Any]
    instrument: Instrument


def first(events: list[Any], *kinds: str) -> Any:
    return next((e for e in events if e.kind in kinds), None)


def instrument_on(moment: datetime.datetime) -> Instrument | None:
    return library().current(RISK_NEEDS, audit.local_day(moment))


def _answers(rng: random.Random, instrument: Instrument, risk: float) -> dict[str, str]:
    """An answer to every item: higher options more likely the higher the minor's risk."""
    answers = {}
    for domain in instrument.domains:
        lean = 1 - risk if domain.protective else risk
        for item in domain.items:
            options = item.options
            top = len(options) - 1
            weights = [
                (lean if index else 1 - lean) ** 1.5 * (1 + (index == top) * lean) + 0.02
                for index in range(len(options))
            ]
            answers[item.id] = rng.choices(options, weights)[0].id
    return answers


def _row(
    aid: int,
    created: datetime.datetime,
    updated: datetime.datetime,
    version: int,
    child_id: int,
    accused_id: int,
    author: Any,
    instrument: Instrument,
    answers: dict[str, str],
    result: Any,
    completed: datetime.datetime | None,
    supersedes: int | None,
) -> tuple[Any, ...]:
    done = completed is not None
    return (
        aid,
        created,
        updated,
        version,
        child_id,
        accused_id,
        author.id,
        author.agency_id,
        instrument.code,
        instrument.version,
        AssessmentStatus.COMPLETED.value if done else AssessmentStatus.DRAFT.value,
        answers,
        result.domains if done else {},
        result.totals["society"] if done else None,
        result.totals["child"] if done else None,
        result.levels["society"] if done else "",
        result.levels["child"] if done else "",
        result.reasons if done else {},
        completed,
        supersedes,
        "",
    )


def _assess(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    *,
    author: Any,
    at: datetime.datetime,
    now: datetime.datetime,
    child: Any,
    accused_id: int,
    risk: float,
    earlier: Done | None = None,
    earlier_answers: dict[str, str] | None = None,
) -> tuple[Done | None, dict[str, str]]:
    instrument = instrument_on(at)
    if instrument is None or at >= now:
        return None, {}
    subject = ("people.juvenile", child.id, child.name.full)
    aid = ids("support_assessment")
    answers = _answers(rng, instrument, risk)
    start_details: dict[str, Any] = {"assessment_id": aid}
    if earlier is not None:
        start_details["reassessment_of"] = earlier.id
    else:
        start_details["accused_id"] = accused_id
    rows.add(
        "audit_auditevent",
        audit.row(
            id=ids("audit_auditevent"),
            at=at,
            actor=author.actor,
            action="assessment.start",
            subject=subject,
            changes={"instrument": (None, f"{instrument.code} v{instrument.version}")},
            details=start_details,
            rng=rng,
        ),
    )
    kept = dict(earlier_answers or {})
    saved = min(at + rng.randint(10, 50) * M, now)
    changed = {
        f"answers.{item}": (kept.get(item), option)
        for item, option in answers.items()
        if kept.get(item) != option
    }
    if changed:
        rows.add(
            "audit_auditevent",
            audit.row(
                id=ids("audit_auditevent"),
                at=saved,
                actor=author.actor,
                action="assessment.save",
                subject=subject,
                changes=changed,
                details={"assessment_id": aid},
                rng=rng,
            ),
        )
    completed = saved + rng.randint(2, 30) * M
    result = score(instrument, answers)
    if completed >= now or rng.random() < DRAFT_LEFT:
        version = 2 if changed else 1
        rows.add(
            "support_assessment",
            _row(
                aid,
                at,
                saved,
                version,
                child.id,
                accused_id,
                author,
                instrument,
                answers,
                result,
                None,
                earlier.id if earlier else None,
            ),
        )
        return None, answers
    rows.add(
        "support_assessment",
        _row(
            aid,
            at,
            completed,
            3 if changed else 2,
            child.id,
            accused_id,
            author,
            instrument,
            answers,
            result,
            completed,
            earlier.id if earlier else None,
        ),
    )
    rows.add(
        "audit_auditevent",
        audit.row(
            id=ids("audit_auditevent"),
            at=completed,
            actor=author.actor,
            action="assessment.complete",
            subject=subject,
            changes={
                "status": (AssessmentStatus.DRAFT.value, AssessmentStatus.COMPLETED.value),
                "society_level": (None, result.levels["society"]),
                "child_level": (None, result.levels["child"]),
            },
            details={"assessment_id": aid},
            rng=rng,
        ),
    )
    done = Done(aid, completed, author.agency_id, result.levels, result.reasons, instrument)
    return done, answers


def risk_of(rng: random.Random, child: Any, gravest: str) -> float:
    """A latent risk in [0, 1]: the family's troubles and the gravity of the charge raise it."""
    risk = rng.betavariate(2, 3.5)
    flags = child.flags
    risk += 0.15 * flags["asocial_family"] + 0.06 * flags["low_income_family"]
    risk += 0.05 * flags["incomplete_family"]
    risk += {"grave": 0.08, "especially_grave": 0.15}.get(gravest, 0.0)
    return float(min(risk, 0.97))


def make_assessments(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    *,
    region: Any,
    made: Any,
    now: datetime.datetime,
    readers: list[Any],
) -> list[Done]:
    """The completed assessments of one minor, oldest first (drafts are written too)."""
    from qorgau.accounts.models import AgencyType, Role

    events = made.events
    referred = first(events, K.INDICTMENT_APPROVED)
    risk = risk_of(rng, made.child, made.gravest)
    if referred is not None and rng.random() < IN_COURT:
        court = region.agencies[AgencyType.JUVENILE_COURT]
        author = rng.choice(court.staff[Role.COURT_SOCIAL_WORKER])
        at = referred.start + rng.uniform(2, 9) * D
        judged = first(events, K.JUDGMENT)
        if judged is not None:
            at = min(at, judged.start - rng.uniform(0.5, 1) * D)
    elif referred is None and events and rng.random() < BEFORE_COURT:
        author = made.people.psychologist
        at = events[0].start + rng.uniform(3, 25) * D
    else:
        return []
    at = at.replace(microsecond=0)
    done, answers = _assess(
        rng,
        rows,
        ids,
        author=author,
        at=at,
        now=now,
        child=made.child,
        accused_id=made.id,
        risk=risk,
    )
    if done is None:
        return []
    found = [done]
    for viewer in rng.sample(readers, k=min(len(readers), rng.choice((0, 1, 1, 2)))):
        seen = min(done.completed_at + rng.uniform(0.1, 20) * D, now).replace(microsecond=0)
        rows.add(
            "audit_auditevent",
            audit.row(
                id=ids("audit_auditevent"),
                at=seen,
                actor=viewer.actor,
                action="assessment.view",
                subject=("people.juvenile", made.child.id, made.child.name.full),
                details={"assessment_id": done.id},
                rng=rng,
            ),
        )
    in_force = first(events, K.JUDGMENT_IN_FORCE, K.APPEAL_DECISION)
    serving = in_force is not None and made.stage in ("sentence_execution", "closed")
    if serving and rng.random() < REASSESSED:
        later = (in_force.start + rng.uniform(60, 200) * D).replace(microsecond=0)
        inspector = region.agencies[AgencyType.PROBATION].staff[Role.PROBATION_INSPECTOR]
        again, _ = _assess(
            rng,
            rows,
            ids,
            author=rng.choice(inspector),
            at=later,
            now=now,
            child=made.child,
            accused_id=made.id,
            risk=max(0.05, risk - 0.2),
            earlier=done,
            earlier_answers=answers,
        )
        if again is not None:
            found.append(again)
    return found
