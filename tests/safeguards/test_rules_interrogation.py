"""The safeguards of an interrogation: a defender takes part, a pedagogue or psychologist for a
minor under 16, no more than 120 minutes without a break and 240 minutes a day."""

import pytest

from qorgau.proceedings import services as proceedings
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole
from tests.proceedings import factories
from tests.proceedings.factories import born_years_before
from tests.safeguards.scenario import D, M, found, local, new_file, proving, the_one


def interrogate(file, start, minutes, **fields):
    return file.record(K.INTERROGATION, at=start, ended_at=start + minutes * M, **fields)


# A defender takes part


def test_an_interrogation_with_the_defender_present(file, offence_day):
    interrogate(file, local(offence_day + D, 10), 60, attendees=[file.defender])
    assert found("defender_at_interrogation") == []


def test_an_interrogation_without_a_defender(file, offence_day):
    interrogation = interrogate(file, local(offence_day + D, 10), 60)
    violation = the_one("defender_at_interrogation")
    assert violation.fact_key == f"interrogation:{interrogation.pk}"
    assert proving(violation) == [(K.INTERROGATION, interrogation.started_at)]
    assert violation.responsible == file.team.investigator
    assert violation.facts["start"]


@pytest.mark.parametrize(("late", "fires"), [(0 * M, False), (M, True)])
def test_the_defender_arrives_at_the_start_or_a_minute_after(file, offence_day, late, fires):
    start = local(offence_day + D, 10)
    file.record(K.DEFENDER_ARRIVED, at=start + late)
    interrogate(file, start, 60)
    assert len(found("defender_at_interrogation")) == int(fires)


def test_each_interrogation_without_a_defender_is_its_own_violation(file, offence_day):
    first = interrogate(file, local(offence_day + D, 10), 30)
    second = interrogate(file, local(offence_day + D, 14), 30)
    interrogate(file, local(offence_day + 2 * D, 10), 30, attendees=[file.defender])
    assert [v.fact_key for v in found("defender_at_interrogation")] == [
        f"interrogation:{first.pk}",
        f"interrogation:{second.pk}",
    ]


# A pedagogue or psychologist for a minor under 16 (CPC art. 538)


@pytest.fixture
def turning_sixteen(team, offence_at, offence_day):
    """A boy of fifteen at the offence who turns sixteen three days after it."""
    birthday = offence_day + 3 * D
    minor = factories.minor(
        team.investigator, birthday, 16, birth_date=born_years_before(birthday, 16)
    )
    file = new_file(team, minor, offence_at)
    file.birthday = birthday
    return file


@pytest.mark.parametrize(
    ("days_before", "age", "fires"),
    [pytest.param(1, 15, True, id="the-day-before"), pytest.param(0, 16, False, id="on-it")],
)
def test_interrogated_alone_the_day_before_or_on_the_sixteenth_birthday(
    turning_sixteen, days_before, age, fires
):
    file = turning_sixteen
    start = local(file.birthday - days_before * D, 10)
    interrogation = interrogate(file, start, 60, attendees=[file.defender, file.representative])
    violations = found("pedagogue_at_interrogation")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].facts["age"] == age
        assert violations[0].fact_key == f"interrogation:{interrogation.pk}"
        assert violations[0].responsible == file.team.investigator


@pytest.mark.parametrize("role", ["pedagogue", "social_psychologist"])
def test_a_pedagogue_or_the_social_psychologist_attends(turning_sixteen, role):
    file = turning_sixteen
    if role == "pedagogue":
        present = proceedings.add_participant(
            actor=file.team.investigator,
            proceeding=file.case,
            role=ParticipantRole.PEDAGOGUE,
            accused=file.accused,
            full_name="Омарова Динара Серікқызы",
        )
    else:
        present = file.psychologist
    interrogate(file, local(file.birthday - D, 10), 60, attendees=[file.defender, present])
    assert found("pedagogue_at_interrogation") == []


