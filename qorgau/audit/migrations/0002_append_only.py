"""The database itself refuses to change or delete audit rows; prosecutors and administrators read them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MESSAGE = "audit events are append-only"
TABLE = "audit_auditevent"

SQLITE = [
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_REVERSE = ["DROP TRIGGER audit_no_update;", "DROP TRIGGER audit_no_delete;"]
POSTGRES = [
    f"""CREATE FUNCTION audit_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
    f"CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON {TABLE} FOR EACH ROW EXECUTE FUNCTION audit_append_only();",
    f"CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON {TABLE} FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only();",
]
POSTGRES_REVERSE = [
    f"DROP TRIGGER audit_no_truncate ON {TABLE};",
    f"DROP TRIGGER audit_no_change ON {TABLE};",
    "DROP FUNCTION audit_append_only();",
]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def add_triggers(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def drop_triggers(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


def grant_readers(apps, schema_editor):
    ensure_permissions(apps, "audit")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="audit", codename="view_auditevent")
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=["prosecutor", "administrator"]
    ):
        group.permissions.add(view)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("accounts", "0002_role_groups")]
    operations = [
        migrations.RunPython(add_triggers, drop_triggers),
        migrations.RunPython(grant_readers, migrations.RunPython.noop),
    ]
