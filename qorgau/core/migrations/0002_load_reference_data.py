"""Load territories (KATO) and Criminal Code article parts from core/data/*.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def read_csv(name):
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    Territory = apps.get_model("core", "Territory")
    CriminalArticle = apps.get_model("core", "CriminalArticle")
    rows = read_csv("territory.csv")
    by_code = {}
    # Parents first: a row's parent is always a top-level unit in this file.
    for row in sorted(rows, key=lambda r: bool(r["parent_kato_code"])):
        by_code[row["kato_code"]] = Territory.objects.create(
            kato_code=row["kato_code"],
            parent=by_code.get(row["parent_kato_code"]),
            level=row["level"],
            name_kk=row["name_kk"],
            name_ru=row["name_ru"],
            name_en=row["name_en"],
            valid_from=row["valid_from"] or None,
        )
    CriminalArticle.objects.bulk_create(
        CriminalArticle(
            article=row["article"],
            part=row["part"],
            title_kk=row["title_kk"],
            title_ru=row["title_ru"],
            title_en=row["title_en"],
            gravity=row["category"],
            min_age=int(row["min_age"]),
            sanction_max_ru=row["sanction_max_ru"],
            source=row["source"],
            note=row["note"],
        )
        for row in read_csv("criminal-code-articles.csv")
    )


def unload(apps, schema_editor):
    apps.get_model("core", "CriminalArticle").objects.all().delete()
    Territory = apps.get_model("core", "Territory")
    Territory.objects.exclude(parent=None).delete()
    Territory.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
