"""The hash chain: every row carries its predecessor's hash, and verify-audit finds a break."""

import datetime
import itertools
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from qorgau.audit.chain import GENESIS, HASHED_FIELDS, canonical, compute_row_hash
from qorgau.audit.context import Origin, current_origin
from qorgau.audit.models import AuditEvent
from qorgau.audit.services import record, view_audit_trail
from qorgau.audit.verify import verify_chain
from qorgau.people import services as people_services
from tests import factories

TABLE = AuditEvent._meta.db_table


def chain() -> list[dict[str, object]]:
    columns = ("id", "prev_hash", "row_hash", *HASHED_FIELDS)
    return list(AuditEvent.objects.order_by("id").values(*columns))


@pytest.fixture
def mixed_writes(investigator, prosecutor):
    """Registrations, changes, reads, searches and trail readings, on several channels."""
    juvenile = factories.juvenile(investigator)
    people_services.update_juvenile(actor=investigator, juvenile=juvenile, school="№ 45 мектеп")
    people_services.view_juvenile(actor=prosecutor, juvenile_id=juvenile.pk)
    token = current_origin.set(Origin(channel="api", ip_address="2001:DB8::1", user_agent="curl"))
    try:
        people_services.log_search(actor=prosecutor, query="Сейітов", result_count=1)
        record(actor=prosecutor, action="juvenile.view", subject=juvenile, details={"x": 1.0})
    finally:
        current_origin.reset(token)
    view_audit_trail(actor=prosecutor, action="juvenile.view")
    return juvenile


def test_every_row_links_to_the_one_before_after_mixed_writes(mixed_writes):
    rows = chain()
    assert len(rows) >= 8
    assert rows[0]["prev_hash"] == GENESIS
    for before, row in itertools.pairwise(rows):
        assert row["prev_hash"] == before["row_hash"]
    for row in rows:
        assert row["row_hash"] == compute_row_hash(row, row["prev_hash"])
    assert len({row["row_hash"] for row in rows}) == len(rows)
    result = verify_chain(chunk=3)  # several chunks
    assert result.broken is None
    assert result.rows == len(rows)
    assert (result.head_id, result.head_hash) == (rows[-1]["id"], rows[-1]["row_hash"])


def test_the_hash_is_a_pure_function_of_the_values_and_the_previous_hash(mixed_writes):
    row = chain()[-1]
    again = compute_row_hash(dict(row), row["prev_hash"])
    assert again == row["row_hash"]
    assert compute_row_hash({**row, "actor_name": "Someone Else"}, row["prev_hash"]) != again
    assert compute_row_hash({**row, "details": {"x": 2}}, row["prev_hash"]) != again
    assert compute_row_hash(row, GENESIS) != again or row["prev_hash"] == GENESIS
    # What the database prints differently is hashed the same: 1.0 and 1, address spellings.
    assert canonical({**row, "details": {"x": 1.0}}) == canonical({**row, "details": {"x": 1}})
    spelled = {**row, "ip_address": "2001:DB8:0::1"}
    assert canonical(spelled) == canonical({**row, "ip_address": "2001:db8::1"})


def test_the_hash_refuses_incomplete_or_naive_values():
    values = dict.fromkeys(HASHED_FIELDS, "")
    values.update(actor_id=None, fields=[], changes={}, details={}, ip_address=None)
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_row_hash({**values, "at": datetime.datetime(2026, 1, 1)}, GENESIS)  # noqa: DTZ001
    with pytest.raises(ValueError, match="lack"):
        compute_row_hash({"at": datetime.datetime.now(datetime.UTC)}, GENESIS)
    with pytest.raises(ValueError, match="64"):
        compute_row_hash({**values, "at": datetime.datetime.now(datetime.UTC)}, "abc")


