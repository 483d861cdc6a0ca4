"""The periodic sweep (`qorgau check-deadlines`): it finds what time alone makes a violation,
never twice for the same fact, however often it runs, and leaves finished cases alone."""

import io
import sys

import pytest
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

from qorgau import cli
from qorgau.audit.context import current_origin
from qorgau.audit.models import AuditEvent
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import Stage
from qorgau.safeguards import services
from qorgau.safeguards.models import Status, Violation
from tests.safeguards.scenario import D, H, M, found, the_one

# What a detention nine days ago with nothing after it shows by the clock.
AFTER_A_LONE_DETENTION = {
    "defender_after_detention",
    "representative_notified",
    "psychologist_after_detention",
    "detention_time_limit",
}


def rule_ids(violations) -> set[str]:
    return {v.rule_id for v in violations}


def test_sweeping_twice_finds_nothing_new(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    assert rule_ids(Violation.objects.all()) == {"specialized_officials"}
    first = services.sweep(now=detention.started_at + 2 * D).found
    assert first == len(AFTER_A_LONE_DETENTION)
    assert rule_ids(Violation.objects.exclude(rule_id="specialized_officials")) == (
        AFTER_A_LONE_DETENTION
    )
    before = list(Violation.objects.values_list("pk", "rule_id", "fact_key", "detected_at"))
    assert services.sweep(now=detention.started_at + 2 * D).found == 0
    assert services.sweep(now=detention.started_at + 5 * D).found == 0
    after = list(Violation.objects.values_list("pk", "rule_id", "fact_key", "detected_at"))
    assert after == before
    assert AuditEvent.objects.filter(action="violation.open").count() == len(before)


def test_a_violation_found_on_an_event_is_not_found_again_by_the_sweep(file):
    detention = file.record(K.DETENTION, held_separately=False, at=file.offence + H)
    file.record(K.RELEASE, at=detention.started_at + 25 * H)
    # On the release: adults, 25 hours, and nobody came within 3 hours.
    found_on_events = Violation.objects.count()
    assert len(found("held_with_adults")) == 1
    assert len(found("detention_time_limit")) == 1
    assert len(found("defender_after_detention")) == 1
    assert services.sweep(now=detention.started_at + 3 * D).found == 0
    assert Violation.objects.count() == found_on_events
    assert len(found("held_with_adults")) == 1
    assert len(found("detention_time_limit")) == 1


def test_a_step_entered_after_the_sweep_found_it_missing_adds_no_violation(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    services.sweep(now=detention.started_at + 3 * H + M)
    violation = the_one("representative_notified")
    file.record(K.REPRESENTATIVE_NOTIFIED, at=detention.started_at + 5 * H)
    assert found("representative_notified") == [violation]
    assert list(violation.events.values_list("kind", flat=True)) == [K.DETENTION]


def test_an_answered_violation_is_not_opened_again(file, violation, prosecutor):
    services.remedy(actor=prosecutor, violation=violation, note="Бөлек камераға ауыстырылды.")
    services.sweep(now=file.offence + 5 * D)
    file.record(K.INTERROGATION, attendees=[file.defender])
    violation.refresh_from_db()
    assert found("held_with_adults") == [violation]
    assert violation.status == Status.REMEDIED


def test_a_finished_case_is_judged_up_to_its_last_step(file):
    # Detained, and the prosecution terminated two hours later: nobody came, nobody released.
    detention = file.record(K.DETENTION, at=file.offence + H)
    file.record(K.TERMINATION, at=detention.started_at + H)
    file.record(K.TERMINATION_APPROVED, at=detention.started_at + 2 * H)
    assert file.stage()[0] == Stage.TERMINATED
    before = Violation.objects.count()
    assert services.sweep(now=file.offence + 365 * D).found == 0
    assert Violation.objects.count() == before


def test_an_open_case_is_judged_by_the_clock(file):
    # The same, the termination still awaiting the prosecutor's approval.
    detention = file.record(K.DETENTION, at=file.offence + H)
    file.record(K.TERMINATION, at=detention.started_at + H)
    assert services.sweep(now=file.offence + 365 * D).found == len(AFTER_A_LONE_DETENTION) + 2
    assert len(found("late_reaction")) == len(found("charge_decided")) == 1


def test_the_sweep_goes_through_every_open_case(file, old_file):
    file.record(K.DETENTION, held_separately=True, at=file.offence + H)
    old_file.record(K.DETENTION, held_separately=True, at=old_file.offence + H)
    found_now = services.sweep(now=file.offence + 2 * D).found
    assert found_now == 2 * len(AFTER_A_LONE_DETENTION) + 2  # and the old case's deadlines
    assert rule_ids(found("late_reaction")) == {"late_reaction"}
    assert [v.accused for v in found("late_reaction")] == [old_file.accused]
    assert {v.accused for v in found("detention_time_limit")} == {file.accused, old_file.accused}


# The command


@pytest.fixture
def origin_kept():
    """The command sets the audit origin of its context; give the next test the one it had."""
    before = current_origin.get()
    yield
    current_origin.set(before)


def test_check_deadlines_twice_reports_nothing_new_the_second_time(file, origin_kept):
    file.record(K.DETENTION, at=file.offence + H)
    before = set(Violation.objects.values_list("pk", flat=True))
    out = io.StringIO()
    call_command("check_deadlines", stdout=out)
    new = Violation.objects.exclude(pk__in=before)
    assert rule_ids(new) == AFTER_A_LONE_DETENTION
    assert out.getvalue() == f"check-deadlines: {len(AFTER_A_LONE_DETENTION)} new violation(s)\n"
    opened = AuditEvent.objects.filter(action="violation.open", details__violation_id__in=[
        v.pk for v in new
    ])  # fmt: skip
    assert {(e.channel, e.actor_id, e.actor_name) for e in opened} == {("system", None, "system")}

    again = io.StringIO()
    call_command("check_deadlines", stdout=again)
    assert again.getvalue() == "check-deadlines: 0 new violation(s)\n"
    assert Violation.objects.exclude(pk__in=before).count() == len(AFTER_A_LONE_DETENTION)


def test_the_console_script_takes_check_deadlines_with_a_hyphen(
    file, monkeypatch, capsys, origin_kept
):
    file.record(K.DETENTION, at=file.offence + H)
    # A command run from the command line closes the connections when it ends; here that
    # would end the test's transaction on PostgreSQL.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.setattr(sys, "argv", ["qorgau", "check-deadlines"])
    assert cli.main() == 0
    assert capsys.readouterr().out == (
        f"check-deadlines: {len(AFTER_A_LONE_DETENTION)} new violation(s)\n"
    )
    monkeypatch.setattr(sys, "argv", ["qorgau", "check-deadlines"])
    cli.main()
    assert capsys.readouterr().out == "check-deadlines: 0 new violation(s)\n"


def test_one_minor_failing_does_not_stop_the_sweep(file, old_file, monkeypatch):
    """A check that breaks on one minor is logged; the others are still checked."""
    other = old_file
    real = services.evaluate

    def fragile(accused, now=None, *, by_clock=False):
        if accused.pk == file.accused.pk:
            raise RuntimeError("broken record")
        return real(accused, now, by_clock=by_clock)

    monkeypatch.setattr(services, "evaluate", fragile)
    result = services.sweep(now=timezone.now())
    assert result.failed == [file.accused.pk]
    assert Violation.objects.filter(accused=other.accused).exists() is True