def test_a_pedagogue_recorded_in_the_case_but_absent_does_not_count(turning_sixteen):
    file = turning_sixteen
    proceedings.add_participant(
        actor=file.team.investigator,
        proceeding=file.case,
        role=ParticipantRole.PEDAGOGUE,
        accused=file.accused,
        full_name="Омарова Динара Серікқызы",
    )
    interrogate(file, local(file.birthday - D, 10), 60, attendees=[file.defender])
    assert len(found("pedagogue_at_interrogation")) == 1


# No more than 120 minutes without a break (CPC art. 535)


@pytest.mark.parametrize(("minutes", "fires"), [(120, False), (121, True)])
def test_an_interrogation_without_a_break(file, offence_day, minutes, fires):
    interrogation = interrogate(file, local(offence_day + D, 9), minutes)
    violations = found("interrogation_without_break")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].facts == {"longest": 121}
        assert violations[0].fact_key == f"interrogation:{interrogation.pk}"


@pytest.mark.parametrize(("after_the_break", "fires"), [(120, False), (121, True)])
def test_a_break_splits_the_interrogation(file, offence_day, after_the_break, fires):
    start = local(offence_day + D, 9)
    pause, resume = start + 120 * M, start + 135 * M
    interrogate(file, start, 135 + after_the_break, breaks=[(pause, resume)])
    violations = found("interrogation_without_break")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].facts == {"longest": 121}


def test_breaks_keep_a_long_interrogation_within_the_limit(file, offence_day):
    start = local(offence_day + D, 9)
    breaks = [(start + 100 * M, start + 110 * M), (start + 210 * M, start + 220 * M)]
    interrogate(file, start, 320, breaks=breaks)  # 100 + 100 + 100 minutes of questioning
    assert found("interrogation_without_break") == []


# No more than 240 minutes a day (CPC art. 535)


@pytest.mark.parametrize(("last", "fires"), [(80, False), (81, True)])
def test_interrogations_of_one_day_add_up(file, offence_day, last, fires):
    day = offence_day + 2 * D
    events = [
        interrogate(file, local(day, hour), minutes)
        for hour, minutes in ((9, 80), (12, 80), (15, last))
    ]
    violations = found("interrogation_per_day")
    assert len(violations) == int(fires)
    if fires:
        violation = violations[0]
        assert violation.fact_key == f"day:{day.isoformat()}"
        assert violation.facts == {"day": day.isoformat(), "total": 241}
        assert proving(violation) == [(K.INTERROGATION, e.started_at) for e in events]
        assert violation.responsible == file.team.investigator


@pytest.mark.parametrize(("pause", "fires"), [(20, False), (19, True)])
def test_breaks_do_not_count_towards_the_day(file, offence_day, pause, fires):
    day = offence_day + 2 * D
    interrogate(file, local(day, 9), 120)
    second = local(day, 14)
    interrogate(file, second, 140, breaks=[(second + 60 * M, second + (60 + pause) * M)])
    assert len(found("interrogation_per_day")) == int(fires)


def test_the_day_is_the_local_day_not_the_utc_one(file, offence_day):
    # 03:00-05:00 Almaty time is the previous day in UTC; 09:00 is the same day.
    day = offence_day + 2 * D
    interrogate(file, local(day, 3), 120)
    interrogate(file, local(day, 9), 121)
    violation = the_one("interrogation_per_day")
    assert violation.facts == {"day": day.isoformat(), "total": 241}


def test_interrogations_of_two_local_days_do_not_add_up(file, offence_day):
    # 19:00 and the next day's 03:00 in Almaty fall on one UTC day.
    day = offence_day + 2 * D
    interrogate(file, local(day, 19), 120)
    interrogate(file, local(day + D, 3), 121)
    assert found("interrogation_per_day") == []


def test_a_day_over_the_limit_is_one_violation_however_many_more_interrogations(file, offence_day):
    day = offence_day + 2 * D
    for hour in (8, 11, 14, 17):
        interrogate(file, local(day, hour), 100)
    violation = the_one("interrogation_per_day")
    assert violation.facts["total"] == 300  # found at the third; the fourth adds no violation
    assert len(proving(violation)) == 3
