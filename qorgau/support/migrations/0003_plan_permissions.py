"""Who reads, draws up and works individual support plans (docs/support-plan.md).

Plan makers are the accompanying services of the seed Concept (section 4.7); institution staff
also take tasks; the case team (investigators, prosecutors, defenders, judges) reads the plans of
minors in its cases. Self-contained: it names the groups and codenames, imports no project code.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MAKERS = [
    "court_social_worker", "social_psychologist", "probation_inspector",
    "juvenile_police_inspector", "child_rights_specialist",
]  # fmt: skip
TAKERS = [*MAKERS, "institution_staff"]
READERS = [*TAKERS, "investigator", "prosecutor", "defence_lawyer", "judge"]

MAKER_PERMISSIONS = [
    "add_supportplan", "change_supportplan", "add_planneed", "add_plantask",
]  # fmt: skip
TAKER_PERMISSIONS = ["change_plantask"]
READER_PERMISSIONS = ["view_supportplan", "view_planneed", "view_plantask"]


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
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="support")}
    for names, codenames in (
        (READERS, READER_PERMISSIONS),
        (TAKERS, TAKER_PERMISSIONS),
        (MAKERS, MAKER_PERMISSIONS),
    ):
        for group in Group.objects.filter(name__in=names):
            group.permissions.add(*(perms[codename] for codename in codenames))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    codenames = READER_PERMISSIONS + TAKER_PERMISSIONS + MAKER_PERMISSIONS
    plan = Permission.objects.filter(content_type__app_label="support", codename__in=codenames)
    for group in apps.get_model("auth", "Group").objects.filter(name__in=READERS):
        group.permissions.remove(*plan)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0002_assessment_permissions"),
        ("accounts", "0003_psychology_intern_group"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
