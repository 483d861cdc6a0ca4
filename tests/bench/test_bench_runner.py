"""The benchmark runner at a tiny scale, so it does not rot: every page on the demo data."""

import json

import pytest
from django.core.management import call_command
from django.db import transaction

from bench import load, run
from bench.measure import run_pages, table
from bench.pages import FLOOR, MAX_QUERIES, PAGES, Page
from bench.picks import choose
from bench.report import pages_table


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        # As Django's TestCase marks its own: the services' durable blocks may nest in it.
        outer._from_testcase = True  # type: ignore[attr-defined]
        with outer:
            call_command("load_demo", verbosity=0)
            yield
            transaction.set_rollback(True)


@pytest.fixture
def demo(demo_data, db):
    return None


def test_every_page_answers_200_and_the_results_have_their_shape(demo, tmp_path, capsys):
    document = run.benchmark(scale="tiny", requests=2, warmup=0)
    out = run.save(document, tmp_path / "scale-tiny.json")
    saved = json.loads(out.read_text(encoding="utf-8"))

    assert saved["failed"] == {}
    assert saved["skipped"] == {}
    assert set(saved["pages"]) == {page.key for page in PAGES}
    for key, page in saved["pages"].items():
        assert 0 < page["p50"] <= page["p95"], key
        assert page["requests"] == 2
        # Every page reads at least the session and its user; the floor does nothing more.
        assert page["queries"] >= 2, key
        assert page["ratio"] == round(page["p50"] / page["floor_p50"], 1), key
    assert saved["pages"][FLOOR.key]["ratio"] == 1.0
    over = {
        key: (page["queries"], page["max_queries"])
        for key, page in saved["pages"].items()
        if page["queries"] > page["max_queries"]
    }
    assert over == {}  # (queries, ceiling) of the pages over their ceiling
    assert saved["pages"]["case page (investigator)"]["queries"] > 2
    assert saved["pages"]["case page (prosecutor)"]["role"] == "prosecutor"
    assert saved["picks"]["case"]["events"] > 0
    assert saved["volumes"]["cases"] > 0
    assert {"cpus", "python", "django", "database"} <= set(saved["machine"])
    printed = table(saved)
    assert "case page (investigator)" in printed and "FAILED" not in printed
    markdown = pages_table(saved)
    assert "| case page (investigator) | investigator |" in markdown
    assert markdown.count("\n| ") == len(PAGES) + 1  # the heading and a row a page


def test_every_page_has_a_query_ceiling():
    assert {page.key for page in PAGES} == set(MAX_QUERIES)


def test_a_page_over_its_query_ceiling_is_marked():
    row = {"role": "investigator", "p50": 1.0, "p95": 2.0, "ratio": 1.0, "target_p95": None}
    row |= {"within_target": None, "queries": 9, "max_queries": 8}
    printed = table({"pages": {"some page": row}, "failed": {}, "skipped": {}})
    assert "SQL>8" in printed
    row["queries"] = 8
    assert "SQL>" not in table({"pages": {"some page": row}, "failed": {}, "skipped": {}})


def test_the_typical_case_is_the_median_by_events_and_its_team_opens_it(demo):
    picks = choose()

    assert picks.case is not None
    assert picks.users["investigator"] == picks.case.investigator
    assert picks.users["prosecutor"] == picks.case.prosecutor
    assert picks.juvenile is not None and picks.juvenile.iin


def test_a_failing_page_is_reported_not_timed(demo):
    picks = choose()
    missing = Page("no such page", "investigator", lambda p: "/no-such-page/")

    results = run_pages([missing], picks, requests=2, warmup=0)

    assert list(results["pages"]) == [FLOOR.key]  # the floor is always measured
    assert results["failed"]["no such page (investigator)"]["error"] == "answered 404"


def test_a_page_without_its_object_or_actor_is_skipped_with_the_reason(demo):
    picks = choose()
    picks.mediation = None
    pages = [
        Page("mediation", "investigator", lambda p: "/", ("mediation",)),
        Page("Today", "nobody", lambda p: "/"),
    ]

    results = run_pages(pages, picks, requests=1, warmup=0)

    assert results["skipped"] == {
        "mediation (investigator)": "nothing to open: no mediation in this database",
        "Today (nobody)": "no nobody to sign in as in this database",
    }


def test_the_mixed_load_names_real_pages_and_the_demo_gives_them_all(demo):
    keys = {page.key for page in PAGES}
    assert {key for key, _ in load.MIX} <= keys

    mix = load.mix_of(choose())

    assert [page.key for page, _ in mix] == [key for key, _ in load.MIX]


def test_the_wrk_result_line_is_read_and_its_absence_is_an_error():
    line = 'BENCH_RESULT {"requests": 10, "page_views_per_s": 5.0, "latency_ms": {"p95": 9.5}}'

    assert load.parse_wrk("Running 1s test\n" + line + "\n")["latency_ms"]["p95"] == 9.5
    with pytest.raises(RuntimeError, match="wrk printed no result"):
        load.parse_wrk("Running 1s test\n")
