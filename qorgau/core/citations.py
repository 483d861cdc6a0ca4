"""Legal citations kept as structure and put into words in the reader's language.

A rule file writes a citation in one short English form, e.g.
``CPC RK art. 67 part 1 item 2, art. 536; CC RK art. 80``; it is read into references
(code, article, parts, item) and rendered as Kazakh (``ҚР ҚПК 67-бабы 1-бөлігінің
2-тармағы, 536-бабы``), Russian (``п. 2 ч. 1 ст. 67, ст. 536 УПК РК``) or English. A citation
that is not a code article (the Concept, a law by name) is given as a kk/ru/en mapping in the
rule file instead; its code references, if any, are still read from the English text.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qorgau.core.rulefiles import LANGUAGES, RuleFileError, in_language, trilingual

# The codes a citation may name, as the laws abbreviate them (glossary.md, rule 6).
CODES: dict[str, dict[str, str]] = {
    "CPC": {"kk": "ҚР ҚПК", "ru": "УПК РК", "en": "CPC RK"},
    "CC": {"kk": "ҚР ҚК", "ru": "УК РК", "en": "CC RK"},
    "CEC": {"kk": "ҚР ҚАК", "ru": "УИК РК", "en": "CEC RK"},
}
NUMBER = r"\d+(?:-\d+)?"
_CODE = re.compile(rf"^({'|'.join(CODES)})(?: RK)?\s+(?=art\.)")
_TOKEN = re.compile(rf"\s*(art\.|parts?|item|{NUMBER}|,)\s*")


class CitationError(ValueError):
    """The text is not a citation of the form ``CPC RK art. N part N item N``."""


@dataclass(frozen=True)
class Ref:
    """One article of a code, with the parts (and the item of a part) cited."""

    code: str
    article: str
    parts: tuple[str, ...] = ()
    item: str = ""

    def covers(self, other: "Ref") -> bool:
        """This reference names the other one or a wider unit that holds it (art. 541 holds
        art. 541 part 5; art. 541 part 5 does not hold art. 541 part 4)."""
        if (self.code, self.article) != (other.code, other.article):
            return False
        if not self.parts:
            return True
        if not other.parts or not set(other.parts) <= set(self.parts):
            return False
        return not self.item or self.item == other.item

    def __str__(self) -> str:
        return render((self,), "en")


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise CitationError(text[position:])
        tokens.append(match.group(1))
        position = match.end()
    return tokens


def _segment(text: str, code: str) -> list[Ref]:
    """``art. 147, 541 parts 1, 3, 4`` → art. 147; art. 541 parts 1, 3, 4."""
    tokens = _tokens(text)
    refs: list[dict[str, Any]] = []
    expecting = ""  # what a bare number after a comma continues: "article" or "part"
    index = 0
    while index < len(tokens):
        word = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if word == "art." and re.fullmatch(NUMBER, following):
            refs.append({"article": following, "parts": [], "item": ""})
            expecting, index = "article", index + 2
        elif word in ("part", "parts") and refs and re.fullmatch(NUMBER, following):
            refs[-1]["parts"].append(following)
            expecting, index = "part", index + 2
        elif word == "item" and refs and refs[-1]["parts"] and re.fullmatch(NUMBER, following):
            refs[-1]["item"] = following
            expecting, index = "", index + 2
        elif word == "," and re.fullmatch(NUMBER, following) and expecting == "part":
            refs[-1]["parts"].append(following)
            index += 2
        elif word == "," and re.fullmatch(NUMBER, following) and expecting == "article":
            refs.append({"article": following, "parts": [], "item": ""})
            index += 2
        elif word == "," and following == "art.":
            index += 1
        else:
            raise CitationError(text)
    if not refs:
        raise CitationError(text)
    return [Ref(code, r["article"], tuple(r["parts"]), r["item"]) for r in refs]


def _segments(text: str, *, strict: bool) -> list[tuple[Ref, ...] | str]:
    """Each ``;``-separated segment as its references, or as its text when it is none
    (only when not strict: the Concept, a law by name)."""
    segments: list[tuple[Ref, ...] | str] = []
    code = ""
    for raw in text.split(";"):
        segment = raw.strip()
        match = _CODE.match(segment)
        try:
            if match:
                code = match.group(1)
                segments.append(tuple(_segment(segment[match.end() :], code)))
            elif segment.startswith("art.") and code:
                segments.append(tuple(_segment(segment, code)))
            else:
                code = ""
                raise CitationError(segment)
        except CitationError:
            if strict:
                raise
            segments.append(segment)
    return segments


def parse(text: str, *, strict: bool = True) -> tuple[Ref, ...]:
    """The code references of a citation; a segment that is not one raises, unless not
    strict (then it is skipped)."""
    return tuple(
        ref
        for segment in _segments(text, strict=strict)
        if isinstance(segment, tuple)
        for ref in segment
    )


def _kk(ref: Ref) -> str:
    if not ref.parts:
        return f"{ref.article}-бабы"
    parts = ", ".join(ref.parts)
    if ref.item:
        return f"{ref.article}-бабы {parts}-бөлігінің {ref.item}-тармағы"
    noun = "бөліктері" if len(ref.parts) > 1 or "-" in ref.parts[0] else "бөлігі"
    return f"{ref.article}-бабының {parts}-{noun}"


def _ru(ref: Ref) -> str:
    text = f"ст. {ref.article}"
    if ref.parts:
        text = f"ч. {', '.join(ref.parts)} {text}"
    if ref.item:
        text = f"п. {ref.item} {text}"
    return text


def _en(ref: Ref) -> str:
    text = f"art. {ref.article}"
    if ref.parts:
        word = "parts" if len(ref.parts) > 1 or "-" in ref.parts[0] else "part"
        text += f" {word} {', '.join(ref.parts)}"
    if ref.item:
        text += f" item {ref.item}"
    return text


def _bare_run(articles: list[str], language: str) -> str:
    """Articles cited whole, one after another: ``art. 35, 36`` / ``35, 36-баптары``."""
    numbers = ", ".join(articles)
    if language == "kk":
        return f"{numbers}-{'баптары' if len(articles) > 1 else 'бабы'}"
    return f"{'ст.' if language == 'ru' else 'art.'} {numbers}"


def _one_code(refs: list[Ref], language: str) -> str:
    words: list[str] = []
    bare: list[str] = []
    for ref in refs:
        if not ref.parts:
            bare.append(ref.article)
            continue
        if bare:
            words.append(_bare_run(bare, language))
            bare = []
        words.append({"kk": _kk, "ru": _ru, "en": _en}[language](ref))
    if bare:
        words.append(_bare_run(bare, language))
    name = CODES[refs[0].code][language]
    body = ", ".join(words)
    return f"{body} {name}" if language == "ru" else f"{name} {body}"


def render(refs: tuple[Ref, ...], language: str) -> str:
    """The references in one language, grouped by code as they were written."""
    groups: list[list[Ref]] = []
    for ref in refs:
        if groups and groups[-1][0].code == ref.code:
            groups[-1].append(ref)
        else:
            groups.append([ref])
    return "; ".join(_one_code(group, language) for group in groups)


@dataclass(frozen=True)
class Citation:
    """A rule's legal basis: its references (for checks and coverage) and its kk/ru/en text."""

    refs: tuple[Ref, ...]
    texts: dict[str, str]

    @property
    def text(self) -> str:
        """In the active language."""
        return in_language(self.texts)

    def __str__(self) -> str:
        return self.text

    def cites(self, ref: Ref) -> bool:
        return any(own.covers(ref) for own in self.refs)


