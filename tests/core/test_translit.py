"""A name is found whichever script, and whichever common Latin spelling, the user types."""

import pytest

from qorgau.core.translit import search_key, to_latin


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Нұрлан", "Nurlan"),
        ("Қайрат", "Qairat"),
        ("Қайрат", "Kairat"),
        ("Қайрат", "Qayrat"),
        ("Кайрат", "Kairat"),
        ("Айнұр", "Ainur"),
        ("Айнұр", "Aynur"),
        ("Жанар", "Zhanar"),
        ("Жанар", "Janar"),
        ("Ерлан", "Yerlan"),
        ("Ерлан", "Erlan"),
        ("Хасен", "Khasen"),
        ("Хасен", "Hasen"),
        ("Цой", "Tsoi"),
        ("Цой", "Tsoy"),
        ("Сейітов", "Seitov"),
        ("Щукин", "Shchukin"),
        ("Ксения", "Xenia"),
        ("Алла", "Ala"),
        ("Наталья", "Natalia"),
        ("Юлия", "Yulia"),
        ("Евгений", "Yevgeny"),
    ],
)
def test_cyrillic_and_latin_spellings_share_one_search_key(cyrillic, latin):
    assert search_key(cyrillic) == search_key(latin)
    assert search_key(cyrillic.upper()) == search_key(latin.lower())


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Нұрлан", "Нурия"),
        ("Қайрат", "Кайратбек"),
        ("Ерлан", "Арлан"),
        ("Марат", "Мурат"),
        ("Айгүл", "Айгерим"),
        ("Сапар", "Сабыр"),
        ("Асель", "Aisel"),
        ("Хасен", "Asen"),
        ("Цой", "Soi"),
        ("Zhanar", "Sanar"),
    ],
)
def test_different_names_keep_different_search_keys(first, second):
    assert search_key(first) != search_key(second)


def test_search_key_keeps_words_apart_and_drops_punctuation():
    assert search_key("  Сейітов-Қайратұлы,  Нұрлан  ") == "seitov kairatuli nurlan"


def test_search_key_of_nothing_is_empty():
    assert search_key("") == ""
    assert search_key(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("name", "latin"),
    [("Нұрлан", "Nurlan"), ("Қайрат", "Qayrat"), ("Жанар", "Zhanar"), ("Цой", "Tsoy")],
)
def test_to_latin_gives_a_readable_transliteration(name, latin):
    assert to_latin(f" {name} ") == latin
