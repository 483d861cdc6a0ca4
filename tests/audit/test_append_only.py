"""The audit trail is append-only: the model, the queryset and the database refuse changes."""

import re

import pytest
from django.db import DatabaseError, connection, transaction

from qorgau.audit.context import SYSTEM, Origin, current_origin
from qorgau.audit.events import EVENTS
from qorgau.audit.models import MESSAGE_APPEND_ONLY, AppendOnlyError, AuditEvent
from qorgau.audit.services import record

TABLE = AuditEvent._meta.db_table


@pytest.fixture
def event(investigator):
    return record(
        actor=investigator,
        action="juvenile.update",
        subject=investigator,
        changes={"school": ("№ 12", "№ 45")},
    )


def stored(event: AuditEvent) -> tuple[object, ...]:
    return AuditEvent.objects.filter(pk=event.pk).values_list("action", "actor_name", "changes")[0]


def append_only():
    return pytest.raises(AppendOnlyError, match=MESSAGE_APPEND_ONLY)


def test_record_writes_who_what_which_fields_and_the_values(event, investigator):
    row = AuditEvent.objects.get(pk=event.pk)
    assert row.actor == investigator
    assert row.actor_name == investigator.get_full_name()
    assert row.actor_agency == str(investigator.agency)
    assert row.action == "juvenile.update"
    assert (row.subject_type, row.subject_id) == ("accounts.user", str(investigator.pk))
    assert row.fields == ["school"]
    assert row.changes == {"school": ["№ 12", "№ 45"]}
    assert row.at is not None


def test_model_refuses_to_save_an_existing_event(event):
    before = stored(event)
    event.action = "juvenile.view"
    with append_only():
        event.save()
    with append_only():
        event.save(update_fields=["action"])
    assert stored(event) == before


def test_model_refuses_to_delete_an_event(event):
    with append_only():
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists() is True


def test_queryset_refuses_update_and_delete(event):
    before = stored(event)
    with append_only():
        AuditEvent.objects.filter(pk=event.pk).update(action="juvenile.view")
    with append_only():
        AuditEvent.objects.all().delete()
    # bulk_update opens its own atomic block; the savepoint keeps the test's transaction usable.
    with append_only(), transaction.atomic():
        AuditEvent.objects.bulk_update([event], ["action"])
    assert stored(event) == before
    assert AuditEvent.objects.filter(pk=event.pk).exists() is True


def raw(sql: str, params: list[object] | None = None) -> None:
    # A savepoint, so the refused statement does not abort the test's transaction on PostgreSQL.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def test_database_refuses_an_update_by_raw_sql(event):
    before = stored(event)
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["juvenile.view", event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"UPDATE {TABLE} SET actor_name = %s", ["someone else"])
    assert stored(event) == before


def test_database_refuses_a_delete_by_raw_sql(event):
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {TABLE}")
    assert AuditEvent.objects.filter(pk=event.pk).exists() is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE exists on PostgreSQL only")
def test_database_refuses_truncate(event):
    # The row was inserted in this same transaction: run its deferred foreign-key checks now,
    # or PostgreSQL refuses TRUNCATE for "pending trigger events" before the audit trigger runs.
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"TRUNCATE {TABLE}")
    assert AuditEvent.objects.filter(pk=event.pk).exists() is True


def test_database_still_accepts_new_rows(event):
    count = AuditEvent.objects.count()
    record(actor=None, action="audit.view")
    assert AuditEvent.objects.count() == count + 1


def test_record_refuses_an_unknown_event_code(investigator):
    count = AuditEvent.objects.count()
    with pytest.raises(ValueError, match=re.escape("Unknown audit event code 'juvenile.delete'")):
        record(actor=investigator, action="juvenile.delete", subject=investigator)
    assert "juvenile.delete" not in EVENTS
    assert AuditEvent.objects.count() == count


def test_record_takes_channel_and_address_from_the_current_origin(investigator):
    token = current_origin.set(
        Origin(channel="api", ip_address="10.20.30.40", user_agent="curl/8.0", path="/api/x")
    )
    try:
        event = record(actor=investigator, action="juvenile.search")
    finally:
        current_origin.reset(token)
    row = AuditEvent.objects.get(pk=event.pk)
    assert (row.channel, row.ip_address, row.user_agent) == ("api", "10.20.30.40", "curl/8.0")


def test_record_outside_a_request_is_marked_as_system(investigator):
    assert current_origin.get() == SYSTEM
    row = AuditEvent.objects.get(pk=record(actor=investigator, action="juvenile.search").pk)
    assert (row.channel, row.ip_address, row.user_agent) == ("system", None, "")


def test_record_without_an_actor_names_the_system(db):
    row = AuditEvent.objects.get(pk=record(actor=None, action="auth.login_failed").pk)
    assert row.actor is None
    assert (row.actor_name, row.actor_agency) == ("system", "")
