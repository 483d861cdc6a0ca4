"""Which interviews a portrait report needs, read from rules/portrait-<profile>.yaml.

A broken or incomplete file stops the start-up with a message naming the file, the rule and
the field: a requirement is never silently dropped.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language

RULES_DIR = Path(__file__).resolve().parent / "rules"
LANGUAGES = ("kk", "ru", "en")
REQUIRED = ("code", "any_of", "citation", "confirmed", "valid_from", "text")
# The interview codes of models.InterviewWith; kept here so the loader needs no models.
INTERVIEW_CODES = {
    "minor",
    "mother",
    "father",
    "legal_representative",
    "teacher",
    "close_person",
}


class PortraitRuleError(ImproperlyConfigured):
    def __init__(self, path: Path, rule: str, field: str, problem: str) -> None:
        super().__init__(f"{path.name}: rule {rule!r}, field {field!r}: {problem}")


class _TextDates(yaml.SafeLoader):
    """YAML without its date type: a wrong date stays text and is reported with its rule."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class RequiredInterview:
    code: str
    any_of: tuple[str, ...]
    citation: str
    confirmed: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    text: dict[str, str]

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def label(self) -> str:
        return self.text.get((get_language() or "kk")[:2], self.text["kk"])

    def met_by(self, held: set[str]) -> bool:
        return bool(held & set(self.any_of))


@dataclass(frozen=True)
class PortraitRules:
    profile: str
    required_interviews: tuple[RequiredInterview, ...]

    def required_on(self, day: datetime.date) -> list[RequiredInterview]:
        return [rule for rule in self.required_interviews if rule.in_force(day)]

    def missing(self, held: set[str], day: datetime.date) -> list[RequiredInterview]:
        """The requirements in force on the day that the interviews held do not meet."""
        return [rule for rule in self.required_on(day) if not rule.met_by(held)]


def _date(path: Path, code: str, name: str, value: Any, required: bool) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise PortraitRuleError(path, code, name, "is missing")
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise PortraitRuleError(path, code, name, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _rule(path: Path, raw: Any, index: int) -> RequiredInterview:
    if not isinstance(raw, dict):
        raise PortraitRuleError(path, f"required_interviews[{index}]", "-", "must be a mapping")
    code = str(raw.get("code") or f"required_interviews[{index}]")
    for name in REQUIRED:
        if raw.get(name) in (None, "", []):
            raise PortraitRuleError(path, code, name, "is missing")
    unknown = set(raw) - {*REQUIRED, "valid_to"}
    if unknown:
        raise PortraitRuleError(path, code, sorted(unknown)[0], "is not a known field")
    any_of = raw["any_of"]
    if not isinstance(any_of, list) or not all(isinstance(c, str) for c in any_of):
        raise PortraitRuleError(path, code, "any_of", "must be a list of interview codes")
    wrong = sorted(set(any_of) - INTERVIEW_CODES)
    if wrong:
        raise PortraitRuleError(path, code, "any_of", f"unknown interview code {wrong[0]!r}")
    text = raw["text"]
    if not isinstance(text, dict):
        raise PortraitRuleError(path, code, "text", "must map kk, ru and en to their texts")
    for language in LANGUAGES:
        if not str(text.get(language) or "").strip():
            raise PortraitRuleError(path, code, f"text.{language}", "is missing")
    if not isinstance(raw["confirmed"], bool):
        raise PortraitRuleError(path, code, "confirmed", "must be true or false")
    valid_from = _date(path, code, "valid_from", raw["valid_from"], required=True)
    valid_to = _date(path, code, "valid_to", raw.get("valid_to"), required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise PortraitRuleError(path, code, "valid_to", "is before valid_from")
    return RequiredInterview(
        code=code,
        any_of=tuple(any_of),
        citation=str(raw["citation"]),
        confirmed=raw["confirmed"],
        valid_from=valid_from,
        valid_to=valid_to,
        text={language: str(text[language]) for language in LANGUAGES},
    )


def load_portrait_rules(path: Path) -> PortraitRules:
    try:
        # _TextDates is a SafeLoader: no arbitrary objects.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise PortraitRuleError(path, "-", "-", f"cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise PortraitRuleError(path, "-", "-", "must be a mapping of sections")
    entries = data.get("required_interviews")
    if not isinstance(entries, list) or not entries:
        raise PortraitRuleError(path, "required_interviews", "-", "section is missing or empty")
    rules = tuple(_rule(path, raw, i) for i, raw in enumerate(entries))
    codes = [rule.code for rule in rules]
    if len(set(codes)) != len(codes):
        raise PortraitRuleError(path, "required_interviews", "code", "codes must be unique")
    return PortraitRules(profile=str(data.get("profile", path.stem)), required_interviews=rules)


@cache
def portrait_rules() -> PortraitRules:
    """The rules of the configured jurisdiction profile (QORGAU_JURISDICTION, default kz)."""
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load_portrait_rules(RULES_DIR / f"portrait-{profile}.yaml")
