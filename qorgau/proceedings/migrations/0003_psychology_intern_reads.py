"""Psychology-student interns read the records and cases their consultation works on."""

from django.db import migrations

READS = [("people", "view_juvenile"), ("proceedings", "view_proceeding")]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    intern = Group.objects.get(name="psychology_intern")
    for app_label, codename in READS:
        intern.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    intern = apps.get_model("auth", "Group").objects.get(name="psychology_intern")
    for app_label, codename in READS:
        intern.permissions.remove(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("proceedings", "0002_role_permissions"),
        ("people", "0002_role_permissions"),
        ("accounts", "0003_psychology_intern_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
