"""Assessment instruments as data: instruments/<code>/<version>.yaml, versioned and frozen.

The loader is strict. A missing translation, a duplicate id, an unknown answer scale, cut-offs
that do not increase or a released file whose checksum changed stop the start-up with a
message naming the file, the item and the field. Released versions are listed with their
SHA-256 in instruments/released.sha256 (the format of `sha256sum`); a completed assessment is
read against the version it used, forever, so those files are never edited.
"""

import datetime
import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.translation import get_language

from qorgau.core.rulefiles import TextDates

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
CHECKSUMS = "released.sha256"
LANGUAGES = ("kk", "ru", "en")
SCALES = ("society", "child")
LEVELS = ("low", "moderate", "high", "very_high")
KINDS = ("risk", "protective")
RISK_NEEDS = "risk-needs"

Texts = dict[str, str]


class InstrumentFileError(ImproperlyConfigured):
    def __init__(self, path: Path, where: str, field: str, problem: str) -> None:
        name = f"{path.parent.name}/{path.name}"
        super().__init__(f"{name}: {where}, field {field!r}: {problem}")


def in_language(texts: Texts) -> str:
    """The text in the active language (Kazakh when the language has none)."""
    return texts.get((get_language() or "kk")[:2], texts["kk"])


@dataclass(frozen=True)
class Option:
    id: str
    score: int
    label: Texts

    @property
    def text(self) -> str:
        return in_language(self.label)


@dataclass(frozen=True)
class Item:
    id: str
    domain_id: str
    required: bool
    text_: Texts
    hint_: Texts | None
    options: tuple[Option, ...]

    @property
    def text(self) -> str:
        return in_language(self.text_)

    @property
    def hint(self) -> str:
        return in_language(self.hint_) if self.hint_ else ""

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Domain:
    id: str
    kind: str
    title_: Texts
    weights: dict[str, int]
    items: tuple[Item, ...]

    @property
    def title(self) -> str:
        return in_language(self.title_)

    @property
    def protective(self) -> bool:
        return self.kind == "protective"


@dataclass(frozen=True)
class Instrument:
    code: str
    version: int
    valid_from: datetime.date
    title_: Texts
    basis_: Texts
    domains: tuple[Domain, ...]
    cutoffs: dict[str, tuple[int, ...]]  # per scale: the lowest total of each of LEVELS
    top_domains: int
    min_points: int
    path: Path

    @property
    def title(self) -> str:
        return in_language(self.title_)

    @property
    def basis(self) -> str:
        return in_language(self.basis_)

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for domain in self.domains for item in domain.items)

    def item(self, item_id: str) -> Item | None:
        return next((item for item in self.items if item.id == item_id), None)

    def domain(self, domain_id: str) -> Domain | None:
        return next((d for d in self.domains if d.id == domain_id), None)

    def level_of(self, scale: str, total: int) -> str:
        """The highest level whose cut-off the total reaches."""
        level = LEVELS[0]
        for name, lowest in zip(LEVELS, self.cutoffs[scale], strict=True):
            if total >= lowest:
                level = name
        return level


