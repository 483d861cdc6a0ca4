"""The shared pieces of the rule-file loaders: every refusal names the file, rule and field."""

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from qorgau.core.rulefiles import (
    Labelled,
    RuleFileError,
    boolean,
    check_required,
    parse_date,
    read_yaml,
    trilingual,
    validity,
)

PATH = Path("/nowhere/kz.yaml")
TEXT = {"kk": "Қазақша", "ru": "По-русски", "en": "In English"}


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(RuleFileError) as excinfo:
        call(*args, **kwargs)
    assert isinstance(excinfo.value, ImproperlyConfigured)
    return str(excinfo.value)


def test_read_yaml_keeps_dates_as_text(tmp_path):
    path = tmp_path / "kz.yaml"
    path.write_text("rules:\n  - valid_from: 2015-01-01\n    text: ok\n", encoding="utf-8")
    assert read_yaml(path) == {"rules": [{"valid_from": "2015-01-01", "text": "ok"}]}


def test_read_yaml_refuses_a_missing_or_broken_file(tmp_path):
    assert refusal(read_yaml, tmp_path / "kz.yaml").startswith(
        "kz.yaml: rule '-', field '-': cannot be read: "
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("rules: [unclosed\n", encoding="utf-8")
    assert "broken.yaml: rule '-', field '-': cannot be read" in refusal(read_yaml, broken)
    unsafe = tmp_path / "unsafe.yaml"
    unsafe.write_text("!!python/object/apply:os.system ['true']\n", encoding="utf-8")
    assert "cannot be read" in refusal(read_yaml, unsafe)


def test_parse_date():
    assert parse_date(PATH, "x", "valid_from", "2015-01-01", True) == datetime.date(2015, 1, 1)
    assert parse_date(PATH, "x", "valid_to", "", False) is None
    assert refusal(parse_date, PATH, "x", "valid_from", None, True) == (
        "kz.yaml: rule 'x', field 'valid_from': is missing"
    )
    assert refusal(parse_date, PATH, "x", "valid_from", "2015-13-01", True) == (
        "kz.yaml: rule 'x', field 'valid_from': '2015-13-01' is not a date (YYYY-MM-DD)"
    )


def test_check_required():
    check_required(PATH, "x", {"code": "x", "any_of": []}, ("code", "any_of"))
    assert refusal(check_required, PATH, "x", {"code": "x", "citation": ""}, ("citation",)) == (
        "kz.yaml: rule 'x', field 'citation': is missing"
    )
    assert refusal(
        check_required, PATH, "x", {"any_of": []}, ("any_of",), empty=(None, "", [])
    ) == ("kz.yaml: rule 'x', field 'any_of': is missing")


def test_trilingual():
    assert trilingual(PATH, "x", {"text": TEXT}) == TEXT
    assert trilingual(PATH, "x", {"title": {**TEXT, "de": "x"}}, "title") == TEXT
    assert refusal(trilingual, PATH, "x", {"text": "just one"}) == (
        "kz.yaml: rule 'x', field 'text': must map kk, ru and en to their texts"
    )
    assert refusal(trilingual, PATH, "x", {"title": {**TEXT, "ru": "  "}}, "title") == (
        "kz.yaml: rule 'x', field 'title.ru': is missing"
    )


def test_boolean():
    boolean(PATH, "x", {"confirmed": False, "policy": True}, "confirmed", "policy")
    assert refusal(
        boolean, PATH, "x", {"confirmed": True, "policy": "yes"}, "confirmed", "policy"
    ) == ("kz.yaml: rule 'x', field 'policy': must be true or false")
    assert refusal(boolean, PATH, "x", {}, "admitted") == (
        "kz.yaml: rule 'x', field 'admitted': must be true or false"
    )


def test_validity():
    assert validity(PATH, "x", {"valid_from": "2015-01-01"}) == (datetime.date(2015, 1, 1), None)
    assert validity(PATH, "x", {"valid_from": "2015-01-01", "valid_to": "2015-01-01"}) == (
        datetime.date(2015, 1, 1),
        datetime.date(2015, 1, 1),
    )
    assert refusal(validity, PATH, "x", {"valid_from": "2015-01-02", "valid_to": "2015-01-01"}) == (
        "kz.yaml: rule 'x', field 'valid_to': is before valid_from"
    )
    assert refusal(validity, PATH, "x", {"valid_to": "2015-01-01"}) == (
        "kz.yaml: rule 'x', field 'valid_from': is missing"
    )


@dataclass(frozen=True)
class Rule(Labelled):
    valid_from: datetime.date
    valid_to: datetime.date | None
    text: dict[str, str]


def test_a_rule_is_in_force_between_its_dates_and_labelled_in_the_active_language():
    rule = Rule(datetime.date(2015, 1, 1), datetime.date(2020, 12, 31), TEXT)
    assert not rule.in_force(datetime.date(2014, 12, 31))
    assert rule.in_force(datetime.date(2015, 1, 1))
    assert rule.in_force(datetime.date(2020, 12, 31))
    assert not rule.in_force(datetime.date(2021, 1, 1))
    assert Rule(datetime.date(2015, 1, 1), None, TEXT).in_force(datetime.date(2099, 1, 1))
    with translation.override("ru"):
        assert rule.label == "По-русски"
    with translation.override("kk"):
        assert rule.label == "Қазақша"
    with translation.override("de"):
        assert rule.label == "Қазақша"
