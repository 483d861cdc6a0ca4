"""GET /api/territories and GET /api/articles: reference data for every signed-in user."""

from qorgau.api.api import MESSAGE_CHOICE
from qorgau.core.models import CriminalArticle, Gravity, Territory
from tests import factories
from tests.api.conftest import errors, translated


def test_it_lists_every_territory_with_its_parent_code(api, outsider):
    response = api(outsider).get("/api/territories")
    assert response.status_code == 200
    rows = {row["kato_code"]: row for row in response.json()}
    assert len(rows) == Territory.objects.count()
    assert rows[factories.AUEZOV] == {
        "kato_code": factories.AUEZOV,
        "level": "district",
        "parent": factories.ALMATY_CITY,
        "name_kk": "Әуезов ауданы",
        "name_ru": "Ауэзовский район",
        "name_en": "Auezov District",
    }
    assert rows[factories.ALMATY_CITY]["parent"] is None


def test_territories_take_a_fixed_number_of_queries(api, outsider, django_assert_max_num_queries):
    client = api(outsider)
    with django_assert_max_num_queries(4):
        client.get("/api/territories")


def test_it_lists_criminal_code_article_parts(api, judge):
    response = api(judge).get("/api/articles")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == CriminalArticle.objects.count()
    murder = next(row for row in rows if (row["article"], row["part"]) == ("99", "1"))
    assert murder["title_kk"] == "Адам өлтіру"
    assert murder["title_ru"] == "Убийство"
    assert murder["title_en"] == "Murder"
    assert murder["gravity"] == "especially_grave"
    assert murder["min_age"] == 14


def test_it_filters_articles_by_gravity(api, judge):
    response = api(judge).get("/api/articles", {"gravity": Gravity.GRAVE})
    assert response.status_code == 200
    rows = response.json()
    assert rows
    assert {row["gravity"] for row in rows} == {"grave"}
    assert len(rows) == CriminalArticle.objects.filter(gravity=Gravity.GRAVE).count()


def test_an_unknown_gravity_is_refused_naming_the_filter(api, judge):
    response = api(judge).get("/api/articles", {"gravity": "terrible"})
    assert response.status_code == 422
    assert errors(response) == {"gravity": [translated("kk", MESSAGE_CHOICE)]}
