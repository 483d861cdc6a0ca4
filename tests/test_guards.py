"""Project-wide guards: migrations, translations, deployment settings, service-layer shape."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "qorgau"


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_message_is_translated(language):
    path = PACKAGE / "locale" / language / "LC_MESSAGES" / "django.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    untranslated = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert untranslated == []


def test_a_required_field_error_comes_back_in_kazakh_and_russian():
    from django import forms
    from django.utils import translation

    class Form(forms.Form):
        name = forms.CharField()

    with translation.override("kk"):
        kk = Form({}).errors["name"][0]
    with translation.override("ru"):
        ru = Form({}).errors["name"][0]
    assert kk == "Бұл өрісті толтыру міндетті."
    assert ru != "This field is required." and ru != kk


def test_production_settings_pass_the_deployment_check():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + "-production-check-only-0123456789abcdefghijklmnop",
        "ALLOWED_HOSTS": "qorgau.example.kz",
        "DATABASE_URL": "sqlite:////tmp/qorgau-deploy-check.sqlite3",
    }
    env.pop("QORGAU_TESTING", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"QORGAU_TESTING", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
    }
    env["DEBUG"] = "false"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


WRITE = re.compile(
    r"\.(save|delete|bulk_create|bulk_update)\(|\.objects\.(create|update|update_or_create|get_or_create)\("
)


def test_models_are_written_only_by_services():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        in_services = relative.endswith("services.py") or "/services/" in relative
        if "/migrations/" in relative or in_services or relative.endswith("models.py"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if WRITE.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


FLOORS = {
    "core": 1,
    "accounts": 2,
    "audit": 2,
    "people": 3,
    "proceedings": 4,
    "safeguards": 5,
    "defence": 5,
    "support": 5,
    "mediation": 5,
    "courts": 5,
    "probation": 5,
    "institutions": 5,
    "prevention": 5,
    "indicators": 6,
    "api": 7,
    "web": 7,
    "demo": 7,
}
IMPORT = re.compile(r"^\s*(?:from|import) qorgau\.(\w+)", re.M)
# Apps of one floor use each other only where the flow needs it (architecture.md), each use
# named here: a hearing is judged by the safeguards' presence rules, the court social
# worker's report takes the risk level of the child's assessment, and a release opens its
# re-socialization plan on the support plan.
FLOWS = {("courts", "safeguards"), ("courts", "support"), ("probation", "support")}


def test_apps_import_only_apps_on_lower_floors():
    upward = []
    for app, floor in FLOORS.items():
        for path in (PACKAGE / app).rglob("*.py") if (PACKAGE / app).exists() else []:
            for imported in IMPORT.findall(path.read_text(encoding="utf-8")):
                same_floor_pair = (floor == 2 and imported in {"accounts", "audit"}) or (
                    app,
                    imported,
                ) in FLOWS
                if imported in FLOORS and imported != app and FLOORS[imported] >= floor:
                    if same_floor_pair:
                        continue
                    upward.append(f"{path.relative_to(ROOT)} imports qorgau.{imported}")
    assert upward == []


def test_no_template_loads_assets_from_the_network():
    remote = re.compile(r"""<(script|link)[^>]+(src|href)=["']https?://""", re.I)
    found = [
        str(p.relative_to(ROOT))
        for p in PACKAGE.rglob("*.html")
        if remote.search(p.read_text(encoding="utf-8"))
    ]
    assert found == []
