"""Latin forms of Cyrillic names, so a name is found whichever script the user types.

`to_latin` gives the readable transliteration stored beside the name. `search_key`
folds both scripts and common spelling variants (Qairat/Kairat, Aynur/Ainur,
Zhanar/Janar) to one key, applied to stored names and to queries alike.
"""

import re

from anyascii import anyascii

# Variants a person typing Latin may use for one Cyrillic letter; folded in this order.
_FOLDS = (
    ("shch", "sh"),
    ("gh", "g"),
    ("gg", "g"),
    ("ng", "n"),
    ("zh", "j"),
    ("kh", "h"),
    ("ts", "c"),
    ("q", "k"),
    ("y", "i"),
    ("w", "v"),
    ("x", "ks"),
    ("ё", "e"),
)
_NON_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")


def to_latin(text: str) -> str:
    """Readable Latin form of a Kazakh or Russian name (Нұрлан → Nurlan, Қайрат → Qairat)."""
    return anyascii(text or "").strip()


def search_key(text: str) -> str:
    """A script-independent lower-case key for matching names."""
    key = anyascii(text or "").lower()
    key = key.replace("'", "").replace("`", "")
    for variant, folded in _FOLDS:
        key = key.replace(variant, folded)
    key = _NON_LETTERS.sub(" ", key)
    # Word-initial Е is written Ye as often as E (Ерлан: Yerlan, Erlan).
    key = re.sub(r"\bie", "e", key)
    # Doubled letters are spelled single as often as double (Алла/Ala, Аннa/Ana).
    key = re.sub(r"(.)\1+", r"\1", key)
    return _SPACES.sub(" ", key).strip()