class _Reader:
    """Reads one file, naming the file, the place and the field in every refusal."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.ids: set[str] = set()

    def fail(self, where: str, field: str, problem: str) -> InstrumentFileError:
        return InstrumentFileError(self.path, where, field, problem)

    def texts(self, where: str, field: str, value: Any, optional: bool = False) -> Texts | None:
        if value is None and optional:
            return None
        if not isinstance(value, dict):
            raise self.fail(where, field, "must map kk, ru and en to their texts")
        texts = {}
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                raise self.fail(where, f"{field}.{language}", "the translation is missing")
            texts[language] = text.strip()
        return texts

    def required_texts(self, where: str, field: str, value: Any) -> Texts:
        texts = self.texts(where, field, value)
        assert texts is not None
        return texts

    def number(self, where: str, field: str, value: Any, minimum: int = 0) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            raise self.fail(where, field, f"must be a whole number from {minimum}")
        return value

    def identifier(self, where: str, value: Any, seen: set[str]) -> str:
        if not isinstance(value, str) or not value.strip() or not value.isascii():
            raise self.fail(where, "id", "must be a text of Latin letters (quote yes and no)")
        if value in seen:
            raise self.fail(where, "id", f"{value!r} is used twice")
        seen.add(value)
        return value

    def options(self, where: str, raw: Any) -> tuple[Option, ...]:
        if not isinstance(raw, list) or len(raw) < 2:
            raise self.fail(where, "options", "must list at least two answers")
        seen: set[str] = set()
        options = []
        for index, option in enumerate(raw):
            place = f"{where}, option {index + 1}"
            if not isinstance(option, dict):
                raise self.fail(place, "-", "each answer must be a mapping")
            option_id = self.identifier(place, option.get("id"), seen)
            place = f"{where}, option {option_id!r}"
            options.append(
                Option(
                    id=option_id,
                    score=self.number(place, "score", option.get("score")),
                    label=self.required_texts(place, "label", option.get("label")),
                )
            )
        return tuple(options)

    def item(self, domain_id: str, raw: Any, scales: dict[str, tuple[Option, ...]]) -> Item:
        if not isinstance(raw, dict):
            raise self.fail(f"domain {domain_id!r}", "items", "each item must be a mapping")
        item_id = self.identifier(f"domain {domain_id!r}, an item", raw.get("id"), self.ids)
        where = f"item {item_id!r}"
        if not isinstance(raw.get("required"), bool):
            raise self.fail(where, "required", "must be true or false")
        if ("scale" in raw) == ("options" in raw):
            raise self.fail(where, "options", "give either a scale or the options, not both")
        if "scale" in raw:
            if raw["scale"] not in scales:
                raise self.fail(where, "scale", f"{raw['scale']!r} is not a scale of the file")
            options = scales[raw["scale"]]
        else:
            options = self.options(where, raw["options"])
        return Item(
            id=item_id,
            domain_id=domain_id,
            required=raw["required"],
            text_=self.required_texts(where, "text", raw.get("text")),
            hint_=self.texts(where, "hint", raw.get("hint"), optional=True),
            options=options,
        )

    def domain(self, raw: Any, index: int, scales: dict[str, tuple[Option, ...]]) -> Domain:
        if not isinstance(raw, dict):
            raise self.fail(f"domains[{index}]", "-", "each domain must be a mapping")
        domain_id = self.identifier(f"domains[{index}]", raw.get("id"), self.ids)
        where = f"domain {domain_id!r}"
        if raw.get("kind") not in KINDS:
            raise self.fail(where, "kind", f"must be one of {', '.join(KINDS)}")
        weights = raw.get("weights")
        if not isinstance(weights, dict):
            raise self.fail(where, "weights", "must give a weight for society and for child")
        items = raw.get("items")
        if not isinstance(items, list) or not items:
            raise self.fail(where, "items", "must list the domain's items")
        return Domain(
            id=domain_id,
            kind=raw["kind"],
            title_=self.required_texts(where, "title", raw.get("title")),
            weights={s: self.number(where, f"weights.{s}", weights.get(s)) for s in SCALES},
            items=tuple(self.item(domain_id, item, scales) for item in items),
        )

    def cutoffs(self, raw: Any) -> dict[str, tuple[int, ...]]:
        if not isinstance(raw, dict):
            raise self.fail("cutoffs", "-", "must give the cut-offs of society and child")
        result = {}
        for scale in SCALES:
            values = raw.get(scale)
            if not isinstance(values, dict):
                raise self.fail("cutoffs", scale, f"must map {', '.join(LEVELS)} to totals")
            lowest = [self.number("cutoffs", f"{scale}.{lvl}", values.get(lvl)) for lvl in LEVELS]
            if lowest[0] != 0:
                raise self.fail("cutoffs", f"{scale}.low", "must be 0")
            for before, after, level in zip(lowest, lowest[1:], LEVELS[1:], strict=False):
                if after <= before:
                    raise self.fail("cutoffs", f"{scale}.{level}", "must be above the level below")
            result[scale] = tuple(lowest)
        return result

    def instrument(self, data: Any) -> Instrument:
        if not isinstance(data, dict):
            raise self.fail("-", "-", "the file must be a mapping")
        code = data.get("code")
        if code != self.path.parent.name:
            raise self.fail("-", "code", f"must be {self.path.parent.name!r}, the folder's name")
        version = self.number("-", "version", data.get("version"), minimum=1)
        if str(version) != self.path.stem:
            raise self.fail("-", "version", f"must be {self.path.stem}, the file's name")
        try:
            valid_from = datetime.date.fromisoformat(str(data.get("valid_from")))
        except ValueError:
            raise self.fail("-", "valid_from", "must be a date (YYYY-MM-DD)") from None
        raw_scales = data.get("scales") or {}
        if not isinstance(raw_scales, dict):
            raise self.fail("-", "scales", "must map scale names to answers")
        scales = {name: self.options(f"scale {name!r}", raw) for name, raw in raw_scales.items()}
        domains = data.get("domains")
        if not isinstance(domains, list) or not domains:
            raise self.fail("-", "domains", "must list the domains")
        reasons = data.get("reasons")
        if not isinstance(reasons, dict):
            raise self.fail("-", "reasons", "must give top_domains and min_points")
        return Instrument(
            code=code,
            version=version,
            valid_from=valid_from,
            title_=self.required_texts("-", "title", data.get("title")),
            basis_=self.required_texts("-", "basis", data.get("basis")),
            domains=tuple(self.domain(raw, i, scales) for i, raw in enumerate(domains)),
            cutoffs=self.cutoffs(data.get("cutoffs")),
            top_domains=self.number("reasons", "top_domains", reasons.get("top_domains"), 1),
            min_points=self.number("reasons", "min_points", reasons.get("min_points")),
            path=self.path,
        )


def load_instrument(path: Path) -> Instrument:
    """One version file, validated."""
    try:
        # TextDates is a SafeLoader: no arbitrary objects.
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=TextDates)  # noqa: S506
    except (OSError, yaml.YAMLError) as error:
        raise InstrumentFileError(path, "-", "-", f"cannot be read: {error}") from None
    return _Reader(path).instrument(data)


def checksum(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def released(directory: Path) -> dict[str, str]:
    """The released version files (relative path -> SHA-256) listed in released.sha256."""
    listing = directory / CHECKSUMS
    if not listing.exists():
        return {}
    result = {}
    for line in listing.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            result[name.strip().lstrip("*")] = digest
    return result


@dataclass(frozen=True)
class Library:
    """Every version of every instrument in a directory."""

    versions: dict[str, dict[int, Instrument]]

    def get(self, code: str, version: int) -> Instrument | None:
        return self.versions.get(code, {}).get(version)

    def current(self, code: str, day: datetime.date | None = None) -> Instrument | None:
        """The newest version in force on the day (today by default)."""
        day = day or timezone.localdate()  # the day in Kazakhstan (TIME_ZONE)
        in_force = [i for i in self.versions.get(code, {}).values() if i.valid_from <= day]
        return max(in_force, key=lambda i: i.version, default=None)


def load_library(directory: Path) -> Library:
    versions: dict[str, dict[int, Instrument]] = {}
    for name, digest in released(directory).items():
        path = directory / name
        if not path.exists():
            raise InstrumentFileError(path, "-", "-", f"is listed in {CHECKSUMS} but missing")
        if checksum(path) != digest:
            raise InstrumentFileError(
                path, "-", "-", "a released version was changed: add a new version instead"
            )
    for path in sorted(directory.glob("*/*.yaml")):
        instrument = load_instrument(path)
        versions.setdefault(instrument.code, {})[instrument.version] = instrument
    return Library(versions=versions)


@cache
def _library(directory: str) -> Library:
    return load_library(Path(directory))


def library() -> Library:
    """The instruments of QORGAU_INSTRUMENTS_DIR (default: the package's instruments folder)."""
    return _library(str(getattr(settings, "QORGAU_INSTRUMENTS_DIR", INSTRUMENTS_DIR)))


def forget_library() -> None:
    """Read the files again on next use (tests that change QORGAU_INSTRUMENTS_DIR)."""
    _library.cache_clear()
