"""The same submission twice (a double click, a retry) is one step, audited and checked once."""

import datetime

import pytest

from qorgau.accounts.models import Role
from qorgau.audit.models import AuditEvent
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ProceduralEvent
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import events, record_event, sameness
from qorgau.safeguards.models import Violation

M = datetime.timedelta(minutes=1)


def twice(file, kind, **fields):
    """Submit one step, then exactly the same again, as the browser or client would."""
    at = file.tick()
    data = {**file.fields_for(kind, at), **fields}
    file.accused.refresh_from_db()
    actor = file.team.actor_for(kind, file.accused.stage)
    first = record_event(actor=actor, accused=file.accused, kind=kind, started_at=at, **data)
    counts = totals()
    second = record_event(actor=actor, accused=file.accused, kind=kind, started_at=at, **data)
    return first, second, counts, totals()


def totals() -> tuple[int, int, int]:
    return (
        ProceduralEvent.objects.count(),
        AuditEvent.objects.count(),
        Violation.objects.count(),
    )


def test_the_same_detention_twice_is_one_step_with_its_violation_raised_once(file):
    first, second, counts, after = twice(file, K.DETENTION, held_separately=False)
    assert second.pk == first.pk
    assert (first.already_recorded, second.already_recorded) == (False, True)
    assert after == counts  # no second step, audit row or violation
    assert Violation.objects.filter(rule_id="held_with_adults").count() == 1


def test_the_same_interrogation_twice_with_breaks_and_people_present_is_one_step(file):
    at = file.clock + 2 * datetime.timedelta(hours=1)
    breaks = [{"start": (at + 50 * M).isoformat(), "end": (at + 60 * M).isoformat()}]
    first, second, counts, after = twice(
        file,
        K.INTERROGATION,
        ended_at=at + 150 * M,
        breaks=breaks,
        attendees=[file.defender, file.representative],
    )
    assert second.pk == first.pk and second.already_recorded
    assert after == counts


def test_a_decision_sent_twice_is_one_decision_not_a_refusal(file):
    file.drive(S.INVESTIGATION)
    first, second, counts, after = twice(file, K.TERMINATION)
    assert second.pk == first.pk and second.already_recorded
    assert after == counts
    assert file.stage() == (S.INVESTIGATION, "termination")


@pytest.mark.parametrize(
    "change",
    [
        {"notes": "екінші рет"},
        {"held_separately": False},
        {"document_number": "12"},
    ],
)
def test_a_step_that_differs_in_content_is_another_step(file, change):
    at = file.tick()
    data = file.fields_for(K.DETENTION, at)
    first = record_event(
        actor=file.team.investigator, accused=file.accused, kind=K.DETENTION, started_at=at, **data
    )
    other = record_event(
        actor=file.team.investigator,
        accused=file.accused,
        kind=K.DETENTION,
        started_at=at,
        **{**data, **change},
    )
    assert other.pk != first.pk and not other.already_recorded


def test_a_step_at_another_time_is_another_step(file):
    first = file.record(K.DETENTION)
    second = file.record(K.DETENTION, at=first.started_at + M)
    assert second.pk != first.pk


def test_the_same_time_in_another_zone_is_the_same_step(file):
    at = file.tick()
    data = file.fields_for(K.DETENTION, at)
    first = record_event(
        actor=file.team.investigator, accused=file.accused, kind=K.DETENTION, started_at=at, **data
    )
    in_utc = at.astimezone(datetime.UTC)
    again = record_event(
        actor=file.team.investigator,
        accused=file.accused,
        kind=K.DETENTION,
        started_at=in_utc,
        **data,
    )
    assert again.pk == first.pk


def test_the_same_step_for_another_minor_is_that_minors_step(file, second_minor):
    at = file.tick()
    data = file.fields_for(K.DETENTION, at)
    first = record_event(
        actor=file.team.investigator, accused=file.accused, kind=K.DETENTION, started_at=at, **data
    )
    other = record_event(
        actor=file.team.investigator, accused=second_minor, kind=K.DETENTION, started_at=at, **data
    )
    assert other.pk != first.pk and other.accused_id == second_minor.pk


def test_the_database_refuses_a_second_row_with_the_same_fingerprint(file):
    event = file.record(K.DETENTION)
    assert len(event.fingerprint) == 64
    from django.db import IntegrityError, transaction

    twin = ProceduralEvent(
        proceeding=event.proceeding,
        accused=event.accused,
        kind=event.kind,
        started_at=event.started_at,
        author=event.author,
        fingerprint=event.fingerprint,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_the_acting_role_and_agency_are_kept_on_the_step(file):
    event = file.record(K.DETENTION)
    assert event.acting_role == Role.INVESTIGATOR
    assert event.acting_agency == file.team.investigator.agency
    assert AuditEvent.objects.filter(action="case.event").latest("id").changes["acting_role"] == [
        None,
        "investigator",
    ]


def test_the_acting_role_is_the_one_that_records_the_kind_for_a_person_of_two_roles(
    file, prosecutor
):
    from django.contrib.auth.models import Group

    file.drive(S.INVESTIGATION)
    file.record(K.INDICTMENT)
    prosecutor.groups.add(Group.objects.get(name=Role.DEFENCE_LAWYER))
    approval = file.record(K.INDICTMENT_APPROVED, actor=prosecutor)
    assert approval.acting_role == Role.PROSECUTOR


def test_the_acting_agency_stays_when_the_author_moves_to_another_agency(file, judge):
    event = file.record(K.DETENTION)
    investigator = file.team.investigator
    recorded_agency = investigator.agency
    investigator.agency = judge.agency
    investigator.save()
    event.refresh_from_db()
    assert event.acting_agency == recorded_agency


def test_a_twin_request_that_slipped_past_the_lookup_gets_the_first_step(file, monkeypatch):
    """Two requests at once: the second's look-up ran before the first wrote (on SQLite the
    row lock is no lock). The constraint refuses its row and it answers with the first step."""
    at = file.tick()
    data = file.fields_for(K.DETENTION, at)
    first = record_event(
        actor=file.team.investigator, accused=file.accused, kind=K.DETENTION, started_at=at, **data
    )
    looked_up = []
    real = sameness.already_recorded

    def late(accused, print_):
        looked_up.append(print_)
        return None if len(looked_up) == 1 else real(accused, print_)

    monkeypatch.setattr(events, "already_recorded", late)
    counts = (ProceduralEvent.objects.count(), AuditEvent.objects.count())
    twin = record_event(
        actor=file.team.investigator, accused=file.accused, kind=K.DETENTION, started_at=at, **data
    )
    assert twin.pk == first.pk and twin.already_recorded
    assert (ProceduralEvent.objects.count(), AuditEvent.objects.count()) == counts
    assert len(looked_up) == 2


@pytest.fixture
def second_minor(file, investigator, offence_day):
    from qorgau.proceedings.services import add_accused
    from tests.proceedings import factories

    other = factories.minor(investigator, offence_day, 15)
    add_accused(
        actor=investigator,
        proceeding=file.case,
        juvenile=other,
        articles=[factories.article("188/2")],
    )
    return file.case.accused.get(juvenile=other)
