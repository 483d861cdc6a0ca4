"""The safeguard rules of the jurisdiction profile, read from rules/<profile>.yaml.

A broken or incomplete file stops the start-up with a message naming the file, the rule and
the field: a rule is never silently disabled.
"""

import datetime
import string
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from qorgau.core import citations, rulefiles
from qorgau.core.citations import Citation
from qorgau.core.rulefiles import LANGUAGES as LANGUAGES  # re-exported
from qorgau.core.rulefiles import InForce, RuleFileError, in_language

RULES_DIR = Path(__file__).resolve().parent / "rules"
SEVERITIES = ("high", "medium", "low")
REQUIRED = (
    "id",
    "check",
    "severity",
    "citation",
    "confirmed",
    "policy",
    "valid_from",
    "title",
    "message",
)


@dataclass(frozen=True)
class SafeguardRule(InForce):
    id: str
    check: str
    severity: str
    thresholds: dict[str, Any]
    cite: Citation
    standard: str
    confirmed: bool
    policy: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    title: dict[str, str]
    message: dict[str, str]

    def text(self, which: dict[str, str]) -> str:
        return in_language(which)

    @property
    def label(self) -> str:
        return self.text(self.title)

    @property
    def citation(self) -> str:
        """The legal basis in the active language (ҚР ҚПК … / УПК РК … / CPC RK …)."""
        return self.cite.text

    def describe(self, facts: dict[str, Any]) -> str:
        """The message in the active language with the facts of one violation filled in.

        Facts are stored language-free (ISO times, codes) and put in words here; a fact an
        older violation lacks reads as a dash rather than breaking the page.
        """
        values = {**self.thresholds, **{name: _in_words(name, v) for name, v in facts.items()}}
        return self.text(self.message).format_map(_Missing(values))

    def __getitem__(self, name: str) -> Any:
        return self.thresholds[name]


TIME_FACTS = {"start", "detained", "ends", "last", "offence", "arrived"}
DATE_FACTS = {"day", "registered"}


class _Missing(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "—"


def _in_words(name: str, value: Any) -> Any:
    from django.utils import formats, timezone

    from qorgau.accounts.models import Role
    from qorgau.core.models import Gravity

    try:
        if name in TIME_FACTS:
            moment = timezone.localtime(datetime.datetime.fromisoformat(value))
            return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        if name in DATE_FACTS:
            return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")
        if name == "gravity":
            return str(Gravity(value).label)
        if name == "role":
            return str(Role(value).label)
    except (TypeError, ValueError):
        pass  # facts written before they were stored as codes: shown as they are
    return value


@dataclass(frozen=True)
class SafeguardBook:
    profile: str
    rules: tuple[SafeguardRule, ...]

    def get(self, rule_id: str) -> SafeguardRule | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def choices(self) -> list[tuple[str, str]]:
        return [(rule.id, rule.label) for rule in self.rules]


def _texts(path: Path, rule: str, raw: Any, name: str, allowed: set[str]) -> dict[str, str]:
    texts = {}
    for language, text in rulefiles.trilingual(path, rule, raw, name).items():
        text = text.strip()
        used = {field for _, field, _, _ in string.Formatter().parse(text) if field}
        unknown = used - allowed
        if unknown:
            raise RuleFileError(
                path, rule, f"{name}.{language}", f"uses unknown placeholders {sorted(unknown)}"
            )
        texts[language] = text
    return texts


def _rule(
    path: Path, raw: Any, index: int, known_checks: dict[str, frozenset[str]]
) -> SafeguardRule:
    if not isinstance(raw, dict):
        raise RuleFileError(path, f"rules[{index}]", "-", "each rule must be a mapping")
    rule_id = str(raw.get("id") or f"rules[{index}]")
    rulefiles.check_required(path, rule_id, raw, REQUIRED)
    check = str(raw["check"])
    if check not in known_checks:
        raise RuleFileError(path, rule_id, "check", f"{check!r} is not a known check")
    if raw["severity"] not in SEVERITIES:
        raise RuleFileError(path, rule_id, "severity", f"must be one of {', '.join(SEVERITIES)}")
    rulefiles.boolean(path, rule_id, raw, "confirmed", "policy")
    thresholds = raw.get("thresholds") or {}
    if not isinstance(thresholds, dict):
        raise RuleFileError(path, rule_id, "thresholds", "must be a mapping")
    for name, value in thresholds.items():
        if not isinstance(value, int | list) or isinstance(value, bool):
            raise RuleFileError(path, rule_id, f"thresholds.{name}", "must be a number or a list")
    needed = CHECK_THRESHOLDS.get(check, frozenset())
    missing = needed - set(thresholds)
    if missing:
        raise RuleFileError(path, rule_id, f"thresholds.{sorted(missing)[0]}", "is missing")
    valid_from, valid_to = rulefiles.validity(path, rule_id, raw)
    placeholders = set(thresholds) | known_checks[check]
    return SafeguardRule(
        id=rule_id,
        check=check,
        severity=raw["severity"],
        thresholds=thresholds,
        cite=citations.read(path, rule_id, raw),
        standard=str(raw.get("standard") or ""),
        confirmed=raw["confirmed"],
        policy=raw["policy"],
        valid_from=valid_from,
        valid_to=valid_to,
        title=_texts(path, rule_id, raw, "title", set()),
        message=_texts(path, rule_id, raw, "message", placeholders),
    )


# The thresholds each check reads; a rule of that check without one is refused at start-up.
CHECK_THRESHOLDS: dict[str, frozenset[str]] = {
    "defender_arrives_after_detention": frozenset({"hours"}),
    "representative_notified_after_detention": frozenset({"hours"}),
    "psychologist_arrives_after_detention": frozenset({"hours"}),
    "pedagogue_present_at_interrogation": frozenset({"age_under"}),
    "interrogation_continuous_length": frozenset({"minutes"}),
    "interrogation_daily_length": frozenset({"minutes"}),
    "detention_within_limit": frozenset({"hours", "hours_especially_grave"}),
    "custody_only_for_grave": frozenset({"allowed"}),
    "custody_pretrial_maximum": frozenset({"months"}),
    "custody_reviewed": frozenset({"days"}),
    "decided_within_months": frozenset({"months"}),
    "offence_to_decision": frozenset({"days"}),
    "interrogation_at_night": frozenset({"night_from", "night_until"}),
    "representative_notified_after_custody": frozenset({"hours"}),
}


def load_safeguards(path: Path) -> SafeguardBook:
    from qorgau.safeguards.checks import CHECKS

    data = rulefiles.read_yaml(path)
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list) or not data["rules"]:
        raise RuleFileError(path, "-", "rules", "the file must hold a non-empty list of rules")
    known = {name: check.facts for name, check in CHECKS.items()}
    rules = tuple(_rule(path, raw, i, known) for i, raw in enumerate(data["rules"]))
    ids = [rule.id for rule in rules]
    duplicate = next((rule_id for rule_id in ids if ids.count(rule_id) > 1), None)
    if duplicate:
        raise RuleFileError(path, duplicate, "id", "is used twice")
    return SafeguardBook(profile=str(data.get("profile", path.stem)), rules=rules)


@cache
def safeguard_book() -> SafeguardBook:
    """The safeguards of the configured jurisdiction profile (QORGAU_JURISDICTION, default kz)."""
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load_safeguards(RULES_DIR / f"{profile}.yaml")
