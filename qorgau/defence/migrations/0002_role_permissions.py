"""Who reads the roster, who keeps it, who assigns from it and who reads the response times."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROSTER_READERS = [
    "investigator", "juvenile_police_inspector", "prosecutor", "defence_lawyer",
    "social_psychologist", "psychology_intern", "judge", "analyst", "administrator",
]  # fmt: skip
ROSTER_KEEPERS = ["defence_lawyer", "social_psychologist", "administrator"]
TIME_READERS = [
    "investigator", "prosecutor", "defence_lawyer", "social_psychologist", "judge", "analyst",
    "administrator",
]  # fmt: skip
ASSIGNERS = ["investigator", "judge"]
GRANTS = [
    (ROSTER_READERS, ["view_dutyshift"]),
    (ROSTER_KEEPERS, ["add_dutyshift", "change_dutyshift"]),
    (TIME_READERS, ["view_ondutyassignment"]),
    (ASSIGNERS, ["add_ondutyassignment"]),
]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def grant(apps, schema_editor):
    ensure_permissions(apps, "defence")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="defence")}
    for groups, codenames in GRANTS:
        for group in Group.objects.filter(name__in=groups):
            group.permissions.add(*(perms[codename] for codename in codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    defence = Permission.objects.filter(content_type__app_label="defence")
    for group in apps.get_model("auth", "Group").objects.all():
        group.permissions.remove(*defence)


class Migration(migrations.Migration):
    dependencies = [
        ("defence", "0001_initial"),
        ("accounts", "0003_psychology_intern_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
