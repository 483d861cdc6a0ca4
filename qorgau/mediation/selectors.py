"""Reads of mediations that the pages, the panels and the API share."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.mediation.models import (
    InstalmentState,
    Mediation,
    MediationQuerySet,
    MediationSession,
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


def agency_workload(*, actor: User, today: datetime.date | None = None) -> Workload | None:
    """Mediations in progress that the actor's agency conducts, and their overdue instalments."""
    if actor.agency_id is None or not actor.has_perm("mediation.change_mediation"):
        return None
    today = today or timezone.localdate()
    mediations: QuerySet[Mediation] = _with_details(
        Mediation.objects.visible_to(actor)
        .active()
        .filter(mediator__agency_id=actor.agency_id)
        .order_by("referred_at", "id")
    )
    in_progress = list(mediations)
    overdue = [
        OverdueRow(m, row, (today - row.instalment.due_on).days)
        for m in in_progress
        if m.status == Status.AGREEMENT and hasattr(m, "agreement")
        for row in m.agreement.overdue(today)
    ]
    return Workload(in_progress=in_progress, overdue=overdue)