def from_text(text: str, *, strict: bool = True) -> Citation:
    """A citation written in the short English form, rendered in each language.

    Not strict: a segment that is not a code article stays as written in every language.
    """
    segments = _segments(text, strict=strict)
    refs = tuple(ref for segment in segments if isinstance(segment, tuple) for ref in segment)
    texts = {
        language: "; ".join(
            render(segment, language) if isinstance(segment, tuple) else segment
            for segment in segments
        )
        for language in LANGUAGES
    }
    return Citation(refs, texts)


def from_texts(texts: dict[str, str]) -> Citation:
    """A citation given in each language; its code references are read from the English."""
    return Citation(parse(texts["en"], strict=False), dict(texts))


def read(path: Path, code: str, raw: Mapping[str, Any], *, strict: bool = True) -> Citation:
    """A rule's ``citation`` field: the short English form, or a kk/ru/en mapping.

    Strict (the proceedings' and safeguards' files): a text that is not all code articles
    stops the start-up, naming the rule; give such a citation in the three languages.
    """
    value = raw.get("citation")
    if isinstance(value, dict):
        return from_texts(trilingual(path, code, raw, "citation"))
    if not isinstance(value, str) or not value.strip():
        raise RuleFileError(path, code, "citation", "is missing")
    try:
        return from_text(value.strip(), strict=strict)
    except CitationError as error:
        raise RuleFileError(
            path,
            code,
            "citation",
            f"cannot read {str(error)!r}: write 'CPC RK art. N part N item N' "
            "or give the citation as kk/ru/en texts",
        ) from None