def test_a_bulk_loader_makes_a_valid_chain_without_the_orm(mixed_writes):
    """What a national data generator does: raw INSERTs (COPY) hashed by compute_row_hash."""
    head = chain()[-1]["row_hash"]
    start = datetime.datetime(2025, 1, 1, 8, tzinfo=datetime.UTC)
    with connection.cursor() as cursor:
        for number in range(5):
            values = {
                "at": start + datetime.timedelta(minutes=number),
                "actor_id": None,
                "actor_name": "generator",
                "actor_agency": "",
                "action": "juvenile.view",
                "subject_type": "people.juvenile",
                "subject_id": str(number),
                "subject_label": "Бала",
                "fields": [],
                "changes": {},
                "details": {"n": number},
                "channel": "system",
                "ip_address": None,
                "user_agent": "",
            }
            row_hash = compute_row_hash(values, head)
            columns = [*HASHED_FIELDS, "prev_hash", "row_hash"]
            params = [
                json.dumps(values[name])
                if name in ("fields", "changes", "details")
                else values[name]
                for name in HASHED_FIELDS
            ]
            cursor.execute(
                f"INSERT INTO {TABLE} ({', '.join(columns)}) "
                f"VALUES ({', '.join(['%s'] * len(columns))})",
                [*params, head, row_hash],
            )
            head = row_hash
    result = verify_chain()
    assert result.broken is None
    assert result.head_hash == head


# Tampering: the triggers are lifted in the test, as an intruder with the owner's rights would.


def tamper(sql: str, params: list[object]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Pending foreign-key checks of rows inserted in this transaction block ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_no_change")
            cursor.execute(sql, params)
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_no_change")
        else:
            cursor.execute("DROP TRIGGER audit_no_update")
            cursor.execute("DROP TRIGGER audit_no_delete")
            cursor.execute(sql, params)
            cursor.execute(
                f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
            )
            cursor.execute(
                f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;"
            )


def verify_fails() -> str:
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit", chunk=2)
    assert failure.value.returncode == 1
    return str(failure.value)


def test_verify_audit_reports_an_intact_chain_with_its_count_and_head(mixed_writes, capsys):
    rows = chain()
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"the chain holds: {len(rows)} rows" in out
    assert f"head: row {rows[-1]['id']}, hash {rows[-1]['row_hash']}" in out
    assert "rows/s" in out


def test_verify_audit_names_a_row_whose_content_was_changed(mixed_writes):
    rows = chain()
    victim = rows[3]
    tamper(f"UPDATE {TABLE} SET actor_name = %s WHERE id = %s", ["Нобади", victim["id"]])
    message = verify_fails()
    assert f"broken at row {victim['id']} ({victim['at'].isoformat()})" in message
    assert "its values do not give its hash" in message
    assert "3 rows before it hold" in message


def test_verify_audit_names_the_row_after_a_deleted_one(mixed_writes):
    rows = chain()
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [rows[2]["id"]])
    message = verify_fails()
    assert f"broken at row {rows[3]['id']} " in message
    assert "its link does not hold" in message


def test_verify_audit_sees_a_change_whose_hash_was_recomputed(mixed_writes):
    rows = chain()
    victim = {**rows[4], "subject_label": "someone else"}
    forged = compute_row_hash(victim, victim["prev_hash"])
    tamper(
        f"UPDATE {TABLE} SET subject_label = %s, row_hash = %s WHERE id = %s",
        ["someone else", forged, victim["id"]],
    )
    message = verify_fails()
    assert f"broken at row {rows[5]['id']} " in message
    assert "its link does not hold" in message


def test_verify_audit_sees_the_first_rows_cut_off(mixed_writes):
    rows = chain()
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [rows[0]["id"]])
    assert f"broken at row {rows[1]['id']} " in verify_fails()


def test_verify_audit_on_an_empty_trail(db, capsys):
    call_command("verify_audit")
    assert "the chain holds: 0 rows" in capsys.readouterr().out


def test_verify_audit_refuses_a_chunk_below_one(db):
    with pytest.raises(CommandError, match="--chunk must be a positive number"):
        call_command("verify_audit", chunk=0)
