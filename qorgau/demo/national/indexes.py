"""The load's database levers: secondary indexes down and up again, FK triggers skipped.

COPY into a table keeps every index up to date row by row; building an index once over the
loaded table is several times cheaper. So the load takes the secondary (non-unique) indexes
of the tables it fills down, writes their definitions into the run's ledger row first
(`GeneratorRun.indexes_down`, in the same transaction as the DROP), and builds them again at
its end, also when it fails. Primary keys and unique constraints stay: they guard the load.
A run whose ledger still lists indexes left them down (a killed process): `--resume` builds
them.

A superuser's load also skips the foreign-key triggers (`session_replication_role =
replica`, per transaction): the generator writes ids it made itself, and the tests check
every reference (`orphans`). Other roles load with the triggers.
"""

import json
import time
from typing import Any

from qorgau.demo.national.tables import TABLES

MAINTENANCE_WORK_MEM = "512MB"

_SECONDARY = """
SELECT c.relname, pg_get_indexdef(i.indexrelid)
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_class t ON t.oid = i.indrelid
WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary
  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
ORDER BY t.relname, c.relname
"""


def secondary_indexes(cursor: Any) -> list[list[str]]:
    """[name, definition] of the non-unique indexes of the filled tables that exist now."""
    cursor.execute(_SECONDARY, [list(TABLES)])
    return [[name, definition] for name, definition in cursor.fetchall()]


def ledger(cursor: Any, run_id: int) -> list[list[str]]:
    cursor.execute("SELECT indexes_down FROM demo_generatorrun WHERE id = %s", [run_id])
    row = cursor.fetchone()
    value = row[0] if row else []
    return list(json.loads(value) if isinstance(value, str) else value or [])


def take_down(cursor: Any, run_id: int) -> list[list[str]]:
    """Record, then drop, the secondary indexes (with those an earlier attempt left down)."""
    down = ledger(cursor, run_id)
    known = {name for name, _ in down}
    current = secondary_indexes(cursor)
    down += [pair for pair in current if pair[0] not in known]
    cursor.execute(
        "UPDATE demo_generatorrun SET indexes_down = %s WHERE id = %s", [json.dumps(down), run_id]
    )
    for name, _ in current:
        cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
    return down


def build_again(cursor: Any, run_id: int) -> float:
    """Build every index the ledger lists, then clear it; the seconds it took."""
    started = time.monotonic()
    cursor.execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
    for _name, definition in ledger(cursor, run_id):
        cursor.execute(definition.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    cursor.execute("UPDATE demo_generatorrun SET indexes_down = '[]' WHERE id = %s", [run_id])
    cursor.execute("RESET maintenance_work_mem")
    return time.monotonic() - started


def superuser(cursor: Any) -> bool:
    """Whether this role may switch the FK triggers off (session_replication_role)."""
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    return bool(row and row[0])


_FOREIGN_KEYS = """
SELECT t.relname, a.attname, p.relname, pa.attname
FROM pg_constraint k
JOIN pg_class t ON t.oid = k.conrelid
JOIN pg_class p ON p.oid = k.confrelid
JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = k.confkey[1]
WHERE k.contype = 'f' AND t.relname = ANY(%s) AND array_length(k.conkey, 1) = 1
ORDER BY t.relname, a.attname
"""


def orphans(cursor: Any) -> dict[str, int]:
    """References of the filled tables that point at no row ("table.column" -> count)."""
    cursor.execute(_FOREIGN_KEYS, [list(TABLES)])
    found = {}
    for table, column, parent, key in cursor.fetchall():
        cursor.execute(
            f'SELECT count(*) FROM "{table}" c WHERE c."{column}" IS NOT NULL AND NOT EXISTS '  # noqa: S608
            f'(SELECT 1 FROM "{parent}" p WHERE p."{key}" = c."{column}")'
        )
        count = cursor.fetchone()[0]
        if count:
            found[f"{table}.{column}"] = count
    return found
