"""The rules the law fixes, as data: the kz file, a broken file's message, rules in force."""

import copy
import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.apps import apps
from django.utils import timezone, translation

from qorgau.proceedings import legal_rules
from qorgau.proceedings.legal_rules import RuleFileError, load_rule_book, rule_book
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import Stage as S
from qorgau.proceedings.services import record_event
from qorgau.proceedings.services.events import MESSAGE_UNKNOWN_CODE
from tests.proceedings.factories import refusal

KZ = legal_rules.RULES_DIR / "kz.yaml"
D = datetime.timedelta(days=1)


def kz() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(KZ.read_text(encoding="utf-8")))


def rule(data: dict[str, Any], section: str, code: str) -> dict[str, Any]:
    return next(r for r in data[section] if r["code"] == code)


def write(tmp_path: Path, data: Any = None, text: str | None = None) -> Path:
    path = tmp_path / "broken.yaml"
    if text is None:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def problem(path: Path) -> str:
    with pytest.raises(RuleFileError) as excinfo:
        load_rule_book(path)
    return str(excinfo.value)


# The kz profile


def test_the_kz_file_has_the_six_punishments_for_minors_of_cc_article_81():
    book = load_rule_book(KZ)
    punishments = book.section("punishments")
    assert [r.code for r in punishments] == [
        "fine",
        "deprivation_of_right",
        "correctional_works",
        "community_works",
        "restriction_of_freedom",
        "deprivation_of_liberty",
    ]
    assert all("CC RK art. 81" in r.cite.texts["en"] for r in punishments)
    assert all("ҚР ҚК 81-бабы" in r.cite.texts["kk"] for r in punishments)


def test_the_kz_file_makes_a_person_a_minor_under_eighteen():
    book = load_rule_book(KZ)
    assert book.minor_age(timezone.localdate()) == 18
    assert book.get("minor_age", "minor_age").cite.texts == {
        "kk": "ҚР ҚПК 530-бабының 1-бөлігі; ҚР ҚК 80-бабы",
        "ru": "ч. 1 ст. 530 УПК РК; ст. 80 УК РК",
        "en": "CPC RK art. 530 part 1; CC RK art. 80",
    }


def test_the_kz_file_has_the_measures_and_grounds_of_the_issue():
    book = load_rule_book(KZ)
    assert book.codes("preventive_measures") == [
        "custody",
        "house_arrest",
        "supervision",
        "bail",
        "written_undertaking",
        "none",
    ]
    assert book.codes("termination_grounds") == [
        "reconciliation",
        "educational_measures",
        "lagging_development",  # CPC art. 35 part 5 (issue 12: the coverage of legal-kz.md)
        "active_repentance",
        "no_corpus_delicti",
        "amnesty",
        "other",
    ]


def test_the_configured_profile_is_kz_and_speaks_three_languages():
    fine = rule_book().get("punishments", "fine")
    assert fine is not None
    for language, text in [("kk", "айыппұл"), ("ru", "штраф"), ("en", "fine")]:
        with translation.override(language):
            assert fine.label == text


# A broken file names the file, the rule and the field


def test_a_missing_section(tmp_path):
    data = kz()
    del data["termination_grounds"]
    assert problem(write(tmp_path, data)) == (
        "broken.yaml: rule 'termination_grounds', field 'termination_grounds': "
        "section is missing or empty"
    )


def test_an_empty_section(tmp_path):
    data = kz()
    data["punishments"] = []
    assert "rule 'punishments', field 'punishments'" in problem(write(tmp_path, data))


@pytest.mark.parametrize("name", ["code", "citation", "confirmed", "valid_from", "text"])
def test_a_rule_without_a_required_field(tmp_path, name):
    data = kz()
    del rule(data, "punishments", "community_works")[name]
    code = "punishments[3]" if name == "code" else "community_works"
    assert problem(write(tmp_path, data)) == (
        f"broken.yaml: rule '{code}', field '{name}': is missing"
    )


def test_a_rule_without_its_russian_text(tmp_path):
    data = kz()
    rule(data, "termination_grounds", "amnesty")["text"]["ru"] = "  "
    assert problem(write(tmp_path, data)) == (
        "broken.yaml: rule 'amnesty', field 'text.ru': is missing"
    )


def test_a_text_that_is_not_a_mapping_of_languages(tmp_path):
    data = kz()
    rule(data, "preventive_measures", "bail")["text"] = "залог"
    assert "rule 'bail', field 'text'" in problem(write(tmp_path, data))


def test_a_date_that_does_not_exist_written_as_a_date(tmp_path):
    # The first valid_from of the file is the minor_age rule's; unquoted, as people write it.
    text = KZ.read_text(encoding="utf-8").replace(
        "valid_from: 2015-01-01", "valid_from: 2015-02-30", 1
    )
    assert problem(write(tmp_path, text=text)) == (
        "broken.yaml: rule 'minor_age', field 'valid_from': '2015-02-30' is not a date (YYYY-MM-DD)"
    )


