"""`qorgau check-deadlines --at TIME`: the sweep as if run at that time (backfill, tests)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from qorgau.audit.models import AuditEvent
from qorgau.proceedings.models import EventKind as K
from qorgau.safeguards.models import Violation
from tests.safeguards.scenario import D, H, M, found


def run(at: str) -> str:
    out = io.StringIO()
    call_command("check_deadlines", at=at, stdout=out)
    return out.getvalue()


def naive(moment) -> str:
    """The moment as Almaty wall-clock time without an offset."""
    return timezone.localtime(moment).replace(tzinfo=None).isoformat()


def test_it_finds_a_deadline_as_at_the_time_given_and_dates_the_violation_then(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    before = run((detention.started_at + 23 * H).isoformat())
    assert "check-deadlines as at" in before
    assert found("detention_time_limit") == []  # 23 hours: not yet
    at = detention.started_at + 25 * H
    out = run(at.isoformat())
    [violation] = found("detention_time_limit")
    assert violation.detected_at == at
    assert violation.facts["held"] == 25
    assert f"{Violation.objects.filter(detected_at=at).count()} new violation(s)" in out


def test_a_time_without_offset_is_almaty_time(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    at = detention.started_at + 25 * H
    run(naive(at))
    [violation] = found("detention_time_limit")
    assert violation.detected_at == at


def test_running_it_twice_at_the_same_time_raises_nothing_new(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    at = (detention.started_at + 2 * D).isoformat()
    first = run(at)
    assert " 0 new" not in first
    rows = list(Violation.objects.values_list("pk", "rule_id", "fact_key", "detected_at"))
    audit = AuditEvent.objects.count()
    assert run(at).endswith(": 0 new violation(s)\n")
    assert list(Violation.objects.values_list("pk", "rule_id", "fact_key", "detected_at")) == rows
    assert AuditEvent.objects.count() == audit


def test_a_backfill_counts_the_steps_recorded_before_its_time(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    file.record(K.RELEASE, at=detention.started_at + 20 * H)
    # As at 30 hours the minor had been released at 20: no detention past its limit.
    run((detention.started_at + 30 * H).isoformat())
    assert found("detention_time_limit") == []


@pytest.mark.parametrize("text", ["yesterday", "2026-13-01T10:00", "25.11.2026 10:00", ""])
def test_a_time_it_cannot_read_is_refused_with_the_form_to_use_and_nothing_written(file, text):
    file.record(K.DETENTION, at=file.offence + H)
    before = (Violation.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("check_deadlines", at=text or " ", stdout=io.StringIO())
    assert (Violation.objects.count(), AuditEvent.objects.count()) == before


def test_a_time_in_the_future_is_refused(file):
    with pytest.raises(CommandError, match="in the future"):
        call_command("check_deadlines", at=(timezone.now() + D).isoformat(), stdout=io.StringIO())


def test_without_at_it_runs_by_the_clock(file):
    detention = file.record(K.DETENTION, at=file.offence + H)
    out = io.StringIO()
    call_command("check_deadlines", stdout=out)
    assert "as at" not in out.getvalue()
    [violation] = found("detention_time_limit")
    assert violation.detected_at > detention.started_at + 2 * D
    assert violation.detected_at <= timezone.now() + M
