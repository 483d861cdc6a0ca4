"""Deciding in time: a final decision within 6 months of the registration (GC 24) and within
90 days of the offence (the concept: a late reaction raises re-offending).

A final decision is the approved termination or the judgment. Both rules are about a step
that has not come: the sweep finds them by the clock, an event by its own time.
"""

import datetime

import pytest
from django.utils import timezone

from qorgau.proceedings.models import EventKind as K
from qorgau.safeguards import services
from tests.safeguards.scenario import D, H, M, found, local, months_after, proving, the_one

BOUNDARY = [
    pytest.param(0 * M, False, id="at-the-limit"),
    pytest.param(M, True, id="a-minute-over"),
]


def six_months_after_registration(file) -> datetime.datetime:
    """Midnight, Almaty time, six months after the day the case was registered."""
    return local(months_after(file.case.registered_on, 6))


def ninety_days_after_the_offence(file) -> datetime.datetime:
    return file.offence + 90 * D


LIMITS = [
    pytest.param("charge_decided", six_months_after_registration, id="charge_decided"),
    pytest.param("late_reaction", ninety_days_after_the_offence, id="late_reaction"),
]


def terminate(file, at):
    file.record(K.TERMINATION, at=at - H)
    return file.record(K.TERMINATION_APPROVED, at=at)


def judge(file, at):
    file.record(K.INDICTMENT, at=at - 3 * H)
    file.record(K.INDICTMENT_APPROVED, at=at - 2 * H)
    return file.record(K.JUDGMENT, at=at)


@pytest.mark.parametrize(("rule_id", "limit_of"), LIMITS)
@pytest.mark.parametrize("decide", [terminate, judge])
@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_the_final_decision_at_the_limit_or_a_minute_after(
    old_file, rule_id, limit_of, decide, late, fires
):
    old_file.record(K.DETENTION, at=old_file.offence + H)
    decision = decide(old_file, limit_of(old_file) + late)
    violations = found(rule_id)
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].fact_key == "decision"
        assert proving(violations[0]) == [(decision.kind, decision.started_at)]
        assert violations[0].responsible == old_file.team.investigator


@pytest.mark.parametrize(("rule_id", "limit_of"), LIMITS)
@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_a_later_step_without_a_decision_is_judged_at_its_own_time(
    old_file, rule_id, limit_of, late, fires
):
    old_file.record(K.DETENTION, at=old_file.offence + H)
    old_file.record(K.DEFENDER_ASSIGNED, at=limit_of(old_file) + late)
    assert len(found(rule_id)) == int(fires)


@pytest.mark.parametrize(("rule_id", "limit_of"), LIMITS)
def test_no_decision_is_not_found_on_the_events_alone(old_file, rule_id, limit_of):
    old_file.record(K.DETENTION, at=old_file.offence + H)  # 400 days ago, and nothing since
    assert found(rule_id) == []


@pytest.mark.parametrize(("rule_id", "limit_of"), LIMITS)
def test_the_sweep_finds_no_decision_a_minute_after_the_limit(old_file, rule_id, limit_of):
    old_file.record(K.DETENTION, at=old_file.offence + H)
    limit = limit_of(old_file)
    services.sweep(now=limit)
    assert found(rule_id) == []
    services.sweep(now=limit + M)
    violation = the_one(rule_id)
    assert violation.fact_key == "decision"
    assert proving(violation) == []
    assert violation.detected_at == limit + M


def test_the_six_months_run_from_midnight_of_the_registration_day(old_file):
    # The offence at 09:00 and the case registered that day: the months count from its start.
    assert timezone.localtime(old_file.offence).hour == 9
    assert old_file.case.registered_on == timezone.localdate(old_file.offence)
    old_file.record(K.DETENTION, at=old_file.offence + H)
    services.sweep(now=six_months_after_registration(old_file) + M)
    violation = the_one("charge_decided")
    assert violation.facts == {"registered": old_file.case.registered_on.isoformat()}
