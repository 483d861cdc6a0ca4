"""Who answers a child's request for their own record: the bodies that keep and protect it."""

from django.db import migrations

EXPORTERS = ["investigator", "juvenile_police_inspector", "prosecutor", "child_rights_specialist"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    app_config = apps.get_app_config("people")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perm = Permission.objects.get(content_type__app_label="people", codename="export_juvenile")
    for group in Group.objects.filter(name__in=EXPORTERS):
        group.permissions.add(perm)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Permission.objects.filter(content_type__app_label="people", codename="export_juvenile").delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0003_juvenile_retention_and_export")]
    operations = [migrations.RunPython(grant, revoke)]
