"""A violation the record shows is written in the transaction of the event that shows it: with
the event, or not at all. One fact of one rule is one violation, even when two evaluations
run at once."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from qorgau.audit.models import AuditEvent
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ProceduralEvent
from qorgau.proceedings.signals import event_recorded
from qorgau.safeguards import services
from qorgau.safeguards.models import Violation, ViolationQuerySet
from tests.proceedings.factories import nothing_written
from tests.safeguards.scenario import found, the_one


def test_a_violation_is_written_with_the_event_that_shows_it(file):
    detention = file.record(K.DETENTION, held_separately=False)
    violation = the_one("held_with_adults")
    assert list(violation.events.all()) == [detention]
    assert violation.detected_at >= detention.recorded_at
    audit = AuditEvent.objects.get(action="violation.open", details__violation_id=violation.pk)
    assert audit.actor is None
    assert audit.actor_name == "system"
    assert (audit.subject_type, audit.subject_id) == ("proceedings.proceeding", str(file.case.pk))
    assert audit.changes == {"violation": [None, f"held_with_adults: detention:{detention.pk}"]}
    assert audit.details == {"violation_id": violation.pk, "accused_id": file.accused.pk}


def test_each_violation_found_has_its_audit_row(file):
    file.record(K.DETENTION, held_separately=False)
    opened = AuditEvent.objects.filter(action="violation.open")
    assert sorted(e.details["violation_id"] for e in opened) == sorted(
        Violation.objects.values_list("pk", flat=True)
    )


def test_an_event_rolled_back_takes_its_violation_with_it(file):
    seen = []

    def fail_after_the_safeguards(sender, event, **kwargs):
        # Connected after the safeguards: they have run, in this same transaction.
        seen.append(found("held_with_adults"))
        raise RuntimeError("a later subscriber fails")

    event_recorded.connect(fail_after_the_safeguards, weak=False, dispatch_uid="test.fail")
    try:
        with nothing_written(), pytest.raises(RuntimeError):
            file.record(K.DETENTION, held_separately=False)
    finally:
        event_recorded.disconnect(dispatch_uid="test.fail")
    assert len(seen) == 1
    assert len(seen[0]) == 1
    assert ProceduralEvent.objects.count() == 0
    assert Violation.objects.count() == 0
    assert not AuditEvent.objects.filter(action="violation.open").exists()


def test_an_evaluation_that_fails_leaves_no_event(file, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a check failed")

    monkeypatch.setattr(services, "_record_finding", broken)
    with nothing_written(), pytest.raises(RuntimeError):
        file.record(K.DETENTION, held_separately=False)
    assert Violation.objects.count() == 0


def test_the_database_refuses_a_second_violation_of_the_same_fact(violation):
    twin = Violation(
        rule_id=violation.rule_id,
        fact_key=violation.fact_key,
        proceeding=violation.proceeding,
        accused=violation.accused,
        severity=violation.severity,
        detected_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_two_evaluations_at_once_keep_one_violation_per_fact(file, violation, monkeypatch):
    # The second evaluation does not see the first one's rows yet: the constraint stops it,
    # and the transaction it runs in goes on.
    rows = list(Violation.objects.order_by("pk").values_list("pk", "rule_id", "fact_key"))
    audits = AuditEvent.objects.filter(action="violation.open").count()
    monkeypatch.setattr(ViolationQuerySet, "exists", lambda self: False)
    assert services.evaluate(file.accused) == []
    assert services.sweep(now=file.clock).found == 0
    assert list(Violation.objects.order_by("pk").values_list("pk", "rule_id", "fact_key")) == rows
    assert AuditEvent.objects.filter(action="violation.open").count() == audits
