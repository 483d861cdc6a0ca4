"""The limits issue 12 added (CPC art. 535, 537, 541 part 5) and a record at odds with itself:
those listed as present at an interrogation whose own arrival is recorded after its start."""

import pytest
from django.utils import translation

from qorgau.proceedings.models import EventKind as K
from tests.safeguards.scenario import D, H, M, found, local, proving, the_one


def interrogate(file, start, minutes, **fields):
    return file.record(K.INTERROGATION, at=start, ended_at=start + minutes * M, **fields)


# In the daytime (CPC art. 535): night is 22:00 to 06:00 in the rule file


@pytest.mark.parametrize(
    ("hour", "minute", "minutes", "fires"),
    [
        (10, 0, 60, False),
        (21, 0, 60, False),  # ends at 22:00 sharp
        (21, 0, 61, True),  # runs a minute into the night
        (22, 0, 30, True),
        (23, 30, 60, True),  # across midnight
        (2, 0, 30, True),
        (5, 30, 60, True),  # starts before 06:00
        (6, 0, 60, False),
    ],
)
def test_an_interrogation_at_night(file, offence_day, hour, minute, minutes, fires):
    start = local(offence_day + D, hour, minute)
    event = interrogate(file, start, minutes, attendees=[file.defender, file.representative])
    violations = found("interrogation_daytime")
    assert len(violations) == int(fires)
    if fires:
        assert violations[0].fact_key == f"interrogation:{event.pk}"
        assert violations[0].responsible == file.team.investigator


def test_the_night_hours_are_read_from_the_rule_file_and_named_in_the_message(file, offence_day):
    interrogate(file, local(offence_day + D, 23), 30)
    violation = the_one("interrogation_daytime")
    with translation.override("ru"):
        assert "с 22:00 до 6:00" in violation.description
    with translation.override("kk"):
        assert violation.rule.citation == "ҚР ҚПК 535-бабы"


# The legal representative takes part (CPC art. 535, 537)


def test_an_interrogation_with_the_legal_representative(file, offence_day):
    interrogate(file, local(offence_day + D, 10), 30, attendees=[file.representative])
    assert found("representative_at_interrogation") == []


def test_an_interrogation_without_the_legal_representative(file, offence_day):
    event = interrogate(file, local(offence_day + D, 10), 30, attendees=[file.defender])
    violation = the_one("representative_at_interrogation")
    assert proving(violation) == [(K.INTERROGATION, event.started_at)]
    assert violation.severity == "high"


# The legal representative is told of custody or its extension (CPC art. 541 part 5)


def custody(file, at):
    return file.record(K.PREVENTIVE_MEASURE, at=at, measure="custody", term_days=30)


@pytest.mark.parametrize(("after", "fires"), [(3 * H, False), (3 * H + M, True)])
def test_the_representative_told_of_custody_within_the_hours(file, offence_day, after, fires):
    measure = custody(file, local(offence_day + D, 10))
    file.record(K.REPRESENTATIVE_NOTIFIED, at=measure.started_at + after)
    assert len(found("representative_notified_of_custody")) == int(fires)


def test_each_extension_of_custody_needs_its_own_notification(file, offence_day):
    first = custody(file, local(offence_day + D, 10))
    file.record(K.REPRESENTATIVE_NOTIFIED, at=first.started_at + H)
    extension = custody(file, first.started_at + 5 * D)
    file.record(
        K.INTERROGATION, at=extension.started_at + 4 * H, ended_at=extension.started_at + 5 * H
    )
    violation = the_one("representative_notified_of_custody")
    assert violation.fact_key == f"measure:{extension.pk}"


def test_nobody_told_of_custody_is_found_by_the_sweep(file, offence_day):
    from qorgau.safeguards import services

    measure = custody(file, local(offence_day + D, 10))
    assert found("representative_notified_of_custody") == []  # nothing typed in after it yet
    services.sweep(now=measure.started_at + 3 * H + M)
    assert the_one("representative_notified_of_custody").events.get() == measure


# Listed as present, but arrived after the start: the record contradicts itself


def test_a_defender_listed_at_an_interrogation_they_reached_late_is_flagged(file, offence_day):
    start = local(offence_day + D, 10)
    event = interrogate(file, start, 60, attendees=[file.defender, file.representative])
    arrival = file.record(K.DEFENDER_ARRIVED, at=start + 20 * M)
    violation = the_one("present_before_arrival")
    assert violation.fact_key == f"interrogation:{event.pk}:person:{file.defender.pk}"
    assert proving(violation) == [
        (K.INTERROGATION, event.started_at),
        (K.DEFENDER_ARRIVED, arrival.started_at),
    ]
    assert violation.facts["person"] == file.defender.full_name
    with translation.override("en"):
        assert "arrival is recorded at" in violation.description
        assert file.defender.full_name in violation.description


def test_it_is_found_whichever_is_typed_in_first(file, offence_day):
    start = local(offence_day + D, 10)
    file.record(K.PSYCHOLOGIST_PRESENT, at=start + 30 * M)
    interrogate(file, start, 60, attendees=[file.psychologist, file.representative])
    assert the_one("present_before_arrival").facts["person"] == file.psychologist.full_name


@pytest.mark.parametrize("arrived", [-10, 0])
def test_a_person_who_arrived_before_or_at_the_start_is_not_flagged(file, offence_day, arrived):
    start = local(offence_day + D, 10)
    file.record(K.DEFENDER_ARRIVED, at=start + arrived * M)
    interrogate(file, start, 60, attendees=[file.defender, file.representative])
    assert found("present_before_arrival") == []


def test_an_earlier_arrival_counts_though_a_later_one_is_recorded(file, offence_day):
    start = local(offence_day + D, 10)
    file.record(K.DEFENDER_ARRIVED, at=start - H)
    interrogate(file, start, 60, attendees=[file.defender, file.representative])
    file.record(K.DEFENDER_ARRIVED, at=start + D)
    assert found("present_before_arrival") == []


def test_a_person_with_no_arrival_recorded_is_taken_as_listed(file, offence_day):
    interrogate(file, local(offence_day + D, 10), 60, attendees=[file.defender])
    assert found("present_before_arrival") == []
