"""The chain is sealed after commit: `chain_seq`, chain columns NULL until sealed, new triggers.

Rows are now inserted unsealed and linked by the sealer (audit/sealer.py) shortly after
their commit, in the sealer's order, numbered by `chain_seq`, which is part of the hashed
content (version 2 of the canonical form, frozen below). The rows already present get
`chain_seq` 1, 2, … in id order (their order in the version 1 chain) and new hashes.

The append-only triggers still refuse every DELETE (and TRUNCATE) and every UPDATE, except
the sealing: the three chain columns from NULL to values, every other column unchanged. On
PostgreSQL the trigger function compares the whole row with the chain columns blanked, so a
column added later is protected without changing it; SQLite has no row values, so its
trigger names every column of the table as it is here (a later migration that rebuilds the
table on SQLite drops the triggers and must make them again, as this one does).
"""

import datetime
import hashlib
import importlib
import ipaddress
import json

from django.conf import settings
from django.db import migrations, models

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"
GENESIS = "0" * 64
CHAIN = ("chain_seq", "prev_hash", "row_hash")
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "actor_agency",
    "action",
    "subject_type",
    "subject_id",
    "subject_label",
    "fields",
    "changes",
    "details",
    "channel",
    "ip_address",
    "user_agent",
    "chain_seq",
)
JSON_FIELDS = ("fields", "changes", "details")
CHUNK = 2000

POSTGRES_OLD_FUNCTION = f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;"""
POSTGRES_SEAL_FUNCTION = f"""CREATE OR REPLACE FUNCTION audit_append_only() RETURNS trigger AS $$
    DECLARE unchained {TABLE};
    BEGIN
        IF TG_OP = 'UPDATE'
            AND OLD.chain_seq IS NULL AND OLD.prev_hash IS NULL AND OLD.row_hash IS NULL
            AND NEW.chain_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL
            AND NEW.row_hash IS NOT NULL
        THEN
            unchained := NEW;
            unchained.chain_seq := NULL;
            unchained.prev_hash := NULL;
            unchained.row_hash := NULL;
            IF unchained IS NOT DISTINCT FROM OLD THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION '{MESSAGE}';
    END; $$ LANGUAGE plpgsql;"""
SQLITE_OLD = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]


def _sqlite_seal_triggers(columns):
    unchanged = " AND ".join(f'NEW."{column}" IS OLD."{column}"' for column in columns)
    sealing = (
        "OLD.chain_seq IS NULL AND OLD.prev_hash IS NULL AND OLD.row_hash IS NULL "
        "AND NEW.chain_seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.row_hash IS NOT NULL "
        f"AND {unchanged}"
    )
    return [
        f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} WHEN NOT ({sealing}) "
        f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
        SQLITE_OLD[1],
    ]


def _json_value(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


def _row_hash(values, prev_hash):
    """Version 2 of qorgau/audit/chain.py's compute_row_hash, frozen."""
    document = {
        "at": values["at"].astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": None if values["actor_id"] is None else int(values["actor_id"]),
        "ip_address": (
            str(ipaddress.ip_address(str(values["ip_address"])))
            if values["ip_address"] not in (None, "")
            else None
        ),
        "chain_seq": int(values["chain_seq"]),
    }
    for name in HASHED_FIELDS:
        if name in document:
            continue
        value = values[name]
        if name in JSON_FIELDS:
            document[name] = _json_value(value)
        else:
            document[name] = "" if value is None else str(value)
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def lift_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_no_change;")
    else:
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


def restore_old_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_OLD_FUNCTION)
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_no_change;")
    else:
        for sql in SQLITE_DROP + SQLITE_OLD:
            schema_editor.execute(sql)


def add_seal_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(POSTGRES_SEAL_FUNCTION)
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_no_change;")
        return
    AuditEvent = apps.get_model("audit", "AuditEvent")
    columns = [
        field.column for field in AuditEvent._meta.concrete_fields if field.column not in CHAIN
    ]
    for sql in SQLITE_DROP + _sqlite_seal_triggers(columns):
        schema_editor.execute(sql)


def _rechain(apps, schema_editor, row_hash, with_seq):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    names = [name for name in HASHED_FIELDS if name != "chain_seq"]
    prev_hash, last_id, seq = GENESIS, 0, 0
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last_id).order_by("id").values("id", *names)[:CHUNK]
        )
        if not rows:
            return
        updates = []
        for row in rows:
            seq += 1
            row["chain_seq"] = seq
            digest = row_hash(row, prev_hash)
            updates.append(
                (seq, prev_hash, digest, row["id"]) if with_seq else (prev_hash, digest, row["id"])
            )
            prev_hash, last_id = digest, row["id"]
        sql = (
            "UPDATE audit_auditevent SET chain_seq = %s, prev_hash = %s, row_hash = %s WHERE id = %s"
            if with_seq
            else "UPDATE audit_auditevent SET prev_hash = %s, row_hash = %s WHERE id = %s"
        )
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(sql, updates)


def chain_existing_rows(apps, schema_editor):
    _rechain(apps, schema_editor, _row_hash, with_seq=True)


def chain_existing_rows_version_1(apps, schema_editor):
    version_1 = importlib.import_module("qorgau.audit.migrations.0003_audit_hash_chain")
    _rechain(apps, schema_editor, version_1._row_hash, with_seq=False)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_audit_hash_chain"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(lift_triggers, restore_old_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="chain_seq",
            field=models.BigIntegerField(
                blank=True,
                editable=False,
                null=True,
                unique=True,
                verbose_name="place in the chain",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                null=True,
                verbose_name="hash of the previous event",
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                blank=True,
                editable=False,
                max_length=64,
                null=True,
                verbose_name="hash of this event",
            ),
        ),
        migrations.RunPython(chain_existing_rows, chain_existing_rows_version_1),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("chain_seq__isnull", True)),
                fields=["id"],
                name="audit_unsealed_idx",
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("chain_seq__isnull", True),
                        ("prev_hash__isnull", True),
                        ("row_hash__isnull", True),
                    ),
                    models.Q(
                        ("chain_seq__gte", 1),
                        ("chain_seq__isnull", False),
                        ("prev_hash__isnull", False),
                        ("row_hash__isnull", False),
                    ),
                    _connector="OR",
                ),
                name="audit_sealed_whole",
            ),
        ),
        migrations.RunPython(add_seal_triggers, lift_triggers),
    ]
