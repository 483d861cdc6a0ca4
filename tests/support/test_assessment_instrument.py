"""The instrument file: strict loading, frozen released versions, scoring and reasons."""

import shutil
from pathlib import Path

import pytest
import yaml
from django.utils import translation

from qorgau.support.assessment_scoring import explain, score, unanswered
from qorgau.support.instrument import (
    CHECKSUMS,
    INSTRUMENTS_DIR,
    InstrumentFileError,
    checksum,
    load_instrument,
    load_library,
    released,
)
from tests.support.helpers import instrument, lowest

V1 = INSTRUMENTS_DIR / "risk-needs" / "1.yaml"


# Released versions are frozen


def test_every_version_file_is_released_with_its_checksum():
    listed = released(INSTRUMENTS_DIR)
    files = {str(p.relative_to(INSTRUMENTS_DIR)) for p in INSTRUMENTS_DIR.glob("*/*.yaml")}
    assert files == set(listed), "add each new version file to released.sha256"
    for name, digest in listed.items():
        assert checksum(INSTRUMENTS_DIR / name) == digest, f"{name} was edited after release"


def test_version_1_checksum_is_the_released_one():
    # Written here as well: changing both the file and released.sha256 still fails this test.
    assert checksum(V1) == "11496e896b358fc1a9fab9ec46533e6fe2e201d95ae985dd21a69352f9679fa8"


def test_a_changed_released_file_stops_the_library(tmp_path):
    shutil.copytree(INSTRUMENTS_DIR, tmp_path, dirs_exist_ok=True)
    copy = tmp_path / "risk-needs" / "1.yaml"
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(InstrumentFileError, match=r"risk-needs/1\.yaml.*released version"):
        load_library(tmp_path)


def test_the_current_version_is_the_newest_in_force(tmp_path):
    shutil.copytree(INSTRUMENTS_DIR, tmp_path, dirs_exist_ok=True)
    data = yaml.safe_load(V1.read_text(encoding="utf-8"))
    data["version"] = 2
    data["valid_from"] = "2026-06-01"
    (tmp_path / "risk-needs" / "2.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    library = load_library(tmp_path)
    import datetime

    assert library.current("risk-needs", datetime.date(2026, 5, 31)).version == 1
    assert library.current("risk-needs", datetime.date(2026, 6, 1)).version == 2
    assert library.get("risk-needs", 1).version == 1
    assert library.current("risk-needs", datetime.date(2025, 1, 1)) is None


# The loader's refusals name the file, the item and the field


def _broken(tmp_path: Path, change) -> Path:
    data = yaml.safe_load(V1.read_text(encoding="utf-8"))
    change(data)
    folder = tmp_path / "risk-needs"
    folder.mkdir(exist_ok=True)
    path = folder / "1.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _item(data, item_id):
    return next(i for d in data["domains"] for i in d["items"] if i["id"] == item_id)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: _item(d, "supervision")["text"].pop("ru"),
            r"risk-needs/1.yaml: item 'supervision', field 'text.ru': the translation is missing",
        ),
        (
            lambda d: _item(d, "self_harm")["hint"].update(en=" "),
            r"item 'self_harm', field 'hint.en': the translation is missing",
        ),
        (
            lambda d: _item(d, "alcohol").update(id="drugs"),
            r"field 'id': 'drugs' is used twice",
        ),
        (
            lambda d: d["cutoffs"]["child"].update(high=10),
            r"cutoffs, field 'child.high': must be above the level below",
        ),
        (
            lambda d: d["cutoffs"]["society"].update(low=5),
            r"cutoffs, field 'society.low': must be 0",
        ),
        (
            lambda d: d["cutoffs"]["society"].pop("very_high"),
            r"cutoffs, field 'society.very_high': must be a whole number",
        ),
        (
            lambda d: _item(d, "drugs").update(scale="often"),
            r"item 'drugs', field 'scale': 'often' is not a scale",
        ),
        (
            lambda d: _item(d, "drugs").pop("required"),
            r"item 'drugs', field 'required': must be true or false",
        ),
        (
            lambda d: d["domains"][0]["weights"].pop("child"),
            r"domain 'prior_offending', field 'weights.child'",
        ),
        (
            lambda d: d["domains"][0]["items"][0]["options"][1]["label"].pop("kk"),
            r"item 'prior_offences', option 'one', field 'label.kk'",
        ),
        (
            lambda d: d["scales"]["presence"][1].update(score=-1),
            r"scale 'presence', option 'partly', field 'score'",
        ),
        (lambda d: d.update(version=3), r"field 'version': must be 1, the file's name"),
        (lambda d: d.update(valid_from="31.12.2025"), r"field 'valid_from': must be a date"),
        (lambda d: d["domains"][1].update(kind="other"), r"domain 'family', field 'kind'"),
    ],
)
def test_a_broken_file_is_refused_naming_file_item_and_field(tmp_path, change, message):
    path = _broken(tmp_path, change)
    with pytest.raises(InstrumentFileError, match=message):
        load_instrument(path)


