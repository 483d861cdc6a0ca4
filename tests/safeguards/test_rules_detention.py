"""The safeguards of a detention: a defender, the legal representative and the psychologist
within hours of it, release or a court's sanction within the legal hours, adults kept apart.

Each rule fires a minute past its threshold and not at the threshold itself. The rules about
a step that never came do not fire on the events alone (an event is judged as the record
stands at its latest step) and fire in the sweep, which judges by the clock.
"""

import pytest

from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.services import requalify_charge
from qorgau.safeguards import services
from qorgau.safeguards.models import Status
from tests.proceedings import factories
from tests.proceedings.factories import article
from tests.safeguards.scenario import D, H, M, found, new_file, proving, the_one

BOUNDARY = [
    pytest.param(0 * M, False, id="at-the-limit"),
    pytest.param(M, True, id="a-minute-over"),
]

# The rules that wait for a person after the detention, and the step that shows the person.
WITHIN_HOURS = [
    ("defender_after_detention", K.DEFENDER_ARRIVED),
    ("representative_notified", K.REPRESENTATIVE_NOTIFIED),
    ("psychologist_after_detention", K.PSYCHOLOGIST_PRESENT),
]


@pytest.mark.parametrize(("rule_id", "kind"), WITHIN_HOURS)
@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_the_person_comes_three_hours_after_the_detention(file, rule_id, kind, late, fires):
    detention = file.record(K.DETENTION, at=file.offence + H)
    came = file.record(kind, at=detention.started_at + 3 * H + late)
    if not fires:
        assert found(rule_id) == []
        return
    violation = the_one(rule_id)
    assert violation.fact_key == f"detention:{detention.pk}"
    assert proving(violation) == [(K.DETENTION, detention.started_at), (kind, came.started_at)]
    assert violation.responsible == file.team.investigator
    assert violation.responsible_agency == file.team.investigator.agency
    assert violation.proceeding == file.case
    assert violation.accused == file.accused
    assert violation.severity == services.safeguard_book().get(rule_id).severity
    assert violation.status == Status.OPEN


@pytest.mark.parametrize(("rule_id", "kind"), WITHIN_HOURS)
@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_a_later_step_without_the_person_is_judged_at_its_own_time(
    file, rule_id, kind, late, fires
):
    detention = file.record(K.DETENTION, at=file.offence + H)
    file.record(K.DEFENDER_ASSIGNED, at=detention.started_at + 3 * H + late)
    assert len(found(rule_id)) == int(fires)


@pytest.mark.parametrize(("rule_id", "kind"), WITHIN_HOURS)
def test_nobody_came_is_not_found_on_the_detention_alone(file, rule_id, kind):
    # Nine days ago and nothing since: the step may simply not be typed in yet.
    file.record(K.DETENTION, at=file.offence + H)
    assert found(rule_id) == []


@pytest.mark.parametrize(("rule_id", "kind"), WITHIN_HOURS)
def test_the_sweep_finds_nobody_came_a_minute_after_the_limit(file, rule_id, kind):
    detention = file.record(K.DETENTION, at=file.offence + H)
    limit = detention.started_at + 3 * H
    services.sweep(now=limit)
    assert found(rule_id) == []
    services.sweep(now=limit + M)
    violation = the_one(rule_id)
    assert proving(violation) == [(K.DETENTION, detention.started_at)]
    assert violation.detected_at == limit + M
    assert violation.facts["detained"]


@pytest.mark.parametrize(("rule_id", "kind"), WITHIN_HOURS)
def test_the_sweep_finds_nothing_once_the_person_came_in_time(file, rule_id, kind):
    detention = file.record(K.DETENTION, at=file.offence + H)
    file.record(kind, at=detention.started_at + 3 * H)
    services.sweep(now=detention.started_at + 30 * D)
    assert found(rule_id) == []


# Detention without a court's sanction: 24 hours, 72 for an especially grave charge


