"""Every confirmed limit of legal-kz.md has its rule: the list (rules/kz-limits.yaml) is
compared with the rule files, so a limit cannot be silently missing."""

import re
from pathlib import Path

import pytest

from qorgau.core import citations
from qorgau.core.rulefiles import read_yaml
from qorgau.proceedings.legal_rules import rule_book
from qorgau.safeguards.rulebook import RULES_DIR, safeguard_book

LIMITS = RULES_DIR / "kz-limits.yaml"
ROOT = Path(__file__).resolve().parents[2]
CHAPTER_56 = [str(n) for n in range(530, 546)] + ["545-1"]
KINDS = ("rules", "elsewhere", "not_checked")


def limits(path: Path = LIMITS) -> list[dict]:
    return read_yaml(path)["limits"]


def rule_citation(name: str) -> citations.Citation | None:
    """The citation of a rule named "<file>:<id>", None when there is no such rule."""
    where, _, rule_id = name.partition(":")
    if where == "safeguards":
        found = safeguard_book().get(rule_id)
        return found.cite if found else None
    if where == "proceedings":
        book = rule_book()
        found = next((r for s in book.rules for r in book.rules[s] if r.code == rule_id), None)
        return found.cite if found else None
    return None


def test_each_limit_says_how_it_is_kept_once():
    for limit in limits():
        kinds = [kind for kind in KINDS if limit.get(kind)]
        assert len(kinds) == 1, limit
        assert limit["limit"].strip(), limit
        assert citations.parse(limit["citation"]), limit  # a code article, read strictly


def test_every_article_of_chapter_56_is_in_the_list():
    listed = {
        ref.article
        for limit in limits()
        for ref in citations.parse(limit["citation"])
        if ref.code == "CPC"
    }
    missing = [article for article in CHAPTER_56 if article not in listed]
    assert not missing, f"CPC chapter 56 articles not in {LIMITS.name}: {missing}"


def uncovered(path: Path = LIMITS) -> list[str]:
    """Each limit whose named rule is missing or does not cite it, with its citation."""
    missing = []
    for limit in limits(path):
        for name in limit.get("rules") or []:
            cite = rule_citation(name)
            refs = citations.parse(limit["citation"])
            if cite is None or not all(cite.cites(ref) for ref in refs):
                missing.append(f"{limit['citation']} ({limit['limit']}) → {name}")
    return missing


def test_every_limit_kept_by_rules_is_cited_by_each_of_them():
    missing = uncovered()
    assert not missing, "limits without a rule citing them:\n" + "\n".join(missing)


def test_a_limit_kept_elsewhere_names_an_existing_file():
    for limit in limits():
        if limit.get("elsewhere"):
            paths = re.findall(r"[\w/-]+\.(?:csv|yaml|py)", limit["elsewhere"])
            assert paths, limit
            for path in paths:
                assert list((ROOT / "qorgau").glob(path)), (limit["citation"], path)


def test_every_code_article_a_safeguard_cites_is_in_the_list():
    """The other way round: a rule resting on an article the list does not name is a limit
    missing from the list (or a wrong citation)."""
    listed = [citations.parse(limit["citation"]) for limit in limits()]
    unlisted = []
    for rule in safeguard_book().rules:
        for ref in rule.cite.refs:
            if not any(own.covers(ref) or ref.covers(own) for refs in listed for own in refs):
                unlisted.append(f"{rule.id}: {ref}")
    assert unlisted == [] or set(unlisted) <= ALLOWED_UNLISTED, unlisted


# Articles the safeguards cite that are not limits of legal-kz.md's confirmed list.
ALLOWED_UNLISTED = {
    "specialized_officials: CPC RK art. 307",  # the juvenile courts' jurisdiction
    "charge_decided: CPC RK art. 192",  # a time standard of General Comment 24 (unconfirmed)
}


@pytest.mark.parametrize("rule_id", ["interrogation_daytime", "representative_at_interrogation"])
def test_the_time_of_day_and_presence_limits_of_article_535_are_rules(rule_id):
    rule = safeguard_book().get(rule_id)
    assert rule is not None and rule.confirmed
    assert rule.cite.cites(citations.Ref("CPC", "535"))


def test_a_missing_rule_is_named_with_its_citation(tmp_path):
    """The comparison fails loudly: a limit whose rule is gone is named with its citation."""
    text = LIMITS.read_text(encoding="utf-8").replace(
        "rules: [safeguards:interrogation_daytime]", "rules: [safeguards:no_such_rule]"
    )
    changed = tmp_path / "kz-limits.yaml"
    changed.write_text(text, encoding="utf-8")
    assert uncovered(changed) == [
        "CPC RK art. 535 (A minor is interrogated in the daytime.) → safeguards:no_such_rule"
    ]
