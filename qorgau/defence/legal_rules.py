"""The rules of the defence of minors, read from rules/<profile>.yaml.

A broken or incomplete file stops the start-up (DefenceConfig.ready) with a message naming
the file, the rule and the field.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

from qorgau.core import rulefiles
from qorgau.core.rulefiles import LANGUAGES as LANGUAGES  # re-exported
from qorgau.core.rulefiles import Labelled, NoRuleInForce, RuleFileError

RULES_DIR = Path(__file__).resolve().parent / "rules"
REQUIRED = ("code", "citation", "confirmed", "policy", "valid_from", "text")
CODES = ("mandatory_defender", "state_paid_defence", "max_shift_hours", "response_targets")


@dataclass(frozen=True)
class DefenceRule(Labelled):
    code: str
    citation: str
    confirmed: bool
    policy: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    text: dict[str, str]
    attributes: dict[str, Any] = field(default_factory=dict)

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
        raise NoRuleInForce(code, on)

    def max_shift_hours(self, on: datetime.date) -> int:
        return int(self.get("max_shift_hours", on)["value"])

    def response_targets(self, on: datetime.date) -> list[int]:
        return [int(hours) for hours in self.get("response_targets", on)["hours"]]


def _positive(path: Path, code: str, name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise RuleFileError(path, code, name, "must be a positive whole number")


def _rule(path: Path, raw: Any, index: int) -> DefenceRule:
    if not isinstance(raw, dict):
        raise RuleFileError(path, f"rules[{index}]", "-", "each rule must be a mapping")
    code = str(raw.get("code") or f"rules[{index}]")
    rulefiles.check_required(path, code, raw, REQUIRED)
    if code not in CODES:
        raise RuleFileError(path, code, "code", f"is not one of {', '.join(CODES)}")
    text = rulefiles.trilingual(path, code, raw)
    rulefiles.boolean(path, code, raw, "confirmed", "policy")
    valid_from, valid_to = rulefiles.validity(path, code, raw)
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
        text=text,
        attributes={k: v for k, v in raw.items() if k not in known},
    )


def load_rule_book(path: Path) -> DefenceRuleBook:
    data = rulefiles.read_yaml(path)
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
