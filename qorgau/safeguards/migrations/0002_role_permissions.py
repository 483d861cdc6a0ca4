"""Everyone who reads cases sees their flags; prosecutors answer them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = [
    "investigator", "juvenile_police_inspector", "prosecutor", "defence_lawyer",
    "social_psychologist", "judge", "court_social_worker", "probation_inspector",
    "child_rights_specialist",
]  # fmt: skip
ANSWERERS = ["prosecutor"]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps, "safeguards")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="safeguards")}
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(perms["view_violation"])
    for group in Group.objects.filter(name__in=ANSWERERS):
        group.permissions.add(perms["change_violation"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=READERS):
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="safeguards"))


class Migration(migrations.Migration):
    dependencies = [("safeguards", "0001_initial"), ("accounts", "0002_role_groups")]
    operations = [migrations.RunPython(grant, revoke)]
