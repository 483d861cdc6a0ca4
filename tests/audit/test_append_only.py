"""The audit trail is append-only: the model, the queryset and the database refuse changes."""

import re

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

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


# Sealing: the chain columns go from NULL to values once; nothing else ever changes.

SEAL = f"UPDATE {TABLE} SET chain_seq = %s, prev_hash = %s, row_hash = %s WHERE id = %s"
A, B = "a" * 64, "b" * 64


def chain_columns(event: AuditEvent) -> tuple[object, ...]:
    return AuditEvent.objects.filter(pk=event.pk).values_list("chain_seq", "prev_hash", "row_hash")[
        0
    ]


def test_database_lets_an_unsealed_row_be_sealed_once(event):
    assert chain_columns(event) == (None, None, None)
    before = stored(event)
    raw(SEAL, [10**9, A, B, event.pk])
    assert chain_columns(event) == (10**9, A, B)
    assert stored(event) == before
    # A second seal, the same values or others, and unsealing are refused.
    for values in ([10**9, A, B], [10**9 + 1, B, A], [None, None, None]):
        with pytest.raises(DatabaseError, match="append-only"):
            raw(SEAL, [*values, event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"UPDATE {TABLE} SET row_hash = %s WHERE id = %s", [A, event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"UPDATE {TABLE} SET action = %s WHERE id = %s", ["juvenile.view", event.pk])
    with pytest.raises(DatabaseError, match="append-only"):
        raw(f"DELETE FROM {TABLE} WHERE id = %s", [event.pk])
    assert chain_columns(event) == (10**9, A, B)
    assert stored(event) == before


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("action", "juvenile.view"),
        ("actor_name", "someone else"),
        ("at", "2020-01-01 00:00:00+00:00"),
        ("details", '{"forged": true}'),
        ("ip_address", "10.9.9.9"),
        ("subject_id", "999"),
        ("user_agent", "forged"),
        ("id", 10**12),
    ],
)
def test_database_refuses_a_seal_that_changes_any_other_column(event, column, value):
    before = stored(event)
    with pytest.raises(DatabaseError, match="append-only"):
        raw(
            f"UPDATE {TABLE} SET chain_seq = %s, prev_hash = %s, row_hash = %s, {column} = %s "
            "WHERE id = %s",
            [10**9, A, B, value, event.pk],
        )
    assert chain_columns(event) == (None, None, None)
    assert stored(event) == before


def test_database_refuses_a_partial_seal(event):
    for sql in (
        f"UPDATE {TABLE} SET chain_seq = 5 WHERE id = %s",
        f"UPDATE {TABLE} SET prev_hash = '{A}', row_hash = '{B}' WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"):
            raw(sql, [event.pk])
    assert chain_columns(event) == (None, None, None)


def test_database_refuses_a_half_sealed_or_misnumbered_new_row(db):
    """The check constraint: a bulk loader inserts rows sealed whole or not at all."""
    insert = (
        f"INSERT INTO {TABLE} (at, actor_name, actor_agency, action, subject_type, subject_id, "
        "subject_label, fields, changes, details, channel, user_agent, chain_seq, prev_hash, "
        "row_hash) VALUES (%s, 'g', '', 'juvenile.view', '', '', '', '[]', '{}', '{}', "
        "'system', '', %s, %s, %s)"
    )
    now = "2026-01-01 00:00:00+00:00"
    for chain in ([1, None, B], [None, A, B], [0, A, B]):
        with pytest.raises(IntegrityError):
            raw(insert, [now, *chain])
    raw(insert, [now, None, None, None])
    raw(insert, [now, 1, A, B])
    with pytest.raises(IntegrityError):  # chain_seq is unique
        raw(insert, [now, 1, B, A])
    assert AuditEvent.objects.count() == 2
