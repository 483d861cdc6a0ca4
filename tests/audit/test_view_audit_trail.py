"""Reading the audit trail: prosecutors and administrators only, and the reading is recorded."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.audit.models import AuditEvent
from qorgau.audit.services import view_audit_trail
from qorgau.people import services as people_services


@pytest.mark.parametrize("persona", ["prosecutor", "administrator"])
def test_readers_see_the_trail_newest_first_and_their_reading_is_recorded(
    request, persona, juvenile, investigator
):
    reader = request.getfixturevalue(persona)
    people_services.view_juvenile(actor=investigator, juvenile_id=juvenile.pk)
    events = list(
        view_audit_trail(
            actor=reader, subject_type="people.juvenile", subject_id=juvenile.pk, action=""
        )
    )
    assert [e.action for e in events] == ["juvenile.view", "juvenile.create"]
    reading = AuditEvent.objects.order_by("-id").first()
    assert reading.action == "audit.view"
    assert reading.actor == reader
    assert reading.details == {
        "filters": {"subject_type": "people.juvenile", "subject_id": str(juvenile.pk)}
    }


def test_filters_by_who_acted(prosecutor, investigator, juvenile):
    events = view_audit_trail(actor=prosecutor, actor_id=investigator.pk)
    assert {e.actor_id for e in events} == {investigator.pk}
    assert {e.action for e in events} == {"juvenile.create"}


@pytest.mark.parametrize("persona", ["investigator", "defender", "judge", "analyst", "outsider"])
def test_other_roles_may_not_read_the_trail_and_nothing_is_recorded(request, persona):
    actor = request.getfixturevalue(persona)
    count = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match=re.escape(str(MESSAGE_NOT_ALLOWED))):
        view_audit_trail(actor=actor)
    assert AuditEvent.objects.count() == count


def test_refuses_an_actor_filter_that_is_not_a_number(prosecutor):
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        view_audit_trail(actor=prosecutor, actor_id="abc")
    assert list(excinfo.value.message_dict) == ["actor_id"]
    assert AuditEvent.objects.count() == count


def test_refuses_an_unknown_filter(prosecutor):
    count = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="ip_address"):
        view_audit_trail(actor=prosecutor, ip_address="10.0.0.1")
    assert AuditEvent.objects.count() == count
