"""Who may do what with social-psychological portraits.

Social psychologists keep portraits and sign reports; psychology-student interns record
interviews, documents and notes but never sign; everyone who reads cases may read the issued
reports of the cases their agency takes part in (the queries narrow it to the consultation for
working material and to signed versions for the others).
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = [
    "portrait",
    "interview",
    "collecteddocument",
    "workingnote",
    "portraitreport",
    "disclosure",
]
PSYCHOLOGISTS = ["social_psychologist"]
INTERNS = ["psychology_intern"]
READERS = [
    "investigator", "juvenile_police_inspector", "prosecutor", "defence_lawyer", "judge",
    "court_social_worker", "probation_inspector", "child_rights_specialist",
]  # fmt: skip

PSYCHOLOGIST_PERMS = [
    *(f"{action}_{model}" for model in MODELS for action in ("view", "add")),
    "change_portraitreport",
    "sign_portraitreport",
]
INTERN_PERMS = [
    *(f"view_{model}" for model in MODELS),
    "add_interview",
    "add_collecteddocument",
    "add_workingnote",
]
READER_PERMS = ["view_portrait", "view_portraitreport"]


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
        (PSYCHOLOGISTS, PSYCHOLOGIST_PERMS),
        (INTERNS, INTERN_PERMS),
        (READERS, READER_PERMS),
    ):
        for group in Group.objects.filter(name__in=names):
            group.permissions.add(*(perms[codename] for codename in codenames))
    # An intern works on the cases of the consultation: they must be able to open them.
    view_case = Permission.objects.filter(
        content_type__app_label="proceedings", codename="view_proceeding"
    ).first()
    if view_case is not None:
        for group in Group.objects.filter(name__in=INTERNS):
            group.permissions.add(view_case)


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    codenames = {*PSYCHOLOGIST_PERMS, *INTERN_PERMS, *READER_PERMS}
    mine = Permission.objects.filter(content_type__app_label="support", codename__in=codenames)
    for group in apps.get_model("auth", "Group").objects.filter(
        name__in=[*PSYCHOLOGISTS, *INTERNS, *READERS]
    ):
        group.permissions.remove(*mine)


class Migration(migrations.Migration):
    dependencies = [
        ("support", "0003_plan_permissions"),
        ("accounts", "0003_psychology_intern_group"),
        ("proceedings", "0002_role_permissions"),
    ]
    operations = [migrations.RunPython(grant, revoke)]
