"""Scoring an instrument's answers: points per domain, a total and a level per scale, reasons.

Pure functions of the instrument version and the answers, so a completed assessment can be
recomputed and explained against the version it used. Reasons are stored language-free (ids
and numbers) and put in words for each reader.
"""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from qorgau.support.instrument import SCALES, Domain, Instrument
from qorgau.support.models.assessment import RiskLevel

NOT_STARTED, IN_PROGRESS, DONE = "not_started", "in_progress", "completed"


@dataclass(frozen=True)
class Result:
    domains: dict[str, dict[str, int]]  # domain id -> points, society, child (weighted)
    totals: dict[str, int]
    levels: dict[str, str]
    reasons: dict[str, Any]


def valid_answers(instrument: Instrument, answers: dict[str, str]) -> dict[str, str]:
    """The answers that name an item and one of its options (others are ignored)."""
    result = {}
    for item in instrument.items:
        option_id = answers.get(item.id)
        if option_id is not None and item.option(option_id) is not None:
            result[item.id] = option_id
    return result


def unanswered(instrument: Instrument, answers: dict[str, str]) -> list[str]:
    """The ids of the required items without an answer, in the instrument's order."""
    given = valid_answers(instrument, answers)
    return [item.id for item in instrument.items if item.required and item.id not in given]


def domain_status(domain: Domain, answers: dict[str, str]) -> str:
    answered = [item for item in domain.items if item.option(answers.get(item.id, "")) is not None]
    if not answered:
        return NOT_STARTED
    missing = [i for i in domain.items if i.required and i not in answered]
    return IN_PROGRESS if missing else DONE


def _points(domain: Domain, answers: dict[str, str]) -> tuple[int, list[str]]:
    """The domain's points and the ids of its items that scored, highest first."""
    scored = []
    for item in domain.items:
        option = item.option(answers.get(item.id, ""))
        if option is not None and option.score > 0:
            scored.append((option.score, item.id))
    scored.sort(key=lambda pair: -pair[0])  # stable: the instrument's order among equals
    return sum(score for score, _ in scored), [item_id for _, item_id in scored]


def score(instrument: Instrument, answers: dict[str, str]) -> Result:
    answers = valid_answers(instrument, answers)
    domains: dict[str, dict[str, int]] = {}
    contributions: dict[str, list[dict[str, Any]]] = {scale: [] for scale in SCALES}
    risk = dict.fromkeys(SCALES, 0)
    protection = dict.fromkeys(SCALES, 0)
    protective_items: list[str] = []
    for domain in instrument.domains:
        points, items = _points(domain, answers)
        weighted = {scale: points * domain.weights[scale] for scale in SCALES}
        domains[domain.id] = {"points": points, **weighted}
        if domain.protective:
            protective_items += items
            for scale in SCALES:
                protection[scale] += weighted[scale]
            continue
        for scale in SCALES:
            risk[scale] += weighted[scale]
            if weighted[scale] >= max(instrument.min_points, 1):
                contributions[scale].append(
                    {"domain": domain.id, "points": weighted[scale], "items": items}
                )
    totals = {scale: max(0, risk[scale] - protection[scale]) for scale in SCALES}
    levels = {scale: instrument.level_of(scale, totals[scale]) for scale in SCALES}
    reasons: dict[str, Any] = {"protective": protective_items}
    for scale in SCALES:
        top = sorted(contributions[scale], key=lambda c: -c["points"])[: instrument.top_domains]
        without = instrument.level_of(scale, risk[scale])
        reasons[scale] = {
            "domains": top,
            "protection": protection[scale],
            "lowered_from": without if without != levels[scale] else None,
        }
    return Result(domains=domains, totals=totals, levels=levels, reasons=reasons)


# In words


@dataclass
class Reason:
    """One line of a level's reasons: a domain with its points and the answers that scored."""

    title: str
    points: int
    answers: list[str] = field(default_factory=list)


@dataclass
class ScaleReasons:
    scale: str
    domains: list[Reason]
    protection: Reason | None
    lowered: str  # "Protective factors lowered the level from high to moderate.", or ""


def _answer_text(instrument: Instrument, answers: dict[str, str], item_id: str) -> str:
    item = instrument.item(item_id)
    if item is None:
        return item_id
    option = item.option(answers.get(item_id, ""))
    return f"{item.text} — {option.text}" if option else item.text


def explain(
    instrument: Instrument,
    answers: dict[str, str],
    reasons: dict[str, Any],
    levels: dict[str, str],
) -> list[ScaleReasons]:
    """The stored reasons of both scales in the active language."""
    protective = [_answer_text(instrument, answers, i) for i in reasons.get("protective", [])]
    result = []
    for scale in SCALES:
        stored = reasons.get(scale) or {}
        lines = []
        for entry in stored.get("domains", []):
            domain = instrument.domain(entry["domain"])
            lines.append(
                Reason(
                    title=domain.title if domain else entry["domain"],
                    points=entry["points"],
                    answers=[_answer_text(instrument, answers, i) for i in entry["items"]],
                )
            )
        protection = None
        if stored.get("protection"):
            protection = Reason(
                title=_("Protective factors"), points=stored["protection"], answers=protective
            )
        lowered = ""
        if stored.get("lowered_from"):
            lowered = _("Protective factors lowered the level from %(before)s to %(after)s.") % {
                "before": RiskLevel(stored["lowered_from"]).label,
                "after": RiskLevel(levels[scale]).label,
            }
        result.append(ScaleReasons(scale, lines, protection, lowered))
    return result