@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_released_24_hours_after_the_detention(file, late, fires):
    detention = file.record(K.DETENTION, at=file.offence + H)
    release = file.record(K.RELEASE, at=detention.started_at + 24 * H + late)
    if not fires:
        assert found("detention_time_limit") == []
        return
    violation = the_one("detention_time_limit")
    assert violation.fact_key == f"detention:{detention.pk}"
    assert (violation.facts["held"], violation.facts["limit"]) == (24, 24)
    assert proving(violation) == [
        (K.DETENTION, detention.started_at),
        (K.RELEASE, release.started_at),
    ]


@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_a_courts_sanction_of_custody_ends_the_detention(file, late, fires):
    detention = file.record(K.DETENTION, at=file.offence + H)
    file.record(
        K.PREVENTIVE_MEASURE,
        at=detention.started_at + 24 * H + late,
        measure="custody",
        term_days=60,
        court_sanctioned=True,
    )
    assert len(found("detention_time_limit")) == int(fires)


def test_custody_without_a_courts_sanction_does_not_end_the_detention(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    file.record(
        K.PREVENTIVE_MEASURE, at=detention.started_at + 2 * H, measure="custody", term_days=60
    )
    services.sweep(now=detention.started_at + 24 * H + M)
    assert len(found("detention_time_limit")) == 1


def test_held_without_release_is_not_found_on_the_detention_alone(file):
    file.record(K.DETENTION, at=file.offence + H)
    assert found("detention_time_limit") == []


def test_the_sweep_finds_a_detention_a_minute_past_24_hours(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    services.sweep(now=detention.started_at + 24 * H)
    assert found("detention_time_limit") == []
    services.sweep(now=detention.started_at + 24 * H + M)
    violation = the_one("detention_time_limit")
    assert (violation.facts["held"], violation.facts["limit"]) == (24, 24)
    assert proving(violation) == [(K.DETENTION, detention.started_at)]


@pytest.fixture
def especially_grave(team, offence_at, offence_day):
    """A case of theft and murder (CC art. 99 part 1, especially grave) by another boy."""
    minor = factories.minor(team.investigator, offence_day, 16)
    return new_file(team, minor, offence_at, articles=("188/2", "99/1"))


@pytest.mark.parametrize(("late", "fires"), BOUNDARY)
def test_72_hours_when_the_gravest_charge_is_especially_grave(especially_grave, late, fires):
    detention = especially_grave.record(K.DETENTION, at=especially_grave.offence + H)
    especially_grave.record(K.RELEASE, at=detention.started_at + 72 * H + late)
    violations = found("detention_time_limit")
    assert len(violations) == int(fires)
    if fires:
        assert (violations[0].facts["held"], violations[0].facts["limit"]) == (72, 72)


def test_the_sweep_gives_an_especially_grave_charge_72_hours(especially_grave):
    detention = especially_grave.record(K.DETENTION, at=especially_grave.offence + H)
    services.sweep(now=detention.started_at + 72 * H)
    assert found("detention_time_limit") == []
    services.sweep(now=detention.started_at + 72 * H + M)
    assert len(found("detention_time_limit")) == 1


def test_a_charge_requalified_from_especially_grave_counts_24_hours(team, offence_at, offence_day):
    minor = factories.minor(team.investigator, offence_day, 16)
    requalified = new_file(team, minor, offence_at, articles=("99/1",))
    requalify_charge(
        actor=team.investigator,
        charge=requalified.accused.charges.get(),
        article=article("188/2"),
        reason="Өлім қасақана емес.",
    )
    detention = requalified.record(K.DETENTION, at=requalified.offence + H)
    requalified.record(K.RELEASE, at=detention.started_at + 24 * H + M)
    assert the_one("detention_time_limit").facts["limit"] == 24


# Held separately from adults


@pytest.mark.parametrize(("separately", "fires"), [(True, False), (False, True)])
def test_a_minor_held_together_with_adults(file, separately, fires):
    detention = file.record(K.DETENTION, held_separately=separately)
    violations = found("held_with_adults")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].fact_key == f"detention:{detention.pk}"
        assert proving(violations[0]) == [(K.DETENTION, detention.started_at)]
        assert violations[0].responsible == file.team.investigator
