"""The hash chain: every sealed row carries its predecessor's hash; verify-audit finds a break."""

import datetime
import importlib
import itertools
import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qorgau.audit import sealer
from qorgau.audit.chain import GENESIS, HASHED_FIELDS, canonical, compute_row_hash, link_rows
from qorgau.audit.context import Origin, current_origin
from qorgau.audit.models import AuditEvent
from qorgau.audit.sealer import head, seal_all, seal_batch
from qorgau.audit.services import record, view_audit_trail
from qorgau.audit.verify import verify_chain
from qorgau.people import services as people_services
from tests import factories

TABLE = AuditEvent._meta.db_table


def chain() -> list[dict[str, object]]:
    columns = ("id", "prev_hash", "row_hash", *HASHED_FIELDS)
    return list(
        AuditEvent.objects.filter(chain_seq__isnull=False).order_by("chain_seq").values(*columns)
    )


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
    seal_all()
    return juvenile


def test_every_row_links_to_the_one_before_after_mixed_writes(mixed_writes):
    rows = chain()
    assert len(rows) >= 8
    assert len(rows) == AuditEvent.objects.count()  # every row sealed
    assert [row["chain_seq"] for row in rows] == list(range(1, len(rows) + 1))
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)  # one sealer: id order
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
    # The place in the chain is hashed: a row moved to another place no longer gives its hash.
    assert compute_row_hash({**row, "chain_seq": row["chain_seq"] + 1}, row["prev_hash"]) != again


def test_the_hash_refuses_incomplete_or_naive_values():
    values = dict.fromkeys(HASHED_FIELDS, "")
    values.update(actor_id=None, fields=[], changes={}, details={}, ip_address=None)
    with pytest.raises(ValueError, match="timezone-aware"):
        compute_row_hash({**values, "at": datetime.datetime(2026, 1, 1)}, GENESIS)  # noqa: DTZ001
    with pytest.raises(ValueError, match="lack"):
        compute_row_hash({"at": datetime.datetime.now(datetime.UTC)}, GENESIS)
    with pytest.raises(ValueError, match="64"):
        compute_row_hash(
            {**values, "at": datetime.datetime.now(datetime.UTC), "chain_seq": 1}, "abc"
        )
    now = datetime.datetime.now(datetime.UTC)
    for unsealed in (None, 0, -1, "1", True):
        with pytest.raises(ValueError, match="chain_seq"):
            compute_row_hash({**values, "at": now, "chain_seq": unsealed}, GENESIS)


def generated(number: int) -> dict[str, object]:
    start = datetime.datetime(2025, 1, 1, 8, tzinfo=datetime.UTC)
    return {
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
        "details": {"n": number, "x": 1.5},
        "channel": "system",
        "ip_address": None,
        "user_agent": "",
    }


def insert_raw(values: dict[str, object], chain: tuple[object, object, object]) -> None:
    names = [name for name in HASHED_FIELDS if name != "chain_seq"]
    columns = [*names, "chain_seq", "prev_hash", "row_hash"]
    params = [
        json.dumps(values[name]) if name in ("fields", "changes", "details") else values[name]
        for name in names
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})",
            [*params, *chain],
        )


def test_a_bulk_loader_makes_a_valid_chain_without_the_orm(mixed_writes):
    """What a national data generator may do: raw INSERTs (COPY) sealed by link_rows."""
    after_seq, after_hash = head()
    rows = [generated(number) for number in range(5)]
    links = list(link_rows(rows, after_seq=after_seq, after_hash=after_hash))
    for values, link in zip(rows, links, strict=True):
        insert_raw(values, (link.chain_seq, link.prev_hash, link.row_hash))
    result = verify_chain()
    assert result.broken is None
    assert result.rows == after_seq + 5
    assert result.head_hash == link.row_hash
    assert result.unsealed.rows == 0


def test_a_bulk_loader_may_leave_the_sealing_to_seal_audit(mixed_writes, capsys):
    """Or it COPYs the rows unsealed and runs `qorgau seal-audit` after."""
    before = verify_chain()
    for number in range(7):
        insert_raw(generated(number), (None, None, None))
    assert verify_chain().unsealed.rows == 7
    call_command("seal_audit", batch=3, progress=True)
    out = capsys.readouterr().out
    assert "seal-audit: 7 rows sealed" in out
    assert "3 batches" in out
    assert "  6 rows sealed" in out
    result = verify_chain()
    assert result.broken is None
    assert result.rows == before.rows + 7
    assert result.unsealed.rows == 0
    # Sealed in three batches or in one, the chain is the same: each batch continues the head.
    assert chain()[-1]["row_hash"] == result.head_hash


