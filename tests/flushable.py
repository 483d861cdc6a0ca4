"""Transactional tests end with a flush of every table, which the audit trail's append-only
triggers refuse. Import `audit_trail_flushable` and `audit_triggers_restored` into a test
module and use the first: the triggers stand during the test and are lifted for the flush.
Once the module is done, the triggers and the rows the migrations loaded (reference data, role
groups) come back, so that the tests after it find the database as it was."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection

APPEND_ONLY = importlib.import_module("qorgau.audit.migrations.0002_append_only")
SEAL_ONLY = importlib.import_module("qorgau.audit.migrations.0004_audit_seal_after_commit")


def add_audit_triggers(editor) -> None:
    """The triggers as the migrations leave them: no change, except sealing the chain once."""
    APPEND_ONLY.add_triggers(None, editor)
    SEAL_ONLY.add_seal_triggers(django_apps, editor)


def triggers_present() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_trigger WHERE tgname = 'audit_no_change'")
        else:
            cursor.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'audit_no_update'"
            )
        return cursor.fetchone() is not None


@pytest.fixture(scope="module")
def audit_triggers_restored(django_db_blocker):
    yield
    with django_db_blocker.unblock():
        serialized = getattr(connection, "_test_serialized_contents", None)
        if serialized:
            connection.creation.deserialize_db_from_string(serialized)
        if not triggers_present():
            with connection.schema_editor() as editor:
                add_audit_triggers(editor)


@pytest.fixture
def audit_trail_flushable(audit_triggers_restored, transactional_db):
    if not triggers_present():
        with connection.schema_editor() as editor:
            add_audit_triggers(editor)
    yield
    with connection.schema_editor() as editor:
        APPEND_ONLY.drop_triggers(None, editor)
