"""Which roles read and which register juveniles' records."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = [
    "investigator",
    "juvenile_police_inspector",
    "prosecutor",
    "defence_lawyer",
    "social_psychologist",
    "judge",
    "court_social_worker",
    "probation_inspector",
    "institution_staff",
    "child_rights_specialist",
]
WRITERS = [
    "investigator",
    "juvenile_police_inspector",
    "social_psychologist",
    "court_social_worker",
    "probation_inspector",
    "institution_staff",
    "child_rights_specialist",
]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps, "people")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="people")}
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(perms["view_juvenile"])
    for group in Group.objects.filter(name__in=WRITERS):
        group.permissions.add(perms["add_juvenile"], perms["change_juvenile"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=READERS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="people"))


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial"), ("accounts", "0002_role_groups")]
    operations = [migrations.RunPython(grant, revoke)]