def test_sealing_in_batches_gives_the_chain_one_batch_gives(mixed_writes):
    rows = chain()
    values = [{name: row[name] for name in ("id", *HASHED_FIELDS)} for row in rows]
    links = list(link_rows(values))
    assert [(link.id, link.chain_seq, link.prev_hash, link.row_hash) for link in links] == [
        (row["id"], row["chain_seq"], row["prev_hash"], row["row_hash"]) for row in rows
    ]


def test_a_batch_takes_at_most_its_limit_and_continues_from_the_head(investigator):
    seal_all()
    sealed_before = AuditEvent.objects.filter(chain_seq__isnull=False).count()
    first = [record(actor=investigator, action="juvenile.search").pk for _ in range(5)]
    assert seal_batch(2) == 2
    assert seal_batch(2) == 2
    assert seal_batch(2) == 1
    assert seal_batch(2) == 0
    places = dict(AuditEvent.objects.filter(pk__in=first).values_list("pk", "chain_seq"))
    assert [places[pk] for pk in first] == list(range(sealed_before + 1, sealed_before + 6))
    assert verify_chain().broken is None
    with pytest.raises(ValueError, match="positive"):
        seal_batch(0)


def test_record_leaves_the_row_unsealed_and_asks_for_a_seal_after_commit(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as hooks:
        actor = factories.staff("investigator")
        with transaction.atomic():
            rows = [record(actor=actor, action="juvenile.search") for _ in range(3)]
    assert {(row.chain_seq, row.prev_hash, row.row_hash) for row in rows} == {(None, None, None)}
    stored = AuditEvent.objects.filter(pk__in=[row.pk for row in rows])
    assert stored.filter(chain_seq__isnull=True).count() == 3
    # One sealing however many rows (the test's single transaction holds them all).
    assert len(hooks) == 1
    hooks[0]()
    assert stored.filter(chain_seq__isnull=True).count() == 0
    assert verify_chain().broken is None


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
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [TABLE],
            )
            triggers = cursor.fetchall()
            assert {name for name, _ in triggers} == {"audit_no_update", "audit_no_delete"}
            for name, _ in triggers:
                cursor.execute(f"DROP TRIGGER {name}")
            cursor.execute(sql, params)
            for _, create in triggers:
                cursor.execute(create)


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
    assert "0 rows not sealed yet, the oldest waiting - (allowed 300 s)" in out


def test_verify_audit_counts_the_rows_waiting_for_their_seal(mixed_writes, investigator, capsys):
    record(actor=investigator, action="juvenile.search")
    record(actor=investigator, action="juvenile.search")
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert f"the chain holds: {len(chain())} rows" in out
    assert "2 rows not sealed yet, the oldest waiting 0 s (allowed 300 s)" in out


def test_verify_audit_fails_when_a_row_waits_too_long(mixed_writes, investigator, settings):
    """A sealer that stopped is noticed: a row unsealed longer than the setting fails."""
    old = timezone.now() - datetime.timedelta(minutes=6)
    insert_raw({**generated(1), "at": old}, (None, None, None))
    record(actor=investigator, action="juvenile.search")
    message = verify_fails()
    assert "the chain holds" in message
    assert "2 rows not sealed yet, the oldest waiting 360 s (allowed 300 s)" in message
    assert "the sealer has stopped" in message
    settings.QORGAU_AUDIT_SEAL_MAX_DELAY = 400
    call_command("verify_audit")  # within the allowed delay: no failure
    settings.QORGAU_AUDIT_SEAL_MAX_DELAY = 300
    call_command("seal_audit")
    call_command("verify_audit")


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


def test_verify_audit_sees_rows_cut_out_and_the_chain_after_them_hashed_anew(mixed_writes):
    rows = chain()
    tamper(f"DELETE FROM {TABLE} WHERE id = %s", [rows[2]["id"]])
    prev_hash = rows[1]["row_hash"]
    for row in rows[3:]:
        forged = compute_row_hash(row, prev_hash)
        tamper(
            f"UPDATE {TABLE} SET prev_hash = %s, row_hash = %s WHERE id = %s",
            [prev_hash, forged, row["id"]],
        )
        prev_hash = forged
    message = verify_fails()
    assert f"broken at row {rows[3]['id']} " in message
    assert "its place in the chain does not follow the row before it" in message
    assert f"Expected 3, found {rows[3]['chain_seq']}" in message


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


