"""Tests whose transactions really commit, so the sealing after commit runs as in production.

Such a test (`transaction=True`) ends with a flush of every table, which the append-only
triggers refuse: they stand during the test and are lifted only for that flush, then put back
with the reference data the flush removed, for the tests after it. Keep these tests in modules
of their own (`committed_trail` restores at the module's end).
"""

import pytest
from django.db import connection

from qorgau.audit.models import AuditEvent

TABLE = AuditEvent._meta.db_table
POSTGRES_TRIGGERS = ("audit_no_change", "audit_no_truncate")


def _sqlite_triggers() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE]
        )
        return list(cursor.fetchall())


@pytest.fixture(scope="module")
def _triggers_back_after_the_flush(django_db_setup, django_db_blocker):
    """Module scope: its teardown runs after the last test's flush."""
    with django_db_blocker.unblock():
        saved = _sqlite_triggers() if connection.vendor == "sqlite" else []
    yield saved
    with django_db_blocker.unblock():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for name in POSTGRES_TRIGGERS:
                    cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {name}")
            elif not _sqlite_triggers():
                for _, sql in saved:
                    cursor.execute(sql)
        connection.creation.deserialize_db_from_string(connection._test_serialized_contents)


@pytest.fixture
def committed_trail(_triggers_back_after_the_flush):
    """Use with @pytest.mark.django_db(transaction=True, serialized_rollback=True)."""
    saved = _triggers_back_after_the_flush
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in POSTGRES_TRIGGERS:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {name}")
        elif not _sqlite_triggers():
            for _, sql in saved:
                cursor.execute(sql)
    yield
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in POSTGRES_TRIGGERS:
                cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {name}")
        else:
            for name, _ in _sqlite_triggers():
                cursor.execute(f"DROP TRIGGER {name}")
