"""Who saw this record: every reading, change and refusal of a child's record and of the
records hanging off it (cases, assessments, portraits, plans, mediations...), newest first.

The audit rows name their record by (model label, id). The child's own record and family
are known here; each higher app adds the records it keeps about the child through
`register_related_subjects` from its AppConfig.ready(), as people never imports them.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import require
from qorgau.accounts.models import User
from qorgau.audit.models import AuditEvent
from qorgau.audit.services import record
from qorgau.people.models import Juvenile

PAGE_SIZE = 25
PERMISSION = "audit.view_record_trail"
MESSAGE_PERIOD = _("The end of the period cannot be before its start.")
MESSAGE_CURSOR = _("There is no such place in this trail: open its first page again.")

# juvenile -> [(model label, ids of that model's records about the child)]
RelatedSubjects = Callable[[Juvenile], Iterable[tuple[str, Iterable[Any]]]]
RELATED_SUBJECTS: list[RelatedSubjects] = []


def register_related_subjects(function: RelatedSubjects) -> None:
    if function not in RELATED_SUBJECTS:
        RELATED_SUBJECTS.append(function)


def _own_records(juvenile: Juvenile) -> Iterable[tuple[str, Iterable[Any]]]:
    yield "people.juvenile", [juvenile.pk]
    yield "people.relative", juvenile.relatives.values_list("pk", flat=True)


def subjects_of(juvenile: Juvenile) -> dict[str, set[str]]:
    """Every record the trail files under this child: {model label: {ids}}."""
    subjects: dict[str, set[str]] = {}
    for function in [_own_records, *RELATED_SUBJECTS]:
        for label, ids in function(juvenile):
            subjects.setdefault(label, set()).update(str(pk) for pk in ids)
    return {label: ids for label, ids in subjects.items() if ids}


def events_about(subjects: dict[str, set[str]]) -> Any:
    condition = Q()
    for label, ids in sorted(subjects.items()):
        condition |= Q(subject_type=label, subject_id__in=sorted(ids))
    return AuditEvent.objects.filter(condition) if condition else AuditEvent.objects.none()


@dataclass(frozen=True)
class TrailPage:
    juvenile: Juvenile
    events: list[AuditEvent]
    next_before: int | None  # the cursor of the next (older) page, None on the last one


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic(durable=True)
def view_record_trail(
    *,
    actor: User,
    juvenile_id: int,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
    before: int | None = None,
) -> TrailPage:
    """One page (25 rows, keyset on time and id) of who read, changed or was refused the
    child's records, in the period (local dates, both inclusive); the reading is audited.

    Prosecutors and child-rights specialists (`audit.view_record_trail`) of a child they
    may see; others are refused, and Juvenile.DoesNotExist stands for "not yours".
    """
    require(actor, PERMISSION)
    juvenile = Juvenile.objects.visible_to(actor).get(pk=juvenile_id)
    if since and until and until < since:
        raise ValidationError({"until": MESSAGE_PERIOD})
    events = events_about(subjects_of(juvenile))
    if since:
        events = events.filter(at__gte=_day_start(since))
    if until:
        events = events.filter(at__lt=_day_start(until + datetime.timedelta(days=1)))
    if before is not None:
        anchor = AuditEvent.objects.filter(pk=before).values_list("at", flat=True).first()
        if anchor is None:
            raise ValidationError({"before": MESSAGE_CURSOR})
        events = events.filter(Q(at__lt=anchor) | Q(at=anchor, id__lt=before))
    rows = list(events.select_related("actor").order_by("-at", "-id")[: PAGE_SIZE + 1])
    page = rows[:PAGE_SIZE]
    record(
        actor=actor,
        action="audit.record_trail",
        subject=juvenile,
        details={
            "since": since.isoformat() if since else None,
            "until": until.isoformat() if until else None,
            "before": before,
        },
    )
    return TrailPage(juvenile, page, page[-1].pk if len(rows) > PAGE_SIZE else None)