def test_a_large_batch_is_hashed_and_written_chunk_after_chunk(mixed_writes, monkeypatch):
    monkeypatch.setattr(sealer, "WRITE_CHUNK", 3)
    before = verify_chain().rows
    for number in range(10):
        insert_raw(generated(number), (None, None, None))
    assert seal_batch(100) == 10  # four chunks, written by the second thread
    result = verify_chain()
    assert (result.broken, result.rows, result.unsealed.rows) == (None, before + 10, 0)


def test_a_chunk_that_fails_leaves_the_whole_batch_unsealed(mixed_writes, monkeypatch):
    monkeypatch.setattr(sealer, "WRITE_CHUNK", 3)
    for number in range(10):
        insert_raw(generated(number), (None, None, None))
    real, written = sealer._write, []

    def failing_third(db, links):
        if len(written) == 2:
            raise DatabaseError("the disk is full")
        real(db, links)
        written.append(len(links))

    monkeypatch.setattr(sealer, "_write", failing_third)
    with pytest.raises(DatabaseError, match="the disk is full"):
        seal_batch(100)
    assert written == [3, 3]
    assert verify_chain().unsealed.rows == 10  # the two chunks written were rolled back
    monkeypatch.undo()
    assert seal_batch(100) == 10
    assert verify_chain().broken is None


def test_the_sealer_reads_the_values_the_orm_reads(mixed_writes, investigator):
    """The sealer reads unsealed rows with plain SQL on PostgreSQL; verify-audit with the ORM."""
    token = current_origin.set(Origin(channel="api", ip_address="2001:DB8::5", user_agent="x"))
    try:
        record(actor=investigator, action="juvenile.search", details={"f": 2.5, "n": [1, 2.0]})
    finally:
        current_origin.reset(token)
    columns = ("id", *HASHED_FIELDS)
    by_orm = list(AuditEvent.objects.filter(chain_seq__isnull=True).order_by("id").values(*columns))
    with transaction.atomic():
        after_seq, after_hash, rows = sealer._lock_and_read(10, 0)
    assert rows == by_orm
    assert (after_seq, after_hash) == head() == (chain()[-1]["chain_seq"], chain()[-1]["row_hash"])


def test_the_sealing_after_commit_looks_only_near_its_own_rows(mixed_writes, monkeypatch):
    """Older unsealed rows are left to seal-audit: each commit reads a bounded range."""
    monkeypatch.setattr(sealer, "HOOK_WINDOW", 0)
    insert_raw(generated(1), (None, None, None))
    older = AuditEvent.objects.get(chain_seq__isnull=True)
    newer = record(actor=None, action="juvenile.search")
    sealer.seal_after_commit(newer.pk)
    assert AuditEvent.objects.get(pk=newer.pk).chain_seq == len(chain())
    assert AuditEvent.objects.get(pk=older.pk).chain_seq is None
    assert seal_all().rows == 1
    # Sealed later, placed later: the chain's order is the order of sealing, not of ids.
    assert AuditEvent.objects.get(pk=older.pk).chain_seq == len(chain())
    assert older.pk < newer.pk
    assert verify_chain().broken is None


def test_the_hash_is_the_one_migration_0004_froze(mixed_writes):
    """chain.py may get faster, never different: the frozen copy gives the same hashes."""
    frozen = importlib.import_module("qorgau.audit.migrations.0004_audit_seal_after_commit")
    rows = chain()
    minus_five = datetime.timezone(-timedelta(hours=5))
    odd = {
        **rows[0],
        "at": datetime.datetime(2026, 3, 1, 4, 5, 6, 7, tzinfo=minus_five),
        "details": {"b": [1.0, 2.5, {"c": None}], "a": True, "e": [], "d": {}},
        "fields": ("x", "y"),
        "ip_address": "10.0.0.1",
    }
    for row in [*rows, odd]:
        assert compute_row_hash(row, row["prev_hash"]) == frozen._row_hash(row, row["prev_hash"])


def test_seal_audit_refreshes_the_statistics_after_a_bulk_seal(mixed_writes, monkeypatch):
    """Else the planner, still counting the rows unsealed, reads them by the primary key."""
    monkeypatch.setattr(sealer, "ANALYZE_AFTER", 5)
    for rows, analysed in ((4, False), (5, True)):
        for number in range(rows):
            insert_raw(generated(number), (None, None, None))
        with CaptureQueriesContext(connection) as queries:
            assert seal_all(batch=2).rows == rows
        statements = [query["sql"] for query in queries.captured_queries]
        assert ("ANALYZE audit_auditevent" in statements) is analysed
