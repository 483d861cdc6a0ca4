"""Reads of mediations that the pages, the panels and the API share."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import DecimalField, F, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.core.paging import count_cap, first_ids, rows_of
from qorgau.mediation.models import (
    ZERO,
    Instalment,
    InstalmentState,
    Mediation,
    MediationQuerySet,
    MediationSession,
    Payment,
    Status,
)
from qorgau.proceedings.models import Accused, Proceeding


def _with_details(mediations: MediationQuerySet) -> MediationQuerySet:
    return mediations.select_related(
        "proceeding",
        "accused__juvenile",
        "victim",
        "mediator__agency",
        "referred_by__agency",
        "accused_representative",
        "termination",
        "agreement",
    ).prefetch_related(
        "agreement__instalments",
        "agreement__payments__recorded_by",
        Prefetch("sessions", queryset=MediationSession.objects.select_related("recorded_by")),
    )


def mediations_of_case(*, actor: User, case: Proceeding) -> MediationQuerySet:
    """The mediations of a case the actor may see, newest first, with agreement and payments."""
    return _with_details(Mediation.objects.visible_to(actor).filter(proceeding=case))


def latest_for_minor(*, actor: User, accused: Accused) -> Mediation | None:
    """The minor's latest mediation, for the case page panel."""
    return _with_details(Mediation.objects.visible_to(actor).filter(accused=accused)).first()


def with_details(mediation: Mediation) -> Mediation:
    """The same mediation with its meetings, agreement, schedule and payments loaded."""
    return _with_details(Mediation.objects.filter(pk=mediation.pk)).get()


@dataclass(frozen=True)
class OverdueRow:
    mediation: Mediation
    instalment: InstalmentState
    days: int


@dataclass(frozen=True)
class Workload:
    in_progress: list[Mediation]
    overdue: list[OverdueRow]
    in_progress_count: int  # of all the agency's, up to the count cap
    capped: bool  # more than the count cap


# The Today panel shows the oldest referrals first; the rest wait their turn on the list.
PANEL_ROWS = 10


def agency_workload(*, actor: User, today: datetime.date | None = None) -> Workload | None:
    """The oldest mediations in progress that the actor's agency conducts, their number, and
    the overdue instalments of the oldest agreements behind on their schedule.

    Bounded at any scale: the agency's active mediations are read as ids (its mediators'
    index), and only the rows shown are loaded with their details.
    """
    agency = actor.agency
    if agency is None or not actor.has_perm("mediation.change_mediation"):
        return None
    today = today or timezone.localdate()
    mine = (
        Mediation.objects.visible_to(actor)
        .active()
        .filter(mediator_id__in=agency.staff_ids)
        .order_by("referred_at", "id")
    )
    # Ids and statuses of the first cap + 1, in order (core/paging.first_ids, with the status:
    # an agency with no signed agreement needs no schedule read).
    cap = count_cap()
    found = list(mine.values_list("pk", "status")[: cap + 1])
    ids = [pk for pk, _ in found]
    shown = Mediation.objects.select_related("proceeding", "accused__juvenile")
    in_progress = rows_of(shown, ids[:PANEL_ROWS])
    behind: list[int] = []
    if any(status == Status.AGREEMENT for _, status in found):
        signed = mine.filter(status=Status.AGREEMENT)
        behind = first_ids(_behind_schedule(signed, today), PANEL_ROWS)
    overdue = [
        OverdueRow(m, row, (today - row.instalment.due_on).days)
        for m in rows_of(
            shown.select_related("agreement").prefetch_related(
                "agreement__instalments", "agreement__payments"
            ),
            behind[:PANEL_ROWS],
        )
        for row in m.agreement.overdue(today)
    ]
    return Workload(in_progress, overdue, min(len(ids), cap), len(ids) > cap)


def _behind_schedule(mediations: MediationQuerySet, today: datetime.date) -> MediationQuerySet:
    """Those whose payments do not cover the instalments due before today (Agreement.schedule
    calls such an instalment overdue)."""

    def total(rows: QuerySet[Any], column: str) -> Coalesce:
        summed = rows.values("agreement").annotate(total=Sum(column)).values("total")
        return Coalesce(Subquery(summed), Value(ZERO), output_field=DecimalField())

    due = Instalment.objects.filter(agreement__mediation=OuterRef("pk"), due_on__lt=today)
    paid = Payment.objects.filter(agreement__mediation=OuterRef("pk"))
    return mediations.alias(due=total(due, "amount"), paid=total(paid, "amount")).filter(
        paid__lt=F("due")
    )
