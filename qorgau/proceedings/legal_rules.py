"""The rules the law fixes for proceedings against minors, read from rules/<profile>.yaml.

A broken or incomplete file stops the start-up with a message naming the file, the rule
and the field; no rule is ever silently dropped.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from qorgau.core import citations, rulefiles
from qorgau.core.citations import Citation
from qorgau.core.rulefiles import LANGUAGES as LANGUAGES  # re-exported
from qorgau.core.rulefiles import Labelled, NoRuleInForce, RuleFileError

RULES_DIR = Path(__file__).resolve().parent / "rules"
SECTIONS = ("minor_age", "preventive_measures", "termination_grounds", "punishments")
REQUIRED = ("code", "citation", "confirmed", "valid_from", "text")


@dataclass(frozen=True)
class LegalRule(Labelled):
    section: str
    code: str
    cite: Citation
    confirmed: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    text: dict[str, str]
    attributes: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.attributes[name]

    @property
    def citation(self) -> str:
        """The legal basis in the active language (ҚР ҚПК … / УПК РК … / CPC RK …)."""
        return self.cite.text


@dataclass(frozen=True)
class RuleBook:
    profile: str
    rules: dict[str, tuple[LegalRule, ...]]

    def section(self, name: str, on: datetime.date | None = None) -> list[LegalRule]:
        return [r for r in self.rules[name] if on is None or r.in_force(on)]

    def get(self, name: str, code: str, on: datetime.date | None = None) -> LegalRule | None:
        for rule in self.section(name, on):
            if rule.code == code:
                return rule
        return None

    def codes(self, name: str) -> list[str]:
        return list(dict.fromkeys(rule.code for rule in self.rules[name]))

    def choices(self, name: str) -> list[tuple[str, str]]:
        return [(rule.code, rule.label) for rule in self.rules[name]]

    def minor_age(self, on: datetime.date) -> int:
        rule = self.get("minor_age", "minor_age", on)
        if rule is None:
            raise NoRuleInForce("minor_age", on)
        return int(rule["value"])


def _rule(path: Path, section: str, raw: Any, index: int, strict: bool) -> LegalRule:
    if not isinstance(raw, dict):
        raise RuleFileError(path, f"{section}[{index}]", "-", "each rule must be a mapping")
    code = str(raw.get("code") or f"{section}[{index}]")
    rulefiles.check_required(path, code, raw, REQUIRED)
    text = rulefiles.trilingual(path, code, raw)
    rulefiles.boolean(path, code, raw, "confirmed")
    valid_from, valid_to = rulefiles.validity(path, code, raw)
    known = {*REQUIRED, "valid_to"}
    return LegalRule(
        section=section,
        code=code,
        cite=citations.read(path, code, raw, strict=strict),
        confirmed=raw["confirmed"],
        valid_from=valid_from,
        valid_to=valid_to,
        text=text,
        attributes={k: v for k, v in raw.items() if k not in known},
    )


def read_sections(
    path: Path, data: Any, sections: tuple[str, ...], *, strict_citations: bool = False
) -> dict[str, tuple[LegalRule, ...]]:
    """The rules of each named section of a file of this shape (also used by mediation).

    With strict citations every citation must be code articles (or given in kk/ru/en), so
    that it reads in the reader's language; otherwise other text is kept as written.
    """
    if not isinstance(data, dict):
        raise RuleFileError(path, "-", "-", "must be a mapping of sections")
    rules: dict[str, tuple[LegalRule, ...]] = {}
    for section in sections:
        entries = data.get(section)
        if not isinstance(entries, list) or not entries:
            raise RuleFileError(path, section, section, "section is missing or empty")
        rules[section] = tuple(
            _rule(path, section, raw, i, strict_citations) for i, raw in enumerate(entries)
        )
    return rules


def load_rule_book(path: Path) -> RuleBook:
    data = rulefiles.read_yaml(path)
    rules = read_sections(path, data, SECTIONS, strict_citations=True)
    if "value" not in rules["minor_age"][0].attributes:
        raise RuleFileError(path, "minor_age", "value", "is missing")
    return RuleBook(profile=str(data.get("profile", path.stem)), rules=rules)


@cache
def rule_book() -> RuleBook:
    """The rules of the configured jurisdiction profile (QORGAU_JURISDICTION, default kz)."""
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load_rule_book(RULES_DIR / f"{profile}.yaml")
