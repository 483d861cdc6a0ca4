"""Case readers see supervisions and releases of their cases; probation inspectors keep them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READERS = [
    "investigator", "juvenile_police_inspector", "prosecutor", "defence_lawyer",
    "social_psychologist", "judge", "court_social_worker", "probation_inspector",
    "child_rights_specialist",
]  # fmt: skip
INSPECTORS = ["probation_inspector"]
KEPT = ["supervision", "checkin", "breach", "worklog", "release", "followup"]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps, "probation")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="probation")}
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(perms["view_supervision"], perms["view_release"])
    for group in Group.objects.filter(name__in=INSPECTORS):
        for model in KEPT:
            group.permissions.add(perms[f"add_{model}"], perms[f"change_{model}"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    probation = Permission.objects.filter(content_type__app_label="probation")
    for group in apps.get_model("auth", "Group").objects.filter(name__in=READERS):
        group.permissions.remove(*probation)


class Migration(migrations.Migration):
    dependencies = [("probation", "0001_initial"), ("accounts", "0003_psychology_intern_group")]
    operations = [migrations.RunPython(grant, revoke)]
