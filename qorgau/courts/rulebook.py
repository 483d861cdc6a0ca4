"""Reference data and rules of the juvenile courts, read from rules/<profile>.yaml.

The entries have the shape of the procedure's rule book (citation, confirmed, dates in force,
kk/ru/en text), so the same strict reader checks them: a broken or incomplete file stops the
start-up naming the file, the rule and the field.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from qorgau.core.rulefiles import RuleFileError, boolean, read_yaml
from qorgau.proceedings.legal_rules import LegalRule, read_sections

RULES_DIR = Path(__file__).resolve().parent / "rules"
SECTIONS = ("articles", "penalties", "hearing_presence")
CONCERNS = ("minor", "parents")


@dataclass(frozen=True)
class CourtBook:
    profile: str
    rules: dict[str, tuple[LegalRule, ...]]

    def section(self, name: str, on: datetime.date | None = None) -> list[LegalRule]:
        return [rule for rule in self.rules[name] if on is None or rule.in_force(on)]

    def get(self, name: str, code: str, on: datetime.date | None = None) -> LegalRule | None:
        return next((rule for rule in self.section(name, on) if rule.code == code), None)

    def choices(self, name: str, on: datetime.date | None = None) -> list[tuple[str, str]]:
        return [(rule.code, rule.label) for rule in self.section(name, on)]

    def article(self, code: str, on: datetime.date | None = None) -> LegalRule | None:
        return self.get("articles", code, on)

    def penalty(self, code: str, on: datetime.date | None = None) -> LegalRule | None:
        return self.get("penalties", code, on)

    def presence_rule_ids(self, on: datetime.date) -> set[str]:
        """The ids of the safeguard rules a hearing on that day is judged by."""
        return {rule.code for rule in self.section("hearing_presence", on)}


def _check(path: Path, rules: dict[str, tuple[LegalRule, ...]]) -> None:
    for rule in rules["articles"]:
        if rule.attributes.get("concerns") not in CONCERNS:
            raise RuleFileError(path, rule.code, "concerns", f"must be one of {CONCERNS}")
    for rule in rules["penalties"]:
        boolean(path, rule.code, rule.attributes, "fine")


def load_court_book(path: Path) -> CourtBook:
    data = read_yaml(path)
    rules = read_sections(path, data, SECTIONS)
    _check(path, rules)
    return CourtBook(profile=str(data.get("profile", path.stem)), rules=rules)


@cache
def court_book() -> CourtBook:
    """The rules of the configured jurisdiction profile (QORGAU_JURISDICTION, default kz)."""
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load_court_book(RULES_DIR / f"{profile}.yaml")
