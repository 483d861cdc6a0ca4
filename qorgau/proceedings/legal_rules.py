"""The rules the law fixes for proceedings against minors, read from rules/<profile>.yaml.

A broken or incomplete file stops the start-up with a message naming the file, the rule
and the field; no rule is ever silently dropped.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

RULES_DIR = Path(__file__).resolve().parent / "rules"
SECTIONS = ("minor_age", "preventive_measures", "termination_grounds", "punishments")
REQUIRED = ("code", "citation", "confirmed", "valid_from", "text")
LANGUAGES = ("kk", "ru", "en")


class _TextDates(yaml.SafeLoader):
    """YAML without its date type: a wrong date stays text and is reported with its rule."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class RuleFileError(ImproperlyConfigured):
    def __init__(self, path: Path, rule: str, field_name: str, problem: str) -> None:
        super().__init__(f"{path.name}: rule {rule!r}, field {field_name!r}: {problem}")


@dataclass(frozen=True)
class LegalRule:
    section: str
    code: str
    citation: str
    confirmed: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    text: dict[str, str]
    attributes: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.text.get((get_language() or "kk")[:2], self.text["kk"])

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def __getitem__(self, name: str) -> Any:
        return self.attributes[name]


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
            raise ImproperlyConfigured(f"No minor_age rule in force on {on}")
        return int(rule["value"])


def _date(path: Path, code: str, name: str, value: Any, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise RuleFileError(path, code, name, "is missing")
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise RuleFileError(path, code, name, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _rule(path: Path, section: str, raw: Any, index: int) -> LegalRule:
    if not isinstance(raw, dict):
        raise RuleFileError(path, f"{section}[{index}]", "-", "each rule must be a mapping")
    code = str(raw.get("code") or f"{section}[{index}]")
    for name in REQUIRED:
        if raw.get(name) in (None, ""):
            raise RuleFileError(path, code, name, "is missing")
    text = raw["text"]
    if not isinstance(text, dict):
        raise RuleFileError(path, code, "text", "must map kk, ru and en to their texts")
    for language in LANGUAGES:
        if not str(text.get(language) or "").strip():
            raise RuleFileError(path, code, f"text.{language}", "is missing")
    if not isinstance(raw["confirmed"], bool):
        raise RuleFileError(path, code, "confirmed", "must be true or false")
    valid_from = _date(path, code, "valid_from", raw.get("valid_from"), required=True)
    valid_to = _date(path, code, "valid_to", raw.get("valid_to"), required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise RuleFileError(path, code, "valid_to", "is before valid_from")
    known = {*REQUIRED, "valid_to"}
    return LegalRule(
        section=section,
        code=code,
        citation=str(raw["citation"]),
        confirmed=raw["confirmed"],
        valid_from=valid_from,
        valid_to=valid_to,
        text={language: str(text[language]) for language in LANGUAGES},
        attributes={k: v for k, v in raw.items() if k not in known},
    )


def load_rule_book(path: Path) -> RuleBook:
    try:
        # _TextDates is a SafeLoader: no arbitrary objects.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise RuleFileError(path, "-", "-", f"cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise RuleFileError(path, "-", "-", "must be a mapping of sections")
    rules: dict[str, tuple[LegalRule, ...]] = {}
    for section in SECTIONS:
        entries = data.get(section)
        if not isinstance(entries, list) or not entries:
            raise RuleFileError(path, section, section, "section is missing or empty")
        rules[section] = tuple(_rule(path, section, raw, i) for i, raw in enumerate(entries))
    if "value" not in rules["minor_age"][0].attributes:
        raise RuleFileError(path, "minor_age", "value", "is missing")
    return RuleBook(profile=str(data.get("profile", path.stem)), rules=rules)


@cache
def rule_book() -> RuleBook:
    """The rules of the configured jurisdiction profile (QORGAU_JURISDICTION, default kz)."""
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load_rule_book(RULES_DIR / f"{profile}.yaml")
