"""What each kind of step needs besides its time, what it keeps, and the signal it sends."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from qorgau.audit.models import AuditEvent
from qorgau.proceedings.models import Charge, ParticipantRole, ProceduralEvent
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import add_participant, record_event
from qorgau.proceedings.services.common import local
from qorgau.proceedings.services.events import MESSAGE_NO_CHARGE, MESSAGE_REQUIRED
from qorgau.proceedings.signals import event_recorded
from tests.proceedings.factories import last_audit, nothing_written, refusal, snapshot

H = datetime.timedelta(hours=1)

# The stage each kind is first possible at, and the fields it cannot do without.
REQUIRED = [
    (K.DETENTION, S.REGISTERED, ["place", "performed_by", "held_separately"]),
    (K.REPRESENTATIVE_NOTIFIED, S.REGISTERED, ["method", "participant"]),
    (K.DEFENDER_ASSIGNED, S.REGISTERED, ["participant"]),
    (K.DEFENDER_ARRIVED, S.REGISTERED, ["participant"]),
    (K.PSYCHOLOGIST_PRESENT, S.REGISTERED, ["participant"]),
    (K.INTERROGATION, S.REGISTERED, ["ended_at"]),
    (K.PREVENTIVE_MEASURE, S.REGISTERED, ["measure"]),
    (K.TERMINATION, S.INVESTIGATION, ["ground"]),
    (K.JUDGMENT, S.IN_COURT, ["verdict", "punishment"]),
    (K.APPEAL, S.JUDGMENT, ["performed_by"]),
    (K.APPEAL_DECISION, S.APPEAL, ["appeal_outcome"]),
]
# Steps that need nothing but their time (and, for the referral, a court: test_guards.py).
TIME_ONLY = [
    (K.RELEASE, S.INVESTIGATION),
    (K.INDICTMENT, S.INVESTIGATION),
    (K.JUDGMENT_IN_FORCE, S.JUDGMENT),
    (K.CLOSED, S.SENTENCE_EXECUTION),
]


def arguments(file, kind, **overrides):
    file.accused.refresh_from_db()
    started_at = file.tick()
    data = file.fields_for(kind, started_at)
    data.update(overrides)
    return {
        "actor": file.team.actor_for(kind, file.accused.stage),
        "accused": file.accused,
        "kind": kind,
        "started_at": started_at,
        **data,
    }


@pytest.mark.parametrize(
    ("kind", "stage", "name", "empty"),
    [
        (kind, stage, name, empty)
        for kind, stage, names in REQUIRED
        for name in names
        for empty in ([None] if name == "ended_at" else [None, ""])
    ],
)
def test_refuses_a_step_without_a_field_it_needs(file, kind, stage, name, empty):
    file.drive(stage)
    errors = refusal(record_event, **arguments(file, kind, **{name: empty}))
    assert errors == {name: [MESSAGE_REQUIRED]}


@pytest.mark.parametrize(("kind", "stage"), TIME_ONLY)
def test_records_a_step_that_needs_only_its_time(file, kind, stage):
    file.drive(stage)
    at = file.tick()
    event = record_event(
        actor=file.team.actor_for(kind, stage), accused=file.accused, kind=kind, started_at=at
    )
    assert (event.kind, event.started_at) == (kind, at)


def test_refuses_an_indictment_when_no_charge_is_current(file):
    # No service leaves a minor without a current charge (a requalification starts a new one);
    # the guard protects against records that were changed by hand.
    file.drive(S.INVESTIGATION)
    Charge.objects.filter(accused=file.accused).update(ended_at=timezone.now())
    errors = refusal(record_event, **arguments(file, K.INDICTMENT))
    assert errors == {"__all__": [MESSAGE_NO_CHARGE]}


@pytest.mark.parametrize(
    ("kind", "stage", "name", "value"),
    [
        (K.REPRESENTATIVE_NOTIFIED, S.REGISTERED, "method", "pigeon"),
        (K.APPEAL_DECISION, S.APPEAL, "appeal_outcome", "reversed"),
        (K.PREVENTIVE_MEASURE, S.REGISTERED, "term_days", -5),
        (K.JUDGMENT, S.IN_COURT, "verdict", "guilty"),
    ],
)
def test_refuses_a_value_outside_the_field_choices(file, kind, stage, name, value):
    file.drive(stage)
    errors = refusal(record_event, **arguments(file, kind, **{name: value}))
    assert list(errors) == [name]


def test_records_a_detention_with_who_where_and_when(file, investigator):
    at = file.offence + 2 * H
    event = file.record(
        K.DETENTION,
        at=at,
        place="Әуезов ПБ",
        performed_by="сержант Әбілов",
        held_separately=True,
        document_number="ХҰ-17",
    )
    stored = ProceduralEvent.objects.get(pk=event.pk)
    assert (stored.kind, stored.started_at, stored.author) == (K.DETENTION, at, investigator)
    assert (stored.place, stored.performed_by, stored.held_separately) == (
        "Әуезов ПБ",
        "сержант Әбілов",
        True,
    )
    assert stored.document_number == "ХҰ-17"
    assert (stored.proceeding, stored.accused) == (file.case, file.accused)
    audit = last_audit()
    assert audit.actor == investigator
    assert audit.changes["started_at"] == [None, local(at)]


def test_records_a_notification_of_the_representative(file):
    event = file.record(K.REPRESENTATIVE_NOTIFIED, method="in_person")
    assert (event.method, event.participant) == ("in_person", file.representative)


def test_records_an_interrogation_with_its_attendees_and_computed_duration(file):
    pedagogue = add_participant(
        actor=file.team.investigator,
        proceeding=file.case,
        role=ParticipantRole.PEDAGOGUE,
        accused=file.accused,
        full_name="Ахметова Сәуле",
    )
    start = file.offence + 4 * H
    present = [file.representative, file.defender, pedagogue]
    event = file.record(
        K.INTERROGATION, at=start, ended_at=start + 95 * datetime.timedelta(minutes=1)
    )
    assert event.attendees.count() == 0
    again = file.record(
        K.INTERROGATION, at=start + 3 * H, ended_at=start + 4 * H, attendees=present
    )
    assert set(again.attendees.all()) == set(present)
    assert event.duration_minutes == 95


def test_records_a_termination_with_its_ground(file):
    file.drive(S.INVESTIGATION)
    event = file.record(K.TERMINATION, ground="reconciliation", notes="Зиян өтелді.")
    assert (event.ground, event.notes) == ("reconciliation", "Зиян өтелді.")


def test_records_an_appeal_and_its_decision(file):
    file.drive(S.JUDGMENT)
    appeal = file.record(K.APPEAL, actor=file.team.defender, performed_by="қорғаушы Ким")
    decision = file.record(K.APPEAL_DECISION, appeal_outcome="changed")
    assert (appeal.author, appeal.performed_by) == (file.team.defender, "қорғаушы Ким")
    assert (decision.author, decision.appeal_outcome) == (file.team.judge, "changed")


# The signal the safeguards listen to


@pytest.fixture
def receiver():
    calls = []

    def listen(sender, event, actor, **kwargs):
        calls.append(
            {
                "sender": sender,
                "event": event,
                "actor": actor,
                "stored": ProceduralEvent.objects.filter(pk=event.pk).exists(),
                "audited": AuditEvent.objects.filter(
                    action="case.event", details__event_id=event.pk
                ).exists(),
                "stage": type(event.accused).objects.get(pk=event.accused_id).stage,
                "savepoints": len(connection.savepoint_ids),
            }
        )

    event_recorded.connect(listen)
    yield calls
    event_recorded.disconnect(listen)


def test_sends_the_event_and_its_actor_inside_the_transaction(file, receiver):
    outside = len(connection.savepoint_ids)
    event = file.record(K.DETENTION)
    assert len(receiver) == 1
    call = receiver[0]
    assert (call["sender"], call["event"], call["actor"]) == (
        ProceduralEvent,
        event,
        file.team.investigator,
    )
    # Written before the signal, and still inside the service's own transaction.
    assert (call["stored"], call["audited"], call["stage"]) == (True, True, S.INVESTIGATION)
    assert call["savepoints"] == outside + 1


def test_sends_nothing_for_a_refused_step(file, receiver):
    refusal(record_event, **arguments(file, K.DETENTION, place=""))
    assert receiver == []


class SafeguardFailed(RuntimeError):
    pass


def test_a_receiver_that_raises_rolls_the_step_back(file):
    def fail(sender, **kwargs):
        raise SafeguardFailed

    event_recorded.connect(fail)
    try:
        before = snapshot()
        with nothing_written(), pytest.raises(SafeguardFailed):
            file.record(K.DETENTION)
    finally:
        event_recorded.disconnect(fail)
    assert snapshot() == before
    assert file.stage() == (S.REGISTERED, "")
