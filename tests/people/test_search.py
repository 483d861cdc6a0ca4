"""Finding a juvenile by IIN (from its first digits) or by name in either script."""

import datetime

import pytest

from qorgau.people.models import Juvenile, NoIINReason
from qorgau.people.selectors import juveniles_for_list
from tests import factories


@pytest.fixture
def register(investigator):
    """Seitov Nurlan, Qairatuly (2010), Ainur Zhanarova (2012) and Viktor Tsoi (no IIN)."""
    nurlan = factories.juvenile(investigator, birth_date=datetime.date(2010, 3, 5))
    ainur = factories.juvenile(
        investigator,
        last_name="Жанарова",
        first_name="Айнұр",
        patronymic="Ерланқызы",
        birth_date=datetime.date(2012, 8, 17),
        sex="female",
    )
    tsoi = factories.juvenile(
        investigator,
        last_name="Tsoi",
        first_name="Viktor",
        patronymic="",
        iin=None,
        no_iin_reason=NoIINReason.FOREIGNER,
        citizenship="foreign",
        citizenship_country="Кыргызстан",
    )
    return {"nurlan": nurlan, "ainur": ainur, "tsoi": tsoi}


def found(actor, query: str) -> list[str]:
    return sorted(j.first_name for j in juveniles_for_list(actor=actor, query=query))


@pytest.mark.parametrize("length", [1, 4, 6, 9, 12])
def test_finds_by_the_first_digits_of_the_iin(investigator, register, length):
    nurlan = register["nurlan"]
    prefix = nurlan.iin[:length]
    expected = {j.first_name for j in register.values() if j.iin and j.iin.startswith(prefix)}
    assert "Нұрлан" in expected
    assert found(investigator, prefix) == sorted(expected)


def test_finds_exactly_one_juvenile_by_full_iin(investigator, register):
    assert found(investigator, f"  {register['ainur'].iin} ") == ["Айнұр"]


def test_an_iin_prefix_does_not_match_the_middle_of_an_iin(investigator, register):
    assert found(investigator, register["nurlan"].iin[2:8]) == []


def test_finds_by_an_iin_typed_with_spaces(investigator, register):
    iin = register["ainur"].iin
    assert found(investigator, f"{iin[:6]} {iin[6:]}") == ["Айнұр"]


@pytest.mark.parametrize(
    "query", ["Seitov", "seyitov", "SEITOV", "Nurlan", "Kairatuly", "Qairatuly"]
)
def test_finds_a_cyrillic_name_typed_in_latin(investigator, register, query):
    assert found(investigator, query) == ["Нұрлан"]


@pytest.mark.parametrize(
    "query", ["Айнур", "Ainur", "Aynur", "Zhanarova", "Janarova", "Yerlanqyzy"]
)
def test_finds_a_kazakh_name_by_its_common_spellings(investigator, register, query):
    assert found(investigator, query) == ["Айнұр"]


@pytest.mark.parametrize("query", ["Цой", "Виктор", "цой виктор", "Tsoy"])
def test_finds_a_latin_name_typed_in_cyrillic(investigator, register, query):
    assert found(investigator, query) == ["Viktor"]


@pytest.mark.parametrize(
    "query", ["Seitov Nurlan", "Нұрлан Сейітов", "сейітов нурлан кайратулы", "Seit Nurl"]
)
def test_finds_by_several_words_in_any_order(investigator, register, query):
    assert found(investigator, query) == ["Нұрлан"]


def test_every_word_of_the_query_must_match(investigator, register):
    assert found(investigator, "Seitov Ainur") == []


@pytest.mark.parametrize("query", ["Zhumabekov", "Марат", "999999", "Сейітов Марат"])
def test_finds_nothing_when_nothing_matches(investigator, register, query):
    assert found(investigator, query) == []


@pytest.mark.parametrize("query", ["--", "2010-03-05", "+7 701", "١٠٠٣"])
def test_a_query_without_letters_or_an_iin_finds_nothing(investigator, register, query):
    assert found(investigator, query) == []


def test_an_empty_query_lists_every_visible_record(investigator, register):
    assert found(investigator, "") == ["Viktor", "Айнұр", "Нұрлан"]
    assert found(investigator, "   ") == ["Viktor", "Айнұр", "Нұрлан"]


def test_search_only_finds_visible_records(outsider, register):
    assert found(outsider, "Seitov") == []
    assert found(outsider, register["nurlan"].iin) == []


def test_filters_by_region_including_its_districts(investigator, register):
    almaty = factories.territory(factories.ALMATY_CITY)
    astana = factories.territory(factories.ASTANA)
    rows = juveniles_for_list(actor=investigator, query="", region_id=almaty.pk)
    assert rows.count() == 3
    assert juveniles_for_list(actor=investigator, region_id=astana.pk).exists() is False


def test_the_list_takes_one_query_whatever_its_length(
    investigator, register, django_assert_num_queries
):
    juveniles_for_list(actor=investigator)  # loads the user's permissions and agency once
    with django_assert_num_queries(1):
        rows = list(juveniles_for_list(actor=investigator, query="a"))
        labels = [(j.address_territory.name, j.registered_by_agency.name) for j in rows]
    assert len(labels) == 2


def test_matching_can_be_chained_after_visibility(investigator, register):
    assert list(Juvenile.objects.visible_to(investigator).matching("Tsoi")) == [register["tsoi"]]
