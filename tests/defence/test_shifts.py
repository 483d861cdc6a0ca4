import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qorgau.accounts.models import Role
from qorgau.audit.models import AuditEvent
from qorgau.defence import services
from qorgau.defence.models import Duty, DutyShift
from tests import factories
from tests.defence.conftest import shift

H = datetime.timedelta(hours=1)


@pytest.fixture
def start():
    return timezone.now().replace(microsecond=0) + H


def test_a_lawyer_adds_a_shift_for_the_consultations_region(lawyer, start):
    added = shift(lawyer, lawyer, Duty.DEFENDER, start)
    assert added.territory.kato_code == factories.ALMATY_CITY
    assert added.created_by == lawyer
    audit = AuditEvent.objects.get(action="duty.shift_add")
    assert audit.actor == lawyer
    assert audit.changes["duty"] == [None, "defender"]


def test_an_intern_accompanies_a_psychologists_shift(lawyer, bar_psychologist, intern, start):
    added = shift(lawyer, bar_psychologist, Duty.PSYCHOLOGIST, start, intern=intern)
    assert added.intern == intern


def test_an_intern_is_never_on_duty_alone(lawyer, intern, start):
    with pytest.raises(ValidationError) as error:
        shift(lawyer, intern, Duty.PSYCHOLOGIST, start)
    assert "member" in error.value.message_dict


def test_an_intern_only_with_a_psychologist(lawyer, intern, start):
    with pytest.raises(ValidationError) as error:
        shift(lawyer, lawyer, Duty.DEFENDER, start, intern=intern)
    assert error.value.message_dict["intern"] == [
        str(services.MESSAGE_INTERN_ONLY_WITH_PSYCHOLOGIST)
    ]


def test_refuses_a_member_without_the_duty_role(lawyer, start):
    with pytest.raises(ValidationError) as error:
        shift(lawyer, lawyer, Duty.PSYCHOLOGIST, start)
    role = Role.SOCIAL_PSYCHOLOGIST.label
    expected = services.MESSAGE_WRONG_DUTY_ROLE % {"name": lawyer, "role": role}
    assert error.value.message_dict["member"] == [expected]


def test_refuses_a_member_of_another_consultation(lawyer, psychologist, start):
    with pytest.raises(ValidationError) as error:
        services.add_shift(
            actor=lawyer,
            consultation=lawyer.agency,
            member=psychologist,
            duty=Duty.PSYCHOLOGIST,
            starts_at=start,
            ends_at=start + H,
        )
    expected = services.MESSAGE_NOT_MEMBER % {"name": psychologist}
    assert error.value.message_dict["member"] == [expected]


def test_refuses_end_before_start(lawyer, start):
    with pytest.raises(ValidationError) as error:
        shift(lawyer, lawyer, Duty.DEFENDER, start, hours=0)
    expected = services.MESSAGE_END_BEFORE_START % {"start": services.local(start)}
    assert error.value.message_dict["ends_at"] == [expected]


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(1, 1, 1, tzinfo=datetime.timezone(datetime.timedelta(hours=6))),
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.timezone(-6 * H)),
        datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC),
    ],
)
def test_refuses_a_shift_far_from_today(lawyer, moment):
    """A shift years away is a typing error, not a roster entry (and must not crash)."""
    with pytest.raises(ValidationError) as error:
        services.add_shift(
            actor=lawyer, consultation=lawyer.agency, member=lawyer, duty=Duty.DEFENDER,
            starts_at=moment, ends_at=moment,
        )  # fmt: skip
    assert error.value.message_dict["starts_at"] == [
        services.MESSAGE_FAR_FROM_TODAY % {"days": services.ROSTER_HORIZON.days}
    ]
    assert not DutyShift.objects.exists()


def test_refuses_a_shift_longer_than_the_policy(lawyer, start):
    with pytest.raises(ValidationError) as error:
        shift(lawyer, lawyer, Duty.DEFENDER, start, hours=25)
    assert error.value.message_dict["ends_at"] == [services.MESSAGE_TOO_LONG % {"hours": 24}]
    shift(lawyer, lawyer, Duty.DEFENDER, start, hours=24)  # exactly the limit is allowed


def test_refuses_overlapping_shifts_of_one_member(lawyer, start):
    shift(lawyer, lawyer, Duty.DEFENDER, start)
    with pytest.raises(ValidationError) as error:
        shift(lawyer, lawyer, Duty.DEFENDER, start + 11 * H)
    expected = services.MESSAGE_OVERLAP % {
        "name": lawyer,
        "start": services.local(start),
        "end": services.local(start + 12 * H),
    }
    assert error.value.message_dict["member"] == [expected]
    shift(lawyer, lawyer, Duty.DEFENDER, start + 12 * H)  # back to back is fine
    assert DutyShift.objects.count() == 2


def test_refuses_a_district(lawyer, start):
    with pytest.raises(ValidationError) as error:
        shift(lawyer, lawyer, Duty.DEFENDER, start, territory=factories.territory(factories.AUEZOV))
    assert error.value.message_dict["territory"] == [str(services.MESSAGE_NOT_TOP_LEVEL)]


def test_refuses_outsiders_and_other_consultations(lawyer, psychologist, investigator, start):
    with pytest.raises(PermissionDenied):
        shift(investigator, lawyer, Duty.DEFENDER, start)
    with pytest.raises(PermissionDenied) as denied:
        shift(psychologist, lawyer, Duty.DEFENDER, start)  # psychologist of another consultation
    assert str(denied.value) == str(services.MESSAGE_NOT_OWN_CONSULTATION)
    assert not DutyShift.objects.exists()
    assert not AuditEvent.objects.filter(action="duty.shift_add").exists()


def test_an_administrator_keeps_any_roster(administrator, lawyer, start):
    assert shift(administrator, lawyer, Duty.DEFENDER, start).created_by == administrator


def test_cancel_a_shift(lawyer, start):
    added = shift(lawyer, lawyer, Duty.DEFENDER, start)
    with pytest.raises(ValidationError) as error:
        services.cancel_shift(actor=lawyer, shift=added, reason=" ")
    assert error.value.message_dict["reason"] == [str(services.MESSAGE_REASON_REQUIRED)]
    services.cancel_shift(actor=lawyer, shift=added, reason="Науқас")
    added.refresh_from_db()
    assert added.is_cancelled and added.cancelled_by == lawyer
    assert AuditEvent.objects.get(action="duty.shift_cancel").details["reason"] == "Науқас"
    with pytest.raises(ValidationError) as again:
        services.cancel_shift(actor=lawyer, shift=added, reason="again")
    assert again.value.messages == [str(services.MESSAGE_ALREADY_CANCELLED)]
    # A cancelled shift no longer blocks the member.
    shift(lawyer, lawyer, Duty.DEFENDER, start)


def test_a_past_shift_cannot_be_cancelled(lawyer):
    past = shift(lawyer, lawyer, Duty.DEFENDER, timezone.now() - 30 * H)
    with pytest.raises(ValidationError) as error:
        services.cancel_shift(actor=lawyer, shift=past, reason="x")
    assert error.value.messages == [str(services.MESSAGE_SHIFT_OVER)]


def test_only_the_consultation_cancels(lawyer, investigator, start):
    added = shift(lawyer, lawyer, Duty.DEFENDER, start)
    with pytest.raises(PermissionDenied):
        services.cancel_shift(actor=investigator, shift=added, reason="x")
