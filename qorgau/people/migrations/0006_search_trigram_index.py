"""A trigram index for the name search, on PostgreSQL only.

`JuvenileQuerySet.matching` finds a name anywhere in `search_key` (LIKE '%token%'), which a
B-tree cannot serve: without this index every search reads the whole national register.
pg_trgm ships with PostgreSQL and is a trusted extension (the database owner may create it).
SQLite, the demo's database, keeps its plain scan: a demo register is small.
"""

from django.db import migrations

INDEX = "people_juvenile_search_key_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON people_juvenile USING gin (search_key gin_trgm_ops)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("people", "0005_record_versions")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
