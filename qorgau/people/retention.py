"""The people app's part in retention: children's records (with their relatives) are anonymised."""

import datetime

from qorgau.core.retention import Applier, RetentionRule, adulthood_cutoff, register
from qorgau.people import services


def _due(rule: RetentionRule, day: datetime.date) -> list[int]:
    return services.juveniles_due_for_anonymising(adulthood_cutoff(rule, day))


def _apply(rule: RetentionRule, pk: int) -> bool:
    return services.anonymise_juvenile(juvenile_id=pk, rule_code=rule.code)


def register_retention() -> None:
    register("people.juvenile", Applier(due=_due, apply=_apply))
