"""One permission group per staff role; administrators manage agencies, staff and trainings."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = [
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
    "analyst",
    "administrator",
]
ADMINISTRATOR_PERMISSIONS = [
    "add_agency",
    "change_agency",
    "view_agency",
    "add_user",
    "change_user",
    "view_user",
    "add_training",
    "view_training",
]


def ensure_permissions(apps, label):
    # Permissions are normally made after migrate; a data migration that grants them makes them first.
    app_config = apps.get_app_config(label)
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None


def create_groups(apps, schema_editor):
    ensure_permissions(apps, "accounts")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        Group.objects.get_or_create(name=role)
    admin = Group.objects.get(name="administrator")
    admin.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=ADMINISTRATOR_PERMISSIONS
        )
    )


def drop_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, drop_groups)]
