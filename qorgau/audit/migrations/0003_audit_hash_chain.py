"""Hash-chain the audit trail, rows already present included; who may see a child's trail.

The append-only triggers are lifted for the length of this migration only (on PostgreSQL
inside its transaction), to write the two hash columns of the existing rows, and stand
again at its end. SQLite rebuilds the table to add the columns, which drops its triggers
anyway: they are made again with the same names.

The hash function is a frozen copy of version 1 of qorgau/audit/chain.py, so that this
migration keeps computing what it computed when it was written.
"""

import datetime
import hashlib
import ipaddress
import json

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

TABLE = "audit_auditevent"
MESSAGE = "audit events are append-only"
GENESIS = "0" * 64
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
)
JSON_FIELDS = ("fields", "changes", "details")
CHUNK = 2000

SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_no_update;", "DROP TRIGGER IF EXISTS audit_no_delete;"]
SQLITE_ADD = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
POSTGRES_DROP = [f"ALTER TABLE {TABLE} DISABLE TRIGGER audit_no_change;"]
POSTGRES_ADD = [f"ALTER TABLE {TABLE} ENABLE TRIGGER audit_no_change;"]


def _json_value(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


def _row_hash(values, prev_hash):
    document = {
        "at": values["at"].astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": None if values["actor_id"] is None else int(values["actor_id"]),
        "ip_address": (
            str(ipaddress.ip_address(str(values["ip_address"])))
            if values["ip_address"] not in (None, "")
            else None
        ),
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
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_DROP if postgres else SQLITE_DROP:
        schema_editor.execute(sql)


def restore_triggers(apps, schema_editor):
    postgres = schema_editor.connection.vendor == "postgresql"
    for sql in POSTGRES_ADD if postgres else SQLITE_ADD:
        schema_editor.execute(sql)


def chain_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    prev_hash, last_id = GENESIS, 0
    while True:
        rows = list(
            AuditEvent.objects.filter(id__gt=last_id)
            .order_by("id")
            .values("id", *HASHED_FIELDS)[:CHUNK]
        )
        if not rows:
            return
        updates = []
        for row in rows:
            row_hash = _row_hash(row, prev_hash)
            updates.append((prev_hash, row_hash, row["id"]))
            prev_hash, last_id = row_hash, row["id"]
        with schema_editor.connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE audit_auditevent SET prev_hash = %s, row_hash = %s WHERE id = %s", updates
            )


def grant_record_trail(apps, schema_editor):
    app_config = apps.get_app_config("audit")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    trail = Permission.objects.get(content_type__app_label="audit", codename="view_record_trail")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=["prosecutor", "child_rights_specialist"]
    ):
        group.permissions.add(trail)


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only"),
        ("accounts", "0003_psychology_intern_group"),
    ]

    operations = [
        migrations.RunPython(lift_triggers, restore_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(
                default="",
                editable=False,
                max_length=64,
                verbose_name="hash of the previous event",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(
                default="", editable=False, max_length=64, verbose_name="hash of this event"
            ),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="auditevent",
            options={
                "ordering": ["-at", "-id"],
                "permissions": [("view_record_trail", "Can see who saw a child's record")],
                "verbose_name": "audit event",
                "verbose_name_plural": "audit trail",
            },
        ),
        migrations.RemoveIndex(model_name="auditevent", name="audit_audit_subject_7c9afd_idx"),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["subject_type", "subject_id", "at", "id"], name="audit_subject_time_idx"
            ),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(restore_triggers, lift_triggers),
        migrations.RunPython(grant_record_trail, migrations.RunPython.noop),
    ]
