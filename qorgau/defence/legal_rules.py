"""The rules of the defence of minors, read from rules/<profile>.yaml.

A broken or incomplete file stops the start-up (DefenceConfig.ready) with a message naming
the file, the rule and the field.
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
REQUIRED = ("code", "citation", "confirmed", "policy", "valid_from", "text")
CODES = ("mandatory_defender", "state_paid_defence", "max_shift_hours", "response_targets")
LANGUAGES = ("kk", "ru", "en")


class RuleFileError(ImproperlyConfigured):
    def __init__(self, path: Path, rule: str, field_name: str, problem: str) -> None:
        super().__init__(f"{path.name}: rule {rule!r}, field {field_name!r}: {problem}")


class _TextDates(yaml.SafeLoader):
    """YAML without its date type: a wrong date stays text and is reported with its rule."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class DefenceRule:
    code: str
    citation: str
    confirmed: bool
    policy: bool
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
class DefenceRuleBook:
    profile: str
    rules: tuple[DefenceRule, ...]

    def get(self, code: str, on: datetime.date) -> DefenceRule:
        for rule in self.rules:
            if rule.code == code and rule.in_force(on):
                return rule
        raise ImproperlyConfigured(f"No defence rule {code!r} in force on {on}")

    def max_shift_hours(self, on: datetime.date) -> int:
        return int(self.get("max_shift_hours", on)["value"])

    def response_targets(self, on: datetime.date) -> list[int]:
        return [int(hours) for hours in self.get("response_targets", on)["hours"]]


def _date(path: Path, code: str, name: str, value: Any, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise RuleFileError(path, code, name, "is missing")
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise RuleFileError(path, code, name, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _positive(path: Path, code: str, name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise RuleFileError(path, code, name, "must be a positive whole number")


def _rule(path: Path, raw: Any, index: int) -> DefenceRule:
    if not isinstance(raw, dict):
        raise RuleFileError(path, f"rules[{index}]", "-", "each rule must be a mapping")
    code = str(raw.get("code") or f"rules[{index}]")
    for name in REQUIRED:
        if raw.get(name) in (None, ""):
            raise RuleFileError(path, code, name, "is missing")
    if code not in CODES:
        raise RuleFileError(path, code, "code", f"is not one of {', '.join(CODES)}")
    text = raw["text"]
    if not isinstance(text, dict):
        raise RuleFileError(path, code, "text", "must map kk, ru and en to their texts")
    for language in LANGUAGES:
        if not str(text.get(language) or "").strip():
            raise RuleFileError(path, code, f"text.{language}", "is missing")
    for name in ("confirmed", "policy"):
        if not isinstance(raw[name], bool):
            raise RuleFileError(path, code, name, "must be true or false")
    valid_from = _date(path, code, "valid_from", raw.get("valid_from"), required=True)
    valid_to = _date(path, code, "valid_to", raw.get("valid_to"), required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise RuleFileError(path, code, "valid_to", "is before valid_from")
    if code == "max_shift_hours":
        _positive(path, code, "value", raw.get("value"))
    if code == "response_targets":
        hours = raw.get("hours")
        if not isinstance(hours, list) or not hours:
            raise RuleFileError(path, code, "hours", "must be a list of hours")
        for value in hours:
            _positive(path, code, "hours", value)
    known = {*REQUIRED, "valid_to"}
    return DefenceRule(
        code=code,
        citation=str(raw["citation"]),
        confirmed=raw["confirmed"],
        policy=raw["policy"],
        valid_from=valid_from,
        valid_to=valid_to,
        text={language: str(text[language]) for language in LANGUAGES},
        attributes={k: v for k, v in raw.items() if k not in known},
    )


def load_rule_book(path: Path) -> DefenceRuleBook:
    try:
        # _TextDates is a SafeLoader: no arbitrary objects.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise RuleFileError(path, "-", "-", f"cannot be read: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), list):
        raise RuleFileError(path, "-", "rules", "must be a list of rules")
    rules = tuple(_rule(path, raw, i) for i, raw in enumerate(data["rules"]))
    for code in CODES:
        if not any(rule.code == code for rule in rules):
            raise RuleFileError(path, code, "code", "no rule with this code")
    return DefenceRuleBook(profile=str(data.get("profile", path.stem)), rules=rules)


@cache
def defence_rules() -> DefenceRuleBook:
    """The rules of the configured jurisdiction profile (QORGAU_JURISDICTION, default kz)."""
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load_rule_book(RULES_DIR / f"{profile}.yaml")
