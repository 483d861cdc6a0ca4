"""Psychology-student interns of the juvenile legal consultations (seed, section 4.4)."""

from django.db import migrations


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name="psychology_intern")


def drop_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="psychology_intern").delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_role_groups")]
    operations = [migrations.RunPython(create_group, drop_group)]
