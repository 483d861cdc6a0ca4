"""Backup and restore of the whole database: `qorgau backup` and `qorgau restore`.

PostgreSQL: pg_dump in its custom format, and pg_restore in one transaction (all or nothing).
Both tools must be on PATH and at least as new as the server (an older pg_dump refuses a newer
server; an older pg_restore may not read what it wrote). SQLite: the sqlite3 backup API, which
copies a consistent snapshot and, restoring, replaces the target in one transaction.

A restore refuses a target that already holds tables unless told to replace it (`force`).
"""

import datetime
import os
import re
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import dj_database_url
import psycopg
from django.conf import settings
from django.core.management.base import CommandError

TIMEOUT = 6 * 60 * 60  # seconds; a national database is large, a hung tool is not
VERSION = re.compile(r"\b(\d+)(?:\.\d+)?")


@dataclass(frozen=True)
class Target:
    """The database to back up or restore into, from a Django alias or a DATABASE_URL."""

    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""

    @property
    def is_postgresql(self) -> bool:
        return "postgresql" in self.engine

    @property
    def is_sqlite(self) -> bool:
        return "sqlite" in self.engine

    def conninfo(self) -> dict[str, Any]:
        info = {"dbname": self.name, "user": self.user, "host": self.host, "port": self.port}
        info["password"] = self.password
        return {key: value for key, value in info.items() if value}

    def tool_env(self) -> dict[str, str]:
        """libpq environment for pg_dump/pg_restore: the password never on the command line."""
        env = {**os.environ}
        for key, value in (
            ("PGDATABASE", self.name),
            ("PGUSER", self.user),
            ("PGPASSWORD", self.password),
            ("PGHOST", self.host),
            ("PGPORT", str(self.port)),
        ):
            if value:
                env[key] = value
        return env


def target(alias: str = "default", url: str | None = None) -> Target:
    config: Any = dj_database_url.parse(url) if url else settings.DATABASES[alias]
    engine = str(config.get("ENGINE", ""))
    target = Target(
        engine=engine,
        name=str(config.get("NAME", "")),
        user=str(config.get("USER") or ""),
        password=str(config.get("PASSWORD") or ""),
        host=str(config.get("HOST") or ""),
        port=str(config.get("PORT") or ""),
    )
    if not (target.is_postgresql or target.is_sqlite):
        raise CommandError(f"Backup supports PostgreSQL and SQLite, not {engine}.")
    return target


# PostgreSQL


def server_major(db: Target) -> int:
    try:
        with psycopg.connect(**db.conninfo(), connect_timeout=10) as connection:
            return connection.info.server_version // 10000
    except psycopg.Error as error:
        raise CommandError(f"Cannot connect to the database {db.name!r}: {error}") from error


def tool(name: str, db: Target) -> str:
    """The path of pg_dump or pg_restore, checked against the server's major version."""
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            f"{name} is not installed or not on PATH; install the PostgreSQL client of the "
            f"server's version (Debian: postgresql-client-{server_major(db)})."
        )
    output = subprocess.run(  # noqa: S603 - a fixed tool path, no shell
        [path, "--version"], capture_output=True, text=True, check=False, timeout=60
    ).stdout
    match = VERSION.search(output)
    if match is None:
        raise CommandError(f"Cannot read the version of {name}: {output!r}")
    major, server = int(match.group(1)), server_major(db)
    if major < server:
        raise CommandError(
            f"{name} {major} is older than the PostgreSQL {server} server; install the client "
            f"of version {server} or newer."
        )
    return path


def run(command: list[str], db: Target, what: str) -> None:
    result = subprocess.run(  # noqa: S603 - fixed arguments, no shell
        command, env=db.tool_env(), capture_output=True, text=True, check=False, timeout=TIMEOUT
    )
    if result.returncode != 0:
        raise CommandError(f"{what} failed ({result.returncode}): {result.stderr.strip()}")


def pg_tables(db: Target) -> list[str]:
    query = (
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    )
    with psycopg.connect(**db.conninfo(), connect_timeout=10) as connection:
        return [row[0] for row in connection.execute(query)]


def pg_backup(db: Target, output: Path) -> None:
    pg_dump = tool("pg_dump", db)
    run([pg_dump, "--format=custom", "--no-owner", f"--file={output}"], db, "pg_dump")


def pg_restore(db: Target, source: Path, force: bool) -> None:
    pg_restore_path = tool("pg_restore", db)
    run([pg_restore_path, "--list", str(source)], db, f"Reading {source} as a pg_dump archive")
    tables = pg_tables(db)
    if tables and not force:
        raise CommandError(refusal(db.name, len(tables)))
    command = [pg_restore_path, "--single-transaction", "--exit-on-error", "--no-owner"]
    if tables:
        command += ["--clean", "--if-exists"]
    run([*command, f"--dbname={db.name}", str(source)], db, "pg_restore")


# SQLite


def sqlite_tables(path: str) -> list[str]:
    if not Path(path).exists():
        return []
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        return [row[0] for row in rows]


def sqlite_copy(source: sqlite3.Connection, destination: str) -> None:
    target_connection = sqlite3.connect(destination)
    try:
        # One step: the whole copy commits at once or, on an error, not at all.
        source.backup(target_connection, pages=-1)
    finally:
        target_connection.close()


def sqlite_backup(db: Target, alias: str, url: str | None, output: Path) -> None:
    if url is None:
        from django.db import connections

        connection = connections[alias]
        connection.ensure_connection()
        sqlite_copy(connection.connection, str(output))  # the live (even in-memory) database
        return
    if not Path(db.name).exists():
        raise CommandError(f"There is no SQLite database at {db.name}.")
    source = sqlite3.connect(db.name)
    try:
        sqlite_copy(source, str(output))
    finally:
        source.close()


def sqlite_restore(db: Target, source_path: Path, force: bool) -> None:
    if ":memory:" in db.name or "mode=memory" in db.name:
        raise CommandError("An in-memory SQLite database cannot be restored into.")
    try:
        with sqlite3.connect(f"file:{source_path}?mode=ro", uri=True) as source:
            source.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{source_path} is not an SQLite database: {error}") from error
    tables = sqlite_tables(db.name)
    if tables and not force:
        raise CommandError(refusal(db.name, len(tables)))
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    try:
        sqlite_copy(source, db.name)
    finally:
        source.close()


# Both


def refusal(name: str, count: int) -> str:
    return (
        f"The database {name!r} already holds {count} tables. Restore into an empty database, "
        "or pass --force to replace what it holds."
    )


def default_output(db: Target) -> Path:
    stamp = datetime.datetime.now(tz=datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    suffix = "dump" if db.is_postgresql else "sqlite3"
    name = Path(db.name).stem if db.is_sqlite else db.name
    return Path(settings.BASE_DIR) / "var" / "backups" / f"qorgau-{name}-{stamp}.{suffix}"


def backup(alias: str = "default", url: str | None = None, output: Path | None = None) -> Path:
    db = target(alias, url)
    output = output or default_output(db)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if db.is_postgresql:
            pg_backup(db, partial)
        else:
            sqlite_backup(db, alias, url, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(output)  # a file named as a backup is always a whole one
    return output


def restore(
    source: Path, alias: str = "default", url: str | None = None, force: bool = False
) -> None:
    if not source.is_file():
        raise CommandError(f"There is no backup file at {source}.")
    db = target(alias, url)
    if db.is_postgresql:
        pg_restore(db, source, force)
    else:
        sqlite_restore(db, source, force)
