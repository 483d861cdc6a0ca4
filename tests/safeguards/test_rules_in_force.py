"""A step is judged by the rules in force on its day: a rule that starts later, or ended
earlier, is not applied to it, on the event or in the sweep."""

import dataclasses
import datetime

import pytest
from django.utils import timezone

from qorgau.proceedings.models import EventKind as K
from qorgau.safeguards import services
from qorgau.safeguards.rulebook import safeguard_book
from tests.safeguards.scenario import D, H, M, found


@pytest.fixture
def in_force(monkeypatch):
    """Make the book one in which a rule is in force only between the given days."""

    def use(rule_id: str, valid_from: datetime.date, valid_to: datetime.date | None = None):
        book = safeguard_book()
        rules = tuple(
            dataclasses.replace(rule, valid_from=valid_from, valid_to=valid_to)
            if rule.id == rule_id
            else rule
            for rule in book.rules
        )
        assert rules != book.rules
        monkeypatch.setattr(
            services, "safeguard_book", lambda: dataclasses.replace(book, rules=rules)
        )

    return use


@pytest.mark.parametrize(
    ("starts", "applied"),
    [
        pytest.param(D, False, id="from-the-next-day"),
        pytest.param(0 * D, True, id="from-that-day"),
    ],
)
def test_a_rule_from_a_later_day_is_not_applied_to_an_event(file, in_force, starts, applied):
    at = file.tick()
    in_force("held_with_adults", timezone.localdate(at) + starts)
    file.record(K.DETENTION, at=at, held_separately=False)
    assert len(found("held_with_adults")) == int(applied)


@pytest.mark.parametrize(
    ("ends", "applied"),
    [
        pytest.param(-D, False, id="until-the-day-before"),
        pytest.param(0 * D, True, id="until-that-day"),
    ],
)
def test_a_rule_that_ended_before_the_day_is_not_applied(file, in_force, ends, applied):
    at = file.tick()
    in_force("held_with_adults", datetime.date(2015, 1, 1), timezone.localdate(at) + ends)
    file.record(K.DETENTION, at=at, held_separately=False)
    assert len(found("held_with_adults")) == int(applied)


def test_the_sweep_applies_the_rule_in_force_on_the_day_of_the_detention(file, in_force):
    detention = file.record(K.DETENTION, at=file.offence + H)
    # The rule starts the day after the detention; the sweep runs when it is in force.
    in_force("detention_time_limit", timezone.localdate(detention.started_at) + D)
    services.sweep(now=detention.started_at + 48 * H + M)
    assert found("detention_time_limit") == []
    assert len(found("defender_after_detention")) == 1  # the other rules still apply
