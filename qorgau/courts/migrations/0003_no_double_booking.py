"""On PostgreSQL the database itself refuses a second hearing of the same judge, or in the
same courtroom, at an overlapping time (the service checks it first on every database)."""

from django.db import migrations

CONSTRAINTS = {
    "hearing_judge_not_twice": "judge_id",
    "hearing_courtroom_not_twice": "courtroom_id",
}


def add(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    for name, column in CONSTRAINTS.items():
        schema_editor.execute(
            f"ALTER TABLE courts_hearing ADD CONSTRAINT {name} EXCLUDE USING gist "
            f"({column} WITH =, tstzrange(starts_at, ends_at) WITH &&) "
            "WHERE (status IN ('scheduled', 'held'))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONSTRAINTS:
        schema_editor.execute(f"ALTER TABLE courts_hearing DROP CONSTRAINT IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("courts", "0002_role_permissions")]
    operations = [migrations.RunPython(add, drop)]
