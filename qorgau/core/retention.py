"""Retention of personal data: the rules (data, rules/retention-<profile>.yaml) and their appliers.

Each app that keeps personal records registers, from its AppConfig.ready(), how to find the rows
a rule makes due and the service that applies the rule to one row; `apply_retention` (the
`qorgau apply-retention` command) walks every rule in force. core knows no app above it.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from qorgau.core import rulefiles
from qorgau.core.rulefiles import Labelled, RuleFileError, in_language

RULES_DIR = Path(__file__).resolve().parent / "rules"
ACTIONS = ("anonymise", "keep")
COUNTED_FROM = ("adulthood", "created")
REQUIRED = ("code", "record", "keep_years", "counted_from", "action", "citation", "valid_from")


@dataclass(frozen=True)
class RetentionRule(Labelled):
    code: str
    record: str
    keep_years: int
    counted_from: str
    action: str
    citation_text: dict[str, str]
    confirmed: bool
    policy: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    text: dict[str, str]

    @property
    def citation(self) -> str:
        return in_language(self.citation_text)


@dataclass(frozen=True)
class Applier:
    """How one record type is found due and changed: `due` lists ids, `apply` is a service."""

    due: Callable[[RetentionRule, datetime.date], Iterable[int]]
    apply: Callable[[RetentionRule, int], bool]  # True when the row was changed


APPLIERS: dict[str, Applier] = {}


def register(record: str, applier: Applier) -> None:
    APPLIERS[record] = applier


def _parse(path: Path, raw: Any) -> RetentionRule:
    if not isinstance(raw, dict):
        raise RuleFileError(path, "-", "-", "each rule must be a mapping")
    code = str(raw.get("code") or "-")
    rulefiles.check_required(path, code, raw, REQUIRED)
    rulefiles.boolean(path, code, raw, "confirmed", "policy")
    keep_years = raw["keep_years"]
    if not isinstance(keep_years, int) or isinstance(keep_years, bool) or keep_years < 0:
        raise RuleFileError(path, code, "keep_years", "must be a whole number of years, 0 or more")
    if raw["action"] not in ACTIONS:
        raise RuleFileError(path, code, "action", f"must be one of {', '.join(ACTIONS)}")
    if raw["counted_from"] not in COUNTED_FROM:
        raise RuleFileError(path, code, "counted_from", f"must be one of {', '.join(COUNTED_FROM)}")
    if raw["record"].count(".") != 1:
        raise RuleFileError(path, code, "record", "must be app_label.model")
    valid_from, valid_to = rulefiles.validity(path, code, raw)
    return RetentionRule(
        code=code,
        record=raw["record"],
        keep_years=keep_years,
        counted_from=raw["counted_from"],
        action=raw["action"],
        citation_text=rulefiles.trilingual(path, code, raw, "citation"),
        confirmed=raw["confirmed"],
        policy=raw["policy"],
        valid_from=valid_from,
        valid_to=valid_to,
        text=rulefiles.trilingual(path, code, raw, "text"),
    )


def load(path: Path) -> tuple[RetentionRule, ...]:
    data = rulefiles.read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleFileError(path, "-", "rules", "must be a list of rules")
    rules = tuple(_parse(path, raw) for raw in data["rules"])
    codes = [rule.code for rule in rules]
    for code in codes:
        if codes.count(code) > 1:
            raise RuleFileError(path, code, "code", "is used twice")
    return rules


@cache
def retention_rules() -> tuple[RetentionRule, ...]:
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load(RULES_DIR / f"retention-{profile}.yaml")


def adulthood_cutoff(rule: RetentionRule, day: datetime.date) -> datetime.date:
    """Children born on or before this day turned 18 at least keep_years before `day`."""
    years = 18 + rule.keep_years
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


@dataclass
class RetentionResult:
    changed: dict[str, int]
    due: dict[str, int]
    failed: list[str]


def apply_retention(day: datetime.date, *, dry_run: bool = False) -> RetentionResult:
    """Apply every rule in force on `day`; a row that fails is named, the others still run."""
    result = RetentionResult(changed={}, due={}, failed=[])
    for rule in retention_rules():
        if not rule.in_force(day) or rule.action == "keep":
            continue
        applier = APPLIERS.get(rule.record)
        if applier is None:
            raise RuleFileError(
                RULES_DIR / "retention.yaml", rule.code, "record", "no app applies this record type"
            )
        ids = list(applier.due(rule, day))
        result.due[rule.code] = len(ids)
        result.changed[rule.code] = 0
        if dry_run:
            continue
        for pk in ids:
            try:
                if applier.apply(rule, pk):
                    result.changed[rule.code] += 1
            except Exception as error:
                result.failed.append(f"{rule.record}:{pk}: {error}")
    return result
