"""Territories (KATO) and Criminal Code article parts loaded by core/migrations/0002."""

import csv
from pathlib import Path

import pytest

import qorgau.core
from qorgau.core.models import CriminalArticle, Gravity, Territory, TerritoryLevel

pytestmark = pytest.mark.django_db

DATA_DIR = Path(qorgau.core.__file__).resolve().parent / "data"

REGIONS = {
    "100000000": "Abai Region",
    "110000000": "Akmola Region",
    "150000000": "Aktobe Region",
    "190000000": "Almaty Region",
    "230000000": "Atyrau Region",
    "270000000": "West Kazakhstan Region",
    "310000000": "Zhambyl Region",
    "330000000": "Zhetisu Region",
    "350000000": "Karaganda Region",
    "390000000": "Kostanay Region",
    "430000000": "Kyzylorda Region",
    "470000000": "Mangystau Region",
    "550000000": "Pavlodar Region",
    "590000000": "North Kazakhstan Region",
    "610000000": "Turkistan Region",
    "620000000": "Ulytau Region",
    "630000000": "East Kazakhstan Region",
}
CITIES = {"710000000": "Astana", "750000000": "Almaty", "790000000": "Shymkent"}


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_loads_twenty_top_level_units_seventeen_regions_and_three_cities():
    top = Territory.objects.filter(parent=None)
    assert top.count() == 20
    assert {t.kato_code: t.name_en for t in top.filter(level=TerritoryLevel.REGION)} == REGIONS
    assert {t.kato_code: t.name_en for t in top.filter(level=TerritoryLevel.CITY)} == CITIES


def test_every_territory_has_all_three_names_and_a_nine_digit_code():
    assert Territory.objects.count() == len(read_csv("territory.csv"))
    for unit in Territory.objects.all():
        assert unit.name_kk.strip(), unit.kato_code
        assert unit.name_ru.strip(), unit.kato_code
        assert unit.name_en.strip(), unit.kato_code
        assert len(unit.kato_code) == 9
        assert unit.kato_code.isdigit() is True


def test_every_lower_unit_lies_in_a_top_level_unit_with_the_same_first_two_digits():
    for unit in Territory.objects.exclude(parent=None).select_related("parent"):
        assert unit.parent.parent_id is None
        assert unit.kato_code[:2] == unit.parent.kato_code[:2]


def test_territories_match_the_csv_row_by_row():
    for row in read_csv("territory.csv"):
        unit = Territory.objects.get(kato_code=row["kato_code"])
        assert (unit.parent.kato_code if unit.parent else "") == row["parent_kato_code"]
        assert unit.level == row["level"]
        assert (unit.name_kk, unit.name_ru, unit.name_en) == (
            row["name_kk"],
            row["name_ru"],
            row["name_en"],
        )
        assert (unit.valid_from.isoformat() if unit.valid_from else "") == row["valid_from"]


@pytest.mark.parametrize(
    ("kato_code", "parent_code", "names"),
    [
        ("751310000", "750000000", ("Әуезов ауданы", "Ауэзовский район", "Auezov District")),
        ("195200000", "190000000", ("Қарасай ауданы", "Карасайский район", "Karasai District")),
        ("750000000", None, ("Алматы қаласы", "город Алматы", "Almaty")),
        ("710000000", None, ("Астана қаласы", "город Астана", "Astana")),
        ("790000000", None, ("Шымкент қаласы", "город Шымкент", "Shymkent")),
        ("190000000", None, ("Алматы облысы", "Алматинская область", "Almaty Region")),
    ],
)
def test_loads_the_pilot_units_under_their_parents(kato_code, parent_code, names):
    unit = Territory.objects.get(kato_code=kato_code)
    assert (unit.parent.kato_code if unit.parent else None) == parent_code
    assert (unit.name_kk, unit.name_ru, unit.name_en) == names


def test_almaty_city_has_its_eight_districts():
    almaty = Territory.objects.get(kato_code="750000000")
    assert almaty.children.filter(level=TerritoryLevel.DISTRICT).count() == 8
    assert almaty.children.filter(name_en="Auezov District").exists() is True


def test_almaty_region_includes_karasai_district():
    region = Territory.objects.get(kato_code="190000000")
    assert region.children.filter(kato_code="195200000", level="district").exists() is True


def test_loads_all_75_article_parts_as_in_the_csv():
    rows = read_csv("criminal-code-articles.csv")
    assert len(rows) == 75
    assert CriminalArticle.objects.count() == 75
    loaded = {(a.article, a.part): a for a in CriminalArticle.objects.all()}
    for row in rows:
        article = loaded[(row["article"], row["part"])]
        assert article.gravity == row["category"]
        assert article.min_age == int(row["min_age"])
        assert (article.title_kk, article.title_ru, article.title_en) == (
            row["title_kk"],
            row["title_ru"],
            row["title_en"],
        )
        assert article.sanction_max_ru == row["sanction_max_ru"]
        assert article.note == row["note"]


def test_every_article_part_has_a_known_gravity_and_minimum_age_14_or_16():
    for article in CriminalArticle.objects.all():
        assert article.gravity in Gravity.values, article.citation
        assert article.min_age in (14, 16), article.citation
        assert article.title_kk.strip(), article.citation
        assert article.title_ru.strip(), article.citation
        assert article.title_en.strip(), article.citation


def test_every_gravity_category_occurs_among_the_articles():
    assert set(CriminalArticle.objects.values_list("gravity", flat=True)) == set(Gravity.values)


def test_theft_part_two_is_medium_gravity_from_age_fourteen():
    row = next(
        r
        for r in read_csv("criminal-code-articles.csv")
        if (r["article"], r["part"]) == ("188", "2")
    )
    theft = CriminalArticle.objects.get(article="188", part="2")
    assert (theft.gravity, theft.min_age) == (row["category"], int(row["min_age"]))
    assert (theft.gravity, theft.min_age) == (Gravity.MEDIUM, 14)


def test_murder_is_especially_grave_from_age_fourteen():
    murder = CriminalArticle.objects.get(article="99", part="1")
    assert (murder.gravity, murder.min_age) == (Gravity.ESPECIALLY_GRAVE, 14)
