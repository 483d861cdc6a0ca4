"""Supervisions in a generated country: what the probation services would have written, with
their audit rows, and their pages open for the inspectors of the region's service."""

import datetime
from collections import Counter

import pytest
from django.db import connection
from django.urls import reverse

from qorgau.audit.models import AuditEvent
from qorgau.audit.verify import verify_chain
from qorgau.demo.national import runner
from qorgau.probation.models import CheckIn, Reminder, Supervision
from qorgau.probation.rulebook import executed_by_probation
from qorgau.proceedings.models import EventKind

AS_OF = datetime.date(2026, 12, 1)
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator loads PostgreSQL"),
    pytest.mark.django_db,
]


def test_supervisions_are_what_the_services_would_have_written(client):
    runner.generate(seed=3, scale=0.001, as_of=AS_OF, years=2, progress_every=float("inf"))
    supervisions = list(
        Supervision.objects.select_related("judgment", "took_effect", "agency", "inspector")
    )
    assert supervisions, "a generated country has minors under probation"
    for s in supervisions:
        assert s.took_effect.kind in (EventKind.JUDGMENT_IN_FORCE, EventKind.APPEAL_DECISION)
        assert s.judgment.verdict == "conviction"
        if s.basis == "punishment":
            assert executed_by_probation(s.judgment.punishment, s.starts_on)
        assert s.agency.agency_type == "probation"
        assert s.report_by == s.starts_on + datetime.timedelta(days=10)
        days = [c.due_on for c in s.checkins.all()]
        assert len(days) == len(set(days))
        if s.registered_on is not None:
            assert all(day >= s.registered_on for day in days)
            assert s.inspector is not None and s.inspector.agency_id == s.agency_id
        else:
            assert not days and s.status == "awaiting"
        if s.work_hours is not None:
            assert s.hours_worked == sum(w.hours for w in s.work.all()) <= s.work_hours
        if s.status == "ended":
            assert s.ended_on >= s.starts_on and s.end_reason == "served"
    assert Counter(
        AuditEvent.objects.filter(action="probation.receive").values_list("subject_id", flat=True)
    ) == Counter({str(s.pk): 1 for s in supervisions})
    assert AuditEvent.objects.filter(action="probation.check_in").count() == CheckIn.objects.count()
    assert set(Reminder.objects.values_list("kind", flat=True)) <= {
        "not_reported",
        "check_in_overdue",
    }
    verified = verify_chain()
    assert verified.broken is None and verified.rows == AuditEvent.objects.count()
    # The supervision pages open for the inspectors of the service.
    for s in [s for s in supervisions if s.inspector is not None][:3]:
        client.force_login(s.inspector)
        assert client.get(reverse("supervision_detail", args=[s.pk])).status_code == 200
        assert client.get(reverse("probation_caseload")).status_code == 200
