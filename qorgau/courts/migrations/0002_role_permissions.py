"""Who reads court cases, the judges who run them, the court social workers who file reports."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = [
    "investigator", "juvenile_police_inspector", "prosecutor", "defence_lawyer",
    "social_psychologist", "judge", "court_social_worker", "probation_inspector",
    "child_rights_specialist",
]  # fmt: skip
JUDGES = ["judge"]
SOCIAL_WORKERS = ["court_social_worker"]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps, "courts")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="courts")}
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(perms["view_courtcase"])
    for group in Group.objects.filter(name__in=JUDGES):
        group.permissions.add(perms["add_courtcase"], perms["change_courtcase"])
    for group in Group.objects.filter(name__in=SOCIAL_WORKERS):
        group.permissions.add(perms["add_socialworkerreport"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    courts = Permission.objects.filter(content_type__app_label="courts")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=READERS):
        group.permissions.remove(*courts)


class Migration(migrations.Migration):
    dependencies = [("courts", "0001_initial"), ("accounts", "0003_psychology_intern_group")]
    operations = [migrations.RunPython(grant, revoke)]
