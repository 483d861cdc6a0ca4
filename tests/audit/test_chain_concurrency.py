"""Concurrent writers on PostgreSQL: the advisory lock keeps the chain one line."""

import threading
import time

import pytest
from django.db import connection, connections, transaction

from qorgau.audit.models import AuditEvent
from qorgau.audit.services import record
from qorgau.audit.verify import verify_chain
from tests import factories

TABLE = AuditEvent._meta.db_table
WRITERS = 8
ROWS_EACH = 15

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


@pytest.fixture(scope="module")
def triggers_back_after_the_flush(django_db_blocker):
    """Module scope: its teardown runs after the function's flush.

    It puts the triggers back, and the reference data the migrations loaded (territories,
    articles, roles), which the flush removed and the tests after this one need.
    """
    yield
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_no_change")
            cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_no_truncate")
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@pytest.fixture
def flushable_trail(triggers_back_after_the_flush):
    yield
    # The flush at the test's end TRUNCATEs every table, which the triggers refuse.
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_no_change")
        cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_no_truncate")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_keep_one_chain(flushable_trail):
    actor = factories.staff("investigator")
    before = AuditEvent.objects.count()
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            for step in range(ROWS_EACH):
                with transaction.atomic():
                    record(actor=actor, action="juvenile.search", details={"w": number, "s": step})
                    time.sleep(0.001)  # other work after the audit row, lock still held
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == before + WRITERS * ROWS_EACH
    result = verify_chain()
    assert result.broken is None
    assert result.rows == before + WRITERS * ROWS_EACH
