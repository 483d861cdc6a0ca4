"""`qorgau backup` and `qorgau restore`: a round trip gives an identical database.

On PostgreSQL: the test database (with the demo data committed) is backed up and restored
into <name>_src, which is backed up and restored into <name>_dst; every table of src and dst
has the same number of rows and the same checksum (md5 of its rows' text, ordered). On SQLite
the same with database files.
"""

import hashlib
import sqlite3
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from qorgau.core import backup
from tests import factories
from tests.flushable import audit_trail_flushable, audit_triggers_restored  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("audit_trail_flushable"),
]
POSTGRESQL = connection.vendor == "postgresql"


def some_records() -> None:
    investigator = factories.staff("investigator", username="backup-investigator")
    for _ in range(3):
        factories.juvenile(investigator, school="<script>alert(1)</script> № 41 мектеп")


# PostgreSQL


def pg_url(name: str) -> str:
    settings = connection.settings_dict
    user = settings["USER"] or "postgres"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or "5432"
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def admin_execute(sql: str) -> None:
    with psycopg.connect(
        pg_url("postgres").replace("postgres://", "postgresql://"), autocommit=True
    ) as db:
        db.execute(sql)


@pytest.fixture
def pg_databases():
    """Empty <name>_src and <name>_dst next to the test database, dropped afterwards."""
    base = connection.settings_dict["NAME"].removeprefix("test_")
    names = [f"{base}_src", f"{base}_dst"]
    for name in names:
        admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin_execute(f'CREATE DATABASE "{name}"')
    yield names
    for name in names:
        admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_fingerprint(name: str) -> dict[str, tuple[int, str]]:
    """{table: (rows, md5 of the rows' text in order)} for every table of the database."""
    found = {}
    with psycopg.connect(pg_url(name).replace("postgres://", "postgresql://")) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' "
                "ORDER BY 1"
            )
        ]
        for table in tables:
            count, digest = db.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) "
                f"FROM {table} t"
            ).fetchone()
            found[table] = (count, digest)
    return found


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL only")
def test_a_postgresql_round_trip_gives_identical_tables(tmp_path, pg_databases):
    some_records()
    src, dst = pg_databases
    first, second = tmp_path / "test.dump", tmp_path / "src.dump"
    call_command("backup", output=first)
    call_command("restore", str(first), database_url=pg_url(src))
    call_command("backup", output=second, database_url=pg_url(src))
    call_command("restore", str(second), database_url=pg_url(dst))
    source, copy = pg_fingerprint(src), pg_fingerprint(dst)
    assert source == copy
    assert source["people_juvenile"][0] == 3
    assert source["core_territory"][0] >= 50  # the reference data too
    # The test database itself holds the same rows as its copy.
    test_db = pg_fingerprint(connection.settings_dict["NAME"])
    assert test_db["people_juvenile"] == source["people_juvenile"]


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL only")
def test_restore_refuses_a_database_that_holds_tables(tmp_path, pg_databases):
    src, _ = pg_databases
    dump = tmp_path / "test.dump"
    call_command("backup", output=dump)
    call_command("restore", str(dump), database_url=pg_url(src))
    with pytest.raises(CommandError, match=r"already holds .* tables.*--force"):
        call_command("restore", str(dump), database_url=pg_url(src))
    call_command("restore", str(dump), database_url=pg_url(src), force=True)


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL only")
def test_a_failed_restore_leaves_the_target_untouched(tmp_path, pg_databases):
    src, _ = pg_databases
    broken = tmp_path / "broken.dump"
    broken.write_bytes(b"PGDMP not really an archive")
    with pytest.raises(CommandError, match="pg_dump archive"):
        call_command("restore", str(broken), database_url=pg_url(src))
    assert pg_fingerprint(src) == {}


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL only")
def test_the_tools_must_be_as_new_as_the_server(monkeypatch, pg_databases):
    monkeypatch.setattr(backup, "server_major", lambda db: 99)
    with pytest.raises(CommandError, match="older than the PostgreSQL 99 server"):
        backup.tool("pg_dump", backup.target())


# SQLite


def sqlite_fingerprint(path: Path) -> dict[str, tuple[int, str]]:
    with sqlite3.connect(path) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        found = {}
        for table in tables:
            rows = sorted(repr(row) for row in db.execute(f'SELECT * FROM "{table}"'))
            found[table] = (len(rows), hashlib.md5("\n".join(rows).encode()).hexdigest())
    return found


@pytest.mark.skipif(POSTGRESQL, reason="SQLite only")
def test_an_sqlite_round_trip_gives_identical_tables(tmp_path):
    some_records()
    first, copy = tmp_path / "test.sqlite3", tmp_path / "copy.sqlite3"
    call_command("backup", output=first)
    call_command("restore", str(first), database_url=f"sqlite:///{copy}")
    assert sqlite_fingerprint(first) == sqlite_fingerprint(copy)
    assert sqlite_fingerprint(copy)["people_juvenile"][0] == 3
    with pytest.raises(CommandError, match="already holds"):
        call_command("restore", str(first), database_url=f"sqlite:///{copy}")
    call_command("restore", str(first), database_url=f"sqlite:///{copy}", force=True)
    assert sqlite_fingerprint(first) == sqlite_fingerprint(copy)


@pytest.mark.skipif(POSTGRESQL, reason="SQLite only")
def test_restore_refuses_a_file_that_is_no_database(tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CommandError, match="not an SQLite database"):
        call_command("restore", str(broken), database_url=f"sqlite:///{tmp_path / 'x.sqlite3'}")


def test_restore_refuses_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "missing"))
