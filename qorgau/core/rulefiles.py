"""The shared pieces of the loaders of rule files (rules the law fixes, kept as YAML data).

Every loader reads its own shape of file, but the entries share the same fields: a citation,
``confirmed`` (and often ``policy``), valid_from / valid_to and a kk/ru/en text. A broken
file must stop the start-up with a message naming the file, the rule and the field:
``"<file>: rule 'x', field 'y': problem"``. These functions raise that message.
"""

import datetime
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

LANGUAGES = ("kk", "ru", "en")


class RuleFileError(ImproperlyConfigured):
    def __init__(self, path: Path, rule: str, field: str, problem: str) -> None:
        super().__init__(f"{path.name}: rule {rule!r}, field {field!r}: {problem}")


MESSAGE_NO_RULE_IN_FORCE = _(
    "No rule of the law in force on %(date)s covers this. Choose a later date."
)


class NoRuleInForce(ValidationError):
    """A question about a day before (or after) the law held the rule: bad input, answered
    with a clear message, not a configuration error that would crash the request."""

    def __init__(self, code: str, on: datetime.date) -> None:
        self.rule_code = code
        self.on = on
        date = formats.date_format(on, "SHORT_DATE_FORMAT") if on.year > 1 else on.isoformat()
        super().__init__(MESSAGE_NO_RULE_IN_FORCE % {"date": date}, code="no_rule_in_force")


class TextDates(yaml.SafeLoader):
    """YAML without its date type: a wrong date stays text and is reported with its rule."""


TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path) -> Any:
    """The parsed file, dates left as text; an unreadable file is a RuleFileError."""
    try:
        # TextDates is a SafeLoader: no arbitrary objects.
        return yaml.load(path.read_text(encoding="utf-8"), Loader=TextDates)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise RuleFileError(path, "-", "-", f"cannot be read: {error}") from None


def parse_date(
    path: Path, code: str, field: str, value: Any, required: bool
) -> datetime.date | None:
    if value in (None, ""):
        if required:
            raise RuleFileError(path, code, field, "is missing")
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise RuleFileError(path, code, field, f"{value!r} is not a date (YYYY-MM-DD)") from None


def check_required(
    path: Path,
    code: str,
    raw: Mapping[str, Any],
    names: Iterable[str],
    empty: tuple[Any, ...] = (None, ""),
) -> None:
    """Each named field is present and not one of the ``empty`` values."""
    for name in names:
        if raw.get(name) in empty:
            raise RuleFileError(path, code, name, "is missing")


def trilingual(
    path: Path, code: str, raw: Mapping[str, Any], field: str = "text"
) -> dict[str, str]:
    """The field's mapping of kk, ru and en to non-blank texts."""
    text = raw[field]
    if not isinstance(text, dict):
        raise RuleFileError(path, code, field, "must map kk, ru and en to their texts")
    for language in LANGUAGES:
        if not str(text.get(language) or "").strip():
            raise RuleFileError(path, code, f"{field}.{language}", "is missing")
    return {language: str(text[language]) for language in LANGUAGES}


def boolean(path: Path, code: str, raw: Mapping[str, Any], *names: str) -> None:
    """Each named field is true or false (not a word, a number or nothing)."""
    for name in names:
        if not isinstance(raw.get(name), bool):
            raise RuleFileError(path, code, name, "must be true or false")


def validity(
    path: Path, code: str, raw: Mapping[str, Any]
) -> tuple[datetime.date, datetime.date | None]:
    """valid_from (required) and valid_to (optional, not before valid_from)."""
    valid_from = parse_date(path, code, "valid_from", raw.get("valid_from"), required=True)
    valid_to = parse_date(path, code, "valid_to", raw.get("valid_to"), required=False)
    assert valid_from is not None
    if valid_to is not None and valid_to < valid_from:
        raise RuleFileError(path, code, "valid_to", "is before valid_from")
    return valid_from, valid_to


def in_language(texts: Mapping[str, str]) -> str:
    """The text in the active language, Kazakh where there is none."""
    return texts.get((get_language() or "kk")[:2], texts["kk"])


class InForce:
    """For a rule dataclass with valid_from / valid_to: is it in force on a day."""

    valid_from: datetime.date
    valid_to: datetime.date | None

    def in_force(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class Labelled(InForce):
    """For a rule dataclass with a kk/ru/en ``text``: its label in the active language."""

    text: dict[str, str]

    @property
    def label(self) -> str:
        return in_language(self.text)
