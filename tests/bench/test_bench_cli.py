"""The benchmark's command line: the database it names, what it refuses, what it computes."""

import pytest

from bench import run
from bench.measure import percentile
from bench.picks import Picks


def test_an_empty_database_says_how_to_generate_one(db, monkeypatch):
    monkeypatch.delenv("BENCH_DATABASE_URL", raising=False)
    url = run.database_url("0.1")

    message = run.empty_database_message("0.1", url)

    assert url == "postgres://postgres@127.0.0.1:5432/qorgau_scale_0_1"
    assert message is not None
    assert "holds no cases or no staff" in message
    assert "qorgau generate-national --scale 0.1" in message


def test_bench_database_url_wins_and_its_password_is_not_shown(monkeypatch):
    monkeypatch.setenv("BENCH_DATABASE_URL", "postgres://bench:s3cret@db:5432/country")

    url = run.database_url("10")

    assert url == "postgres://bench:s3cret@db:5432/country"
    assert run.shown(url) == "postgres://bench:***@db:5432/country"


def test_bad_arguments_are_refused(capsys):
    with pytest.raises(SystemExit):
        run.parse(["--requests", "0"])
    assert "--requests must be at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        run.parse(["--scale", "../etc"])
    assert "--scale" in capsys.readouterr().err


def test_percentiles_are_nearest_rank():
    values = [float(v) for v in range(100, 0, -1)]
    assert percentile(values, 0.5) == 50.0
    assert percentile(values, 0.95) == 95.0
    assert percentile([7.0], 0.95) == 7.0


def test_nothing_chosen_describes_no_users():
    assert Picks().describe() == {"users": {}}
