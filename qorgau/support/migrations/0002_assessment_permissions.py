"""Who reads and who makes risk and needs assessments (only the codenames of Assessment)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# Those who decide and document the assessment.
ASSESSORS = [
    "court_social_worker", "social_psychologist", "probation_inspector",
    "juvenile_police_inspector",
]  # fmt: skip
# Those who take it into account in procedural decisions (seed 4.7) and guard the child's rights.
READERS = [
    *ASSESSORS, "investigator", "prosecutor", "defence_lawyer", "judge",
    "child_rights_specialist",
]  # fmt: skip
CODENAMES = ["view_assessment", "add_assessment", "change_assessment"]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps, "support")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="support", codename__in=CODENAMES
        )
    }
    for group in Group.objects.filter(name__in=READERS):
        group.permissions.add(perms["view_assessment"])
    for group in Group.objects.filter(name__in=ASSESSORS):
        group.permissions.add(perms["add_assessment"], perms["change_assessment"])


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="support", codename__in=CODENAMES)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=READERS):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial"), ("accounts", "0002_role_groups")]
    operations = [migrations.RunPython(grant, revoke)]