def test_a_date_that_is_not_a_date(tmp_path):
    data = kz()
    rule(data, "punishments", "fine")["valid_to"] = "soon"
    assert problem(write(tmp_path, data)) == (
        "broken.yaml: rule 'fine', field 'valid_to': 'soon' is not a date (YYYY-MM-DD)"
    )


def test_a_rule_that_ends_before_it_starts(tmp_path):
    data = kz()
    rule(data, "punishments", "fine")["valid_to"] = datetime.date(2014, 12, 31)
    assert problem(write(tmp_path, data)) == (
        "broken.yaml: rule 'fine', field 'valid_to': is before valid_from"
    )


@pytest.mark.parametrize("value", ["probably", "true", 1])
def test_confirmed_that_is_not_true_or_false(tmp_path, value):
    data = kz()
    rule(data, "preventive_measures", "custody")["confirmed"] = value
    assert problem(write(tmp_path, data)) == (
        "broken.yaml: rule 'custody', field 'confirmed': must be true or false"
    )


def test_a_rule_that_is_not_a_mapping(tmp_path):
    data = kz()
    data["punishments"][1] = "deprivation_of_right"
    assert "rule 'punishments[1]'" in problem(write(tmp_path, data))


def test_the_minor_age_without_its_value(tmp_path):
    data = kz()
    del data["minor_age"][0]["value"]
    assert problem(write(tmp_path, data)) == (
        "broken.yaml: rule 'minor_age', field 'value': is missing"
    )


@pytest.mark.parametrize(
    "text", ["minor_age: [unclosed", "- just\n- a list\n"], ids=["bad-yaml", "not-a-mapping"]
)
def test_a_file_that_is_not_a_rule_book(tmp_path, text):
    assert problem(write(tmp_path, text=text)).startswith("broken.yaml: rule '-', field '-':")


def test_a_missing_file(tmp_path):
    assert "cannot be read" in problem(tmp_path / "absent.yaml")


def test_a_broken_file_stops_the_start_up(profile):
    data = kz()
    del rule(data, "punishments", "fine")["citation"]
    profile(data)
    with pytest.raises(RuleFileError, match="rule 'fine', field 'citation'"):
        apps.get_app_config("proceedings").ready()


# An event is judged by the rule in force on its date


@pytest.fixture
def profile(tmp_path, settings, monkeypatch):
    """Make a rule book the configured profile for one test."""

    def use(data: dict[str, Any]) -> None:
        (tmp_path / "test.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        monkeypatch.setattr(legal_rules, "RULES_DIR", tmp_path)
        settings.QORGAU_JURISDICTION = "test"
        legal_rules.rule_book.cache_clear()

    yield use
    legal_rules.rule_book.cache_clear()


def in_force_from(section: str, code: str, day: datetime.date) -> dict[str, Any]:
    data = kz()
    rule(data, section, code)["valid_from"] = day
    return data


@pytest.mark.parametrize(("days_late", "accepted"), [(1, False), (0, True)])
def test_a_ground_not_yet_in_force_on_the_day_of_the_termination(
    file, profile, days_late, accepted
):
    file.drive(S.INVESTIGATION)
    at = file.tick()
    profile(in_force_from("termination_grounds", "amnesty", timezone.localdate(at) + days_late * D))
    call = {
        "actor": file.team.investigator,
        "accused": file.accused,
        "kind": K.TERMINATION,
        "started_at": at,
        "ground": "amnesty",
    }
    if accepted:
        assert record_event(**call).ground == "amnesty"
    else:
        assert refusal(record_event, **call) == {"ground": [MESSAGE_UNKNOWN_CODE]}


def test_a_measure_no_longer_in_force_on_the_day_it_is_chosen(file, profile):
    at = file.tick()
    data = kz()
    rule(data, "preventive_measures", "bail")["valid_to"] = timezone.localdate(at) - D
    profile(data)
    errors = refusal(
        record_event,
        actor=file.team.investigator,
        accused=file.accused,
        kind=K.PREVENTIVE_MEASURE,
        started_at=at,
        measure="bail",
    )
    assert errors == {"measure": [MESSAGE_UNKNOWN_CODE]}


def test_a_punishment_introduced_after_the_judgment_date_is_refused(file, profile):
    file.drive(S.IN_COURT)
    at = file.tick()
    profile(in_force_from("punishments", "fine", timezone.localdate(at) + D))
    errors = refusal(
        record_event,
        actor=file.team.judge,
        accused=file.accused,
        kind=K.JUDGMENT,
        started_at=at,
        verdict="conviction",
        punishment="fine",
        fine_amount=100000,
    )
    assert errors == {"punishment": [MESSAGE_UNKNOWN_CODE]}
