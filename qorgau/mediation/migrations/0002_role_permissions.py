"""Case readers see mediations; referrers refer; social psychologists conduct them as mediators."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = [
    "investigator", "juvenile_police_inspector", "prosecutor", "defence_lawyer",
    "social_psychologist", "judge", "court_social_worker", "probation_inspector",
    "child_rights_specialist",
]  # fmt: skip
REFERRERS = ["investigator", "judge", "defence_lawyer"]
MEDIATORS = ["social_psychologist"]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps, "mediation")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="mediation")}
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(perms["view_mediation"])
    for group in Group.objects.filter(name__in=REFERRERS):
        group.permissions.add(perms["add_mediation"])
    for group in Group.objects.filter(name__in=MEDIATORS):
        group.permissions.add(perms["change_mediation"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    mediation = Permission.objects.filter(content_type__app_label="mediation")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=READERS):
        group.permissions.remove(*mediation)


class Migration(migrations.Migration):
    dependencies = [("mediation", "0001_initial"), ("accounts", "0003_psychology_intern_group")]
    operations = [migrations.RunPython(grant, revoke)]
