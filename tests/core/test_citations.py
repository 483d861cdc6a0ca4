"""Citations are read into code references and put into words in the reader's language."""

from pathlib import Path

import pytest
from django.utils import translation

from qorgau.core import citations
from qorgau.core.citations import CitationError, Ref
from qorgau.core.rulefiles import RuleFileError

CASES = [
    (
        "CPC RK art. 67 part 1 item 2, art. 536",
        "ҚР ҚПК 67-бабы 1-бөлігінің 2-тармағы, 536-бабы",
        "п. 2 ч. 1 ст. 67, ст. 536 УПК РК",
    ),
    ("CPC RK art. 541 parts 1, 3", "ҚР ҚПК 541-бабының 1, 3-бөліктері", "ч. 1, 3 ст. 541 УПК РК"),
    ("CPC RK art. 541 part 5", "ҚР ҚПК 541-бабының 5-бөлігі", "ч. 5 ст. 541 УПК РК"),
    ("CPC RK art. 35, 36", "ҚР ҚПК 35, 36-баптары", "ст. 35, 36 УПК РК"),
    ("CPC RK art. 545-1", "ҚР ҚПК 545-1-бабы", "ст. 545-1 УПК РК"),
    (
        "CPC RK art. 530 part 1; CC RK art. 80",
        "ҚР ҚПК 530-бабының 1-бөлігі; ҚР ҚК 80-бабы",
        "ч. 1 ст. 530 УПК РК; ст. 80 УК РК",
    ),
    (
        "CC RK art. 81; CEC RK art. 24",
        "ҚР ҚК 81-бабы; ҚР ҚАК 24-бабы",
        "ст. 81 УК РК; ст. 24 УИК РК",
    ),
]


@pytest.mark.parametrize(("en", "kk", "ru"), CASES)
def test_a_citation_reads_in_each_language(en, kk, ru):
    citation = citations.from_text(en)
    assert citation.texts == {"kk": kk, "ru": ru, "en": en}
    for language, expected in (("kk", kk), ("ru", ru), ("en", en)):
        with translation.override(language):
            assert citation.text == expected


def test_it_keeps_the_structure_of_each_reference():
    refs = citations.parse("CPC RK art. 137 part 1; art. 147, 541 parts 1, 3, 4")
    assert refs == (
        Ref("CPC", "137", ("1",)),
        Ref("CPC", "147"),
        Ref("CPC", "541", ("1", "3", "4")),
    )
    assert citations.parse("CPC RK art. 67 part 1 item 2") == (Ref("CPC", "67", ("1",), "2"),)


def test_a_wider_reference_covers_a_narrower_one_and_not_the_reverse():
    article, part5, part4 = Ref("CPC", "541"), Ref("CPC", "541", ("5",)), Ref("CPC", "541", ("4",))
    assert article.covers(part5)
    assert part5.covers(part5)
    assert not part5.covers(article)
    assert not part5.covers(part4)
    assert not Ref("CC", "541").covers(article)
    assert citations.from_text("CPC RK art. 541 parts 1, 3").cites(Ref("CPC", "541", ("3",)))


@pytest.mark.parametrize(
    "text",
    ["Concept of juvenile justice, section 4", "CPC RK article 5", "CPC RK art. 5 part", "art. 5"],
)
def test_a_text_that_is_not_a_code_article_is_refused_when_strict(text):
    with pytest.raises(CitationError):
        citations.from_text(text)


def test_not_strict_it_keeps_other_text_as_written_and_translates_the_articles():
    citation = citations.from_text("CPC RK art. 531; Concept 2008, section 4.7", strict=False)
    assert citation.refs == (Ref("CPC", "531"),)
    assert citation.texts["kk"] == "ҚР ҚПК 531-бабы; Concept 2008, section 4.7"


def test_a_rule_file_names_the_rule_and_field_of_an_unreadable_citation():
    path = Path("kz.yaml")
    with pytest.raises(RuleFileError, match=r"rule 'x', field 'citation': cannot read"):
        citations.read(path, "x", {"citation": "Concept of juvenile justice"})
    with pytest.raises(RuleFileError, match=r"field 'citation.ru': is missing"):
        citations.read(path, "x", {"citation": {"kk": "a", "en": "CPC RK art. 5"}})
    given = citations.read(path, "x", {"citation": {"kk": "а", "ru": "б", "en": "CPC RK art. 5"}})
    assert given.texts == {"kk": "а", "ru": "б", "en": "CPC RK art. 5"}
    assert given.refs == (Ref("CPC", "5"),)
