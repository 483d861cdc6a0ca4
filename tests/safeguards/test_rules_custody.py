"""The safeguards of custody: only for grave and especially grave charges, never past its term,
at most six months before trial, reviewed at least every 14 days."""

import pytest
from django.utils import timezone

from qorgau.proceedings.models import EventKind as K
from qorgau.safeguards import services
from tests.proceedings import factories
from tests.safeguards.scenario import (
    D,
    H,
    M,
    first_of_a_telling_month,
    found,
    local,
    months_after,
    new_file,
    proving,
    the_one,
)

BOUNDARY = [
    pytest.param(0 * M, False, id="at-the-limit"),
    pytest.param(M, True, id="a-minute-over"),
]


def custody(file, at, term_days=60, **fields):
    return file.record(
        K.PREVENTIVE_MEASURE,
        at=at,
        measure="custody",
        term_days=term_days,
        court_sanctioned=True,
        **fields,
    )


# Custody only for grave and especially grave charges (CPC art. 541)


@pytest.mark.parametrize(
    ("articles", "fires"),
    [
        pytest.param(("188/2",), True, id="medium"),
        pytest.param(("188/3",), False, id="grave"),
        pytest.param(("99/1",), False, id="especially-grave"),
        pytest.param(("188/2", "188/3"), False, id="medium-and-grave"),
    ],
)
def test_custody_by_the_gravest_charge(team, offence_at, offence_day, articles, fires):
    minor = factories.minor(team.investigator, offence_day, 16)
    file = new_file(team, minor, offence_at, articles=articles)
    measure = custody(file, file.offence + H)
    violations = found("custody_gravity")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].fact_key == f"measure:{measure.pk}"
        assert proving(violations[0]) == [(K.PREVENTIVE_MEASURE, measure.started_at)]
        assert violations[0].responsible == team.investigator


def test_a_measure_other_than_custody_for_a_medium_charge(file):
    file.record(K.PREVENTIVE_MEASURE, measure="house_arrest", term_days=30)
    file.record(K.PREVENTIVE_MEASURE, measure="supervision")
    assert found("custody_gravity") == []


# Custody past its term (CPC art. 151)


@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_released_when_the_custody_term_ends(file, late, fires):
    measure = custody(file, file.offence + H, term_days=2)
    file.record(K.RELEASE, at=measure.started_at + 2 * D + late)
    violations = found("custody_term")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].fact_key == f"measure:{measure.pk}"
        assert violations[0].facts["days"] == 2
        assert proving(violations[0]) == [(K.PREVENTIVE_MEASURE, measure.started_at)]


@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_custody_extended_when_its_term_ends(file, late, fires):
    measure = custody(file, file.offence + H, term_days=2)
    custody(file, measure.started_at + 2 * D + late, term_days=30)
    services.sweep(now=measure.started_at + 20 * D)
    assert len(found("custody_term")) == int(fires)


def test_custody_past_its_term_is_not_found_on_the_measure_alone(file):
    custody(file, file.offence + H, term_days=2)  # ten days ago, and nothing since
    assert found("custody_term") == []


def test_the_sweep_finds_custody_a_minute_past_its_term(file):
    measure = custody(file, file.offence + H, term_days=2)
    services.sweep(now=measure.started_at + 2 * D)
    assert found("custody_term") == []
    services.sweep(now=measure.started_at + 2 * D + M)
    assert the_one("custody_term").fact_key == f"measure:{measure.pk}"


# At most six months of custody before trial (CPC art. 541 part 4)


@pytest.fixture
def night_custody(old_file):
    """Custody chosen at 02:00 on the first of a month; six months later, 02:00 on the first."""
    first = first_of_a_telling_month(timezone.localdate(old_file.offence))
    measure = custody(old_file, local(first, 2), term_days=300)
    old_file.limit = local(months_after(first, 6), 2)
    old_file.measure = measure
    return old_file


@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_released_six_months_after_custody_was_chosen(night_custody, late, fires):
    file = night_custody
    file.record(K.RELEASE, at=file.limit + late)
    violations = found("custody_max_pretrial")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].fact_key == f"custody:{file.measure.pk}"
        assert proving(violations[0]) == [(K.PREVENTIVE_MEASURE, file.measure.started_at)]


@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_sent_to_court_six_months_after_custody_was_chosen(night_custody, late, fires):
    file = night_custody
    file.record(K.INDICTMENT, at=file.limit - H)
    file.record(K.INDICTMENT_APPROVED, at=file.limit + late)
    assert len(found("custody_max_pretrial")) == int(fires)


def test_six_months_of_custody_are_not_found_on_the_measure_alone(night_custody):
    assert found("custody_max_pretrial") == []


def test_the_sweep_finds_custody_a_minute_past_six_months(night_custody):
    file = night_custody
    services.sweep(now=file.limit)
    assert found("custody_max_pretrial") == []
    services.sweep(now=file.limit + M)
    assert the_one("custody_max_pretrial").fact_key == f"custody:{file.measure.pk}"


def test_an_extension_does_not_restart_the_six_months(night_custody):
    file = night_custody
    custody(file, file.measure.started_at + 60 * D, term_days=300)
    services.sweep(now=file.limit + M)
    assert the_one("custody_max_pretrial").fact_key == f"custody:{file.measure.pk}"


# Custody reviewed at least every 14 days (GC 24: preferably every two weeks)


@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_a_later_step_14_days_after_custody_without_a_review(old_file, late, fires):
    measure = custody(old_file, old_file.offence + H)
    old_file.record(K.DEFENDER_ASSIGNED, at=measure.started_at + 14 * D + late)
    violations = found("custody_review")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].fact_key == f"measure:{measure.pk}"
        assert violations[0].facts["last"]


def test_custody_without_a_review_is_not_found_on_the_measure_alone(old_file):
    custody(old_file, old_file.offence + H)  # 400 days ago, and nothing since
    assert found("custody_review") == []


def test_the_sweep_finds_custody_not_reviewed_for_a_minute_over_14_days(file):
    measure = custody(file, file.offence + H)
    services.sweep(now=measure.started_at + 14 * D)
    assert found("custody_review") == []
    services.sweep(now=measure.started_at + 14 * D + M)
    assert the_one("custody_review").fact_key == f"measure:{measure.pk}"


def test_a_review_starts_the_14_days_again(file):
    first = custody(file, file.offence + H)
    review = custody(file, first.started_at + 5 * D)
    services.sweep(now=first.started_at + 14 * D + M)
    assert found("custody_review") == []
    services.sweep(now=review.started_at + 14 * D + M)
    assert the_one("custody_review").fact_key == f"measure:{review.pk}"


def test_custody_that_ended_needs_no_review(file):
    measure = custody(file, file.offence + H)
    file.record(K.RELEASE, at=measure.started_at + 3 * D)
    services.sweep(now=measure.started_at + 60 * D)
    assert found("custody_review") == []
