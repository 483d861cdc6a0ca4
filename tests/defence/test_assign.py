import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qorgau.audit.models import AuditEvent
from qorgau.defence import selectors, services
from qorgau.defence.models import Duty, OnDutyAssignment
from qorgau.proceedings import services as proceedings
from qorgau.proceedings.models import EventKind, Participant, ParticipantRole, Stage
from tests.defence.conftest import shift
from tests.proceedings.factories import nothing_written

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)


def assign(file, actor=None, **overrides):
    data = {
        "actor": actor or file.team.investigator,
        "accused": file.accused,
        "defender": file.team.defender,
        "psychologist": None,
        "state_paid": True,
        "at": file.offence + 2 * H,
    }
    data.update(overrides)
    return services.assign_on_duty(**data)


def test_on_duty_finds_the_shifts_of_the_cases_region(
    detained, night_shifts, lawyer, bar_psychologist
):
    # The case is in Auezov district: the Almaty city roster serves it.
    found = selectors.on_duty(detained.case.territory, detained.offence + 2 * H)
    assert [s.member for s in found.defenders] == [lawyer]
    assert [s.member for s in found.psychologists] == [bar_psychologist]
    assert selectors.on_duty(detained.case.territory, detained.offence + 12 * H).defenders == []


def test_assigns_both_in_one_step(detained, night_shifts, bar_psychologist):
    assignment = assign(detained, psychologist=bar_psychologist)
    assert assignment.defender.role == ParticipantRole.DEFENDER
    assert assignment.defender.state_paid is True
    assert assignment.defender.accused == detained.accused
    assert assignment.psychologist.user == bar_psychologist
    assert assignment.defender_shift == night_shifts[0]
    assert assignment.psychologist_shift == night_shifts[1]
    event = assignment.assignment_event
    assert event.kind == EventKind.DEFENDER_ASSIGNED and event.participant == assignment.defender
    assert assignment.detention.kind == EventKind.DETENTION
    audit = AuditEvent.objects.get(action="duty.assign")
    assert audit.details["assignment_id"] == assignment.pk
    assert audit.changes["state_paid"] == [None, True]
    # The proceedings services audited their parts in the same transaction.
    assert AuditEvent.objects.filter(action="case.participant").count() == 2


def test_the_defender_alone_when_no_psychologist_is_wanted(detained, night_shifts):
    assignment = assign(detained, state_paid=False)
    assert assignment.psychologist is None and assignment.state_paid is False


def test_refuses_without_detention(bare, night_shifts):
    with nothing_written(), pytest.raises(ValidationError) as error:
        assign(bare)
    assert error.value.messages == [str(services.MESSAGE_NO_DETENTION)]


def test_refuses_a_minor_with_a_defender(detained, night_shifts):
    assign(detained)
    with nothing_written(), pytest.raises(ValidationError) as error:
        assign(detained, at=detained.offence + 3 * H)
    assert error.value.message_dict["defender"] == [str(services.MESSAGE_HAS_DEFENDER)]


def test_refuses_a_psychologist_when_the_minor_has_one(detained, night_shifts, bar_psychologist):
    proceedings.add_participant(
        actor=detained.team.investigator,
        proceeding=detained.case,
        role=ParticipantRole.SOCIAL_PSYCHOLOGIST,
        accused=detained.accused,
        user=detained.team.psychologist,
    )
    with nothing_written(), pytest.raises(ValidationError) as error:
        assign(detained, psychologist=bar_psychologist)
    assert error.value.message_dict["psychologist"] == [str(services.MESSAGE_HAS_PSYCHOLOGIST)]


def test_refuses_when_nobody_is_on_duty(detained):
    with nothing_written(), pytest.raises(ValidationError) as error:
        assign(detained)
    assert "defender" in error.value.message_dict


def test_refuses_a_defender_not_on_duty(detained, night_shifts, bar, lawyer):
    from qorgau.accounts.models import Role
    from tests import factories

    other = factories.staff(Role.DEFENCE_LAWYER, bar)
    with nothing_written(), pytest.raises(ValidationError) as error:
        assign(detained, defender=other)
    assert str(other) in error.value.message_dict["defender"][0]


def test_refuses_a_time_before_the_detention_or_in_the_future(detained, night_shifts):
    with nothing_written(), pytest.raises(ValidationError) as error:
        assign(detained, at=detained.offence + 30 * M)
    assert "at" in error.value.message_dict
    with nothing_written(), pytest.raises(ValidationError) as error:
        assign(detained, at=detained.offence + 2400 * H)
    assert error.value.message_dict["at"] == [str(services.MESSAGE_FUTURE)]


def test_refuses_without_an_answer_on_state_payment(detained, night_shifts):
    with nothing_written(), pytest.raises(ValidationError) as error:
        assign(detained, state_paid=None)
    assert error.value.message_dict["state_paid"] == [str(services.MESSAGE_STATE_PAID)]


def test_only_who_records_the_assignment_may(detained, night_shifts, lawyer, prosecutor, outsider):
    for actor in (lawyer, prosecutor):
        with nothing_written(), pytest.raises(PermissionDenied):
            assign(detained, actor=actor)
    with nothing_written(), pytest.raises(PermissionDenied):
        assign(detained, actor=outsider)  # does not even see the case


def test_the_judge_assigns_in_court(detained, lawyer):
    detained.record(EventKind.INDICTMENT)
    detained.record(EventKind.INDICTMENT_APPROVED)
    assert detained.stage()[0] == Stage.IN_COURT
    now_shift = shift(lawyer, lawyer, Duty.DEFENDER, detained.clock, hours=20)
    at = detained.clock + H
    with nothing_written(), pytest.raises(PermissionDenied):
        assign(detained, at=at)  # the investigator no longer conducts the case
    assignment = assign(detained, actor=detained.team.judge, at=at)
    assert assignment.defender_shift == now_shift


def test_a_shift_with_an_assignment_stays(detained, night_shifts, lawyer):
    assign(detained)
    assert Participant.objects.filter(role=ParticipantRole.DEFENDER).count() == 1
    assert OnDutyAssignment.objects.count() == 1
