"""The law of sentence execution by probation and of aftercare, read from rules/<profile>.yaml.

The entries have the shape of the procedure's rule book (citation, confirmed, dates in force,
kk/ru/en text), so the same strict reader checks them: a broken or incomplete file stops the
start-up naming the file, the rule and the field.
"""

import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from qorgau.core.rulefiles import NoRuleInForce, RuleFileError, read_yaml
from qorgau.proceedings.legal_rules import LegalRule, read_sections, rule_book

RULES_DIR = Path(__file__).resolve().parent / "rules"
SECTIONS = ("reporting", "supervised", "deferral_grounds", "release_bases", "aftercare")


@dataclass(frozen=True)
class ProbationBook:
    profile: str
    rules: dict[str, tuple[LegalRule, ...]]

    def get(self, section: str, code: str, on: datetime.date | None = None) -> LegalRule | None:
        for rule in self.rules[section]:
            if rule.code == code and (on is None or rule.in_force(on)):
                return rule
        return None

    def need(self, section: str, code: str, on: datetime.date) -> LegalRule:
        rule = self.get(section, code, on)
        if rule is None:
            raise NoRuleInForce(f"{section}.{code}", on)
        return rule

    def choices(self, section: str, on: datetime.date) -> list[tuple[str, str]]:
        return [(r.code, r.label) for r in self.rules[section] if r.in_force(on)]

    def report_rule(self, on: datetime.date) -> LegalRule:
        return self.need("reporting", "report_days", on)

    def follow_up_months(self, on: datetime.date) -> list[int]:
        return [int(m) for m in self.need("aftercare", "follow_up_months", on)["months"]]

    def reoffending_months(self, on: datetime.date) -> int:
        return int(self.need("aftercare", "reoffending_months", on)["months"])


def executed_by_probation(punishment: str, on: datetime.date) -> bool:
    """Whether the proceedings' rule file names the probation service as the executing body."""
    rule = rule_book().get("punishments", punishment, on)
    return rule is not None and rule.attributes.get("executed_by") == "probation"


def _check(path: Path, rules: dict[str, tuple[LegalRule, ...]]) -> None:
    report = [r for r in rules["reporting"] if r.code == "report_days"]
    if not report or not isinstance(report[0].attributes.get("days"), int):
        raise RuleFileError(path, "report_days", "days", "must be a whole number of days")
    for code in ("conditional", "deferred"):
        if not any(r.code == code for r in rules["supervised"]):
            raise RuleFileError(path, code, "code", "is missing")
    months = [r for r in rules["aftercare"] if r.code == "follow_up_months"]
    if not months or not isinstance(months[0].attributes.get("months"), list):
        raise RuleFileError(path, "follow_up_months", "months", "must be a list of months")
    window = [r for r in rules["aftercare"] if r.code == "reoffending_months"]
    if not window or not isinstance(window[0].attributes.get("months"), int):
        raise RuleFileError(path, "reoffending_months", "months", "must be a whole number")


def load_probation_book(path: Path) -> ProbationBook:
    data = read_yaml(path)
    rules = read_sections(path, data, SECTIONS)
    _check(path, rules)
    return ProbationBook(profile=str(data.get("profile", path.stem)), rules=rules)


@cache
def probation_book() -> ProbationBook:
    """The rules of the configured jurisdiction profile (QORGAU_JURISDICTION, default kz)."""
    profile = getattr(settings, "QORGAU_JURISDICTION", "kz")
    return load_probation_book(RULES_DIR / f"{profile}.yaml")
