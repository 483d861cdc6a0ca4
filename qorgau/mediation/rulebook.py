"""The law of mediation in criminal cases of minors, read from rules/<profile>.yaml.

The entries have the shape of the procedure's rule book (citation, confirmed, dates in force,
kk/ru/en text), so the same strict reader checks them: a broken or incomplete file stops the
start-up naming the file, the rule and the field.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from qorgau.core.models import Gravity
from qorgau.core.rulefiles import LANGUAGES, RuleFileError, boolean, read_yaml
from qorgau.proceedings.legal_rules import LegalRule, read_sections

RULES_DIR = Path(__file__).resolve().parent / "rules"
SECTIONS = ("gravities", "principles", "outcome")


@dataclass(frozen=True)
class MediationBook:
    profile: str
    rules: dict[str, tuple[LegalRule, ...]]

    def get(self, section: str, code: str, on: datetime.date | None = None) -> LegalRule | None:
        for rule in self.rules[section]:
            if rule.code == code and (on is None or rule.in_force(on)):
                return rule
        return None

    def gravity(self, gravity: str, on: datetime.date) -> LegalRule | None:
        return self.get("gravities", gravity, on)

    def principle(self, code: str) -> LegalRule:
        rule = self.get("principles", code)
        assert rule is not None  # checked when the file is read
        return rule

    @property
    def termination_ground(self) -> str:
        rule = self.get("outcome", "termination_ground")
        assert rule is not None
        return str(rule["value"])


def condition_text(rule: LegalRule) -> str:
    """What the referrer confirms for this gravity, in the active language ("" if nothing)."""
    texts = rule.attributes.get("condition") or {}
    return str(texts.get((get_language() or "kk")[:2]) or texts.get("kk") or "")


def _check(path: Path, rules: dict[str, tuple[LegalRule, ...]]) -> None:
    codes = {rule.code for rule in rules["gravities"]}
    missing = set(Gravity.values) - codes
    if missing:
        raise RuleFileError(path, "gravities", "code", f"no rule for {sorted(missing)}")
    for rule in rules["gravities"]:
        boolean(path, rule.code, rule.attributes, "admitted")
        condition = rule.attributes.get("condition")
        if condition is not None and (
            not isinstance(condition, dict)
            or any(not str(condition.get(lang) or "").strip() for lang in LANGUAGES)
        ):
            raise RuleFileError(path, rule.code, "condition", "must map kk, ru and en to texts")
    for code in ("voluntary", "no_worse_outcome"):
        if not any(rule.code == code for rule in rules["principles"]):
            raise RuleFileError(path, code, "code", "is missing")
    outcome = [rule for rule in rules["outcome"] if rule.code == "termination_ground"]
    if not outcome or not outcome[0].attributes.get("value"):
        raise RuleFileError(path, "termination_ground", "value", "is missing")


def load_mediation_book(path: Path) -> MediationBook:
    data = read_yaml(path)
    rules = read_sections(path, data, SECTIONS)
    _check(path, rules)
    return MediationBook(profile=str(data.get("profile", path.stem)), rules=rules)


@cache
def mediation_book() -> MediationBook:
    """The rules of the configured jurisdiction profile (QORGAU_JURISDICTION, default kz)."""
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load_mediation_book(RULES_DIR / f"{profile}.yaml")
