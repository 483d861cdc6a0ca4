"""Reminders that fire when time passes: a convict who has not reported, a check-in not recorded.

Run by `qorgau check-supervision` (schedule it beside `check-deadlines`). Idempotent: a fact
(supervision, kind, day) raises one reminder, whatever the number of runs.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from qorgau.audit.services import record
from qorgau.probation.models import Reminder, ReminderKind, Status, Supervision


@dataclass
class SweepResult:
    raised: int = 0


def _raise(
    supervision: Supervision, kind: str, due_on: datetime.date, now: datetime.datetime
) -> bool:
    _reminder, created = Reminder.objects.get_or_create(
        supervision=supervision,
        kind=kind,
        due_on=due_on,
        defaults={"agency_id": supervision.agency_id, "raised_at": now},
    )
    if created:
        record(
            actor=None,
            action="probation.reminder",
            subject=supervision,
            changes={"reminder": (None, f"{kind}: {due_on.isoformat()}")},
        )
    return created


def sweep(now: datetime.datetime | None = None) -> SweepResult:
    """Raise a reminder for each convict past the report day and each check-in day passed
    with nothing recorded."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    result = SweepResult()
    late = Supervision.objects.filter(status=Status.AWAITING, report_by__lt=day)
    overdue = Supervision.objects.filter(status=Status.ACTIVE, next_check_in_on__lt=day)
    for supervision in late.order_by("id").iterator():
        with transaction.atomic():
            result.raised += _raise(
                supervision, ReminderKind.NOT_REPORTED, supervision.report_by, now
            )
    for supervision in overdue.order_by("id").iterator():
        assert supervision.next_check_in_on is not None
        with transaction.atomic():
            result.raised += _raise(
                supervision, ReminderKind.CHECK_IN_OVERDUE, supervision.next_check_in_on, now
            )
    return result