def test_the_real_file_has_the_concepts_domains():
    ids = [domain.id for domain in instrument().domains]
    assert ids == [
        "prior_offending",
        "family",
        "education_employment",
        "peers",
        "leisure",
        "substance_use",
        "psychological",
        "pedagogical_neglect",
        "attitudes_behaviour",
        "strengths",
    ]
    assert instrument().domain("strengths").protective


def test_released_listing_ignores_comments():
    assert CHECKSUMS in {p.name for p in INSTRUMENTS_DIR.iterdir()}
    assert all(not name.startswith("#") for name in released(INSTRUMENTS_DIR))


# Scoring at the cut-offs


def _society(**answers):
    return score(instrument(), lowest(**answers))


def test_society_level_at_its_cut_offs():
    prior = {"prior_offences": "several", "earlier_measures": "clearly", "violence": "yes"}
    # prior offending: 6 points x 3 = 18
    assert _society(**prior).totals["society"] == 18
    at_19 = _society(**prior, unstructured_time="partly")  # leisure 1 x 1
    assert (at_19.totals["society"], at_19.levels["society"]) == (19, "low")
    at_20 = _society(**prior, unstructured_time="clearly")
    assert (at_20.totals["society"], at_20.levels["society"]) == (20, "moderate")


@pytest.mark.parametrize(
    ("total", "level"),
    [(0, "low"), (19, "low"), (20, "moderate"), (44, "moderate"), (45, "high"), (74, "high"),
     (75, "very_high"), (500, "very_high")],
)  # fmt: skip
def test_levels_of_society_totals(total, level):
    assert instrument().level_of("society", total) == level


@pytest.mark.parametrize(
    ("total", "level"),
    [(21, "low"), (22, "moderate"), (47, "moderate"), (48, "high"), (77, "high"),
     (78, "very_high")],
)  # fmt: skip
def test_levels_of_child_totals(total, level):
    assert instrument().level_of("child", total) == level


def test_protective_factors_lower_the_total_and_the_level_and_say_so():
    risky = {
        "prior_offences": "several", "earlier_measures": "clearly", "violence": "yes",
        "unstructured_time": "clearly",
    }  # fmt: skip
    without = _society(**risky)
    assert without.levels["society"] == "moderate"
    helped = _society(**risky, trusted_adult="some")  # 1 x 2 off
    assert helped.totals["society"] == 18
    assert helped.levels["society"] == "low"
    assert helped.reasons["society"]["lowered_from"] == "moderate"
    assert helped.reasons["protective"] == ["trusted_adult"]
    with translation.override("en"):
        lines = explain(instrument(), lowest(**risky, trusted_adult="some"), helped.reasons,
                        helped.levels)  # fmt: skip
    assert lines[0].lowered == "Protective factors lowered the level from moderate to low."


def test_a_total_never_goes_below_zero():
    result = _society(trusted_adult="strong", wants_to_change="strong")
    assert result.totals == {"society": 0, "child": 0}


def test_reasons_are_the_domains_that_added_most_with_their_items():
    result = _society(
        offending_friends="clearly", adult_influence="partly",  # peers 3 x 3 = 9
        justifies_offending="clearly", no_regret="clearly", aggression="clearly",  # 6 x 3 = 18
        alcohol="partly",  # substance 1 x 2 = 2
        nights_out="partly",  # leisure 1 x 1: below min_points
    )  # fmt: skip
    society = result.reasons["society"]["domains"]
    assert [entry["domain"] for entry in society] == ["attitudes_behaviour", "peers",
                                                      "substance_use"]  # fmt: skip
    assert society[1] == {"domain": "peers", "points": 9,
                          "items": ["offending_friends", "adult_influence"]}  # fmt: skip
    child = [entry["domain"] for entry in result.reasons["child"]["domains"]]
    assert child == ["peers", "attitudes_behaviour", "substance_use"]  # a tie keeps file order
    with translation.override("en"):
        words = explain(instrument(), lowest(offending_friends="clearly"),
                        score(instrument(), lowest(offending_friends="clearly")).reasons,
                        {"society": "low", "child": "low"})  # fmt: skip
    assert words[0].domains[0].title == "Peers"
    assert words[0].domains[0].answers == ["Has friends who offend — Yes, clearly"]


def test_unanswered_lists_only_required_items_in_order():
    answers = lowest()
    for item_id in ("violence", "material_need", "defiance"):
        answers.pop(item_id)
    assert unanswered(instrument(), answers) == ["violence", "defiance"]
    answers["violence"] = "sometimes"  # not an option of the item
    assert unanswered(instrument(), answers) == ["violence", "defiance"]
