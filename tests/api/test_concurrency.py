"""50 people change one record at once through the API: no acknowledged change is lost."""

import importlib
import threading

import pytest
from django.db import connection
from django.test import Client

from qorgau.audit.models import AuditEvent
from tests import factories
from tests.api.conftest import send
from tests.flushable import add_audit_triggers

WRITERS = 50

APPEND_ONLY = importlib.import_module("qorgau.audit.migrations.0002_append_only")

# transaction=True: each writer's thread has its own connection and sees only committed rows.
# serialized_rollback: the flush after the test must give back the reference data.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'",
        reason="needs PostgreSQL: SQLite has one writer at a time, so nothing runs concurrently",
    ),
]


def _audit_triggers_present() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'audit_no_change'")
        return cursor.fetchone() is not None


@pytest.fixture(autouse=True, scope="module")
def audit_triggers_restored(django_db_blocker):
    """After the module, the database is as the tests that follow expect it.

    The flush that ends a transactional test empties every table, reference data included, and
    the audit trail's triggers were lifted for it: both come back here.
    """
    yield
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            return
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)
        if not _audit_triggers_present():
            with connection.schema_editor() as editor:
                add_audit_triggers(editor)


@pytest.fixture(autouse=True)
def audit_trail_flushable(transactional_db):
    """The flush that ends the test meets the append-only triggers: they are lifted for it."""
    yield
    with connection.schema_editor() as editor:
        APPEND_ONLY.drop_triggers(None, editor)


def increment(user, juvenile_id: int, acknowledged: list[int], failures: list[str]) -> None:
    """Read the counter (kept in the address), add one, PATCH it with If-Match; retry on 412."""
    client = Client()
    client.force_login(user)
    url = f"/api/juveniles/{juvenile_id}"
    try:
        for _attempt in range(500):
            reading = client.get(url)
            value = int(reading.json()["address"] or 0)
            answer = send(
                client, "patch", url, {"address": str(value + 1)}, if_match=reading["ETag"]
            )
            if answer.status_code == 200:
                acknowledged.append(value + 1)
                return
            if answer.status_code != 412:
                failures.append(f"{answer.status_code}: {answer.content[:200]!r}")
                return
        failures.append("gave up after 500 attempts")
    finally:
        connection.close()


def test_fifty_concurrent_read_modify_writes_lose_nothing(investigator):
    juvenile = factories.juvenile(investigator)
    writers = [
        factories.staff("investigator", investigator.agency, username=f"writer{n}")
        for n in range(WRITERS)
    ]
    acknowledged: list[int] = []
    failures: list[str] = []
    start = threading.Barrier(WRITERS)

    def run(user):
        try:
            start.wait(timeout=60)
        finally:
            increment(user, juvenile.pk, acknowledged, failures)

    threads = [threading.Thread(target=run, args=(user,)) for user in writers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert failures == []
    # Every 200 answered one increment, each from the value the one before it wrote.
    assert sorted(acknowledged) == list(range(1, WRITERS + 1))
    juvenile.refresh_from_db()
    assert juvenile.address == str(WRITERS)
    assert juvenile.version == 1 + WRITERS
    updates = AuditEvent.objects.filter(action="juvenile.update", subject_id=str(juvenile.pk))
    assert updates.count() == WRITERS
