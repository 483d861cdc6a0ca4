"""Which interviews a portrait report needs, read from rules/portrait-<profile>.yaml.

A broken or incomplete file stops the start-up with a message naming the file, the rule and
the field: a requirement is never silently dropped.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from qorgau.core import rulefiles
from qorgau.core.rulefiles import LANGUAGES as LANGUAGES  # re-exported
from qorgau.core.rulefiles import Labelled, RuleFileError

RULES_DIR = Path(__file__).resolve().parent / "rules"
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


# The loader's own name for the error every rule file raises.
PortraitRuleError = RuleFileError


@dataclass(frozen=True)
class RequiredInterview(Labelled):
    code: str
    any_of: tuple[str, ...]
    citation: str
    confirmed: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    text: dict[str, str]

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


def _rule(path: Path, raw: Any, index: int) -> RequiredInterview:
    if not isinstance(raw, dict):
        raise PortraitRuleError(path, f"required_interviews[{index}]", "-", "must be a mapping")
    code = str(raw.get("code") or f"required_interviews[{index}]")
    rulefiles.check_required(path, code, raw, REQUIRED, empty=(None, "", []))
    unknown = set(raw) - {*REQUIRED, "valid_to"}
    if unknown:
        raise PortraitRuleError(path, code, sorted(unknown)[0], "is not a known field")
    any_of = raw["any_of"]
    if not isinstance(any_of, list) or not all(isinstance(c, str) for c in any_of):
        raise PortraitRuleError(path, code, "any_of", "must be a list of interview codes")
    wrong = sorted(set(any_of) - INTERVIEW_CODES)
    if wrong:
        raise PortraitRuleError(path, code, "any_of", f"unknown interview code {wrong[0]!r}")
    text = rulefiles.trilingual(path, code, raw)
    rulefiles.boolean(path, code, raw, "confirmed")
    valid_from, valid_to = rulefiles.validity(path, code, raw)
    return RequiredInterview(
        code=code,
        any_of=tuple(any_of),
        citation=str(raw["citation"]),
        confirmed=raw["confirmed"],
        valid_from=valid_from,
        valid_to=valid_to,
        text=text,
    )


def load_portrait_rules(path: Path) -> PortraitRules:
    data = rulefiles.read_yaml(path)
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
