"""Reads of cases that the pages and the API share."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from qorgau.accounts.models import User
from qorgau.people.models import Juvenile
from qorgau.proceedings import policy
from qorgau.proceedings.models import (
    Accused,
    Charge,
    Participant,
    ProceduralEvent,
    Proceeding,
    ProceedingQuerySet,
)


@dataclass(frozen=True)
class CaseFilters:
    region_id: int | None = None
    stage: str = ""
    investigator_id: int | None = None
    gravity: str = ""
    registered_from: datetime.date | None = None
    registered_to: datetime.date | None = None
    query: str = ""


def cases_for_list(*, actor: User, filters: CaseFilters) -> ProceedingQuerySet:
    """The cases the actor's agency takes part in, filtered, with what a list row shows."""
    cases = Proceeding.objects.visible_to(actor)
    if filters.region_id:
        cases = cases.filter(
            Q(territory_id=filters.region_id) | Q(territory__parent_id=filters.region_id)
        )
    if filters.investigator_id:
        cases = cases.filter(investigator_id=filters.investigator_id)
    # Stage and gravity must hold for the same minor, so they are one condition on Accused.
    minors = Accused.objects.all()
    if filters.stage:
        minors = minors.filter(stage=filters.stage)
    if filters.gravity:
        minors = minors.filter(charges__ended_at=None, charges__article__gravity=filters.gravity)
    if filters.stage or filters.gravity:
        cases = cases.filter(pk__in=minors.values("proceeding"))
    if filters.registered_from:
        cases = cases.filter(registered_on__gte=filters.registered_from)
    if filters.registered_to:
        cases = cases.filter(registered_on__lte=filters.registered_to)
    if filters.query:
        named = Juvenile.objects.matching(filters.query).values("pk")
        cases = cases.filter(
            Q(number__icontains=filters.query)
            | Q(pk__in=Accused.objects.filter(juvenile__in=named).values("proceeding"))
        )
    return (
        cases.distinct()
        .select_related("territory", "investigator", "registering_agency")
        .prefetch_related(
            Prefetch("accused", queryset=Accused.objects.select_related("juvenile").order_by("id"))
        )
    )


def case_for_page(*, actor: User, pk: int) -> Proceeding:
    """One case with its minors, charges, people and timeline, in a fixed number of queries."""
    events = (
        ProceduralEvent.objects.select_related("author__agency", "acting_agency", "participant")
        .prefetch_related("attendees", "author__groups")
        .order_by("-started_at", "-id")
    )
    charges = Charge.objects.select_related("article", "charged_by", "requalified_from__article")
    accused = Accused.objects.select_related("juvenile").prefetch_related(
        Prefetch("charges", queryset=charges), Prefetch("events", queryset=events)
    )
    return (
        Proceeding.objects.visible_to(actor)
        .select_related(
            "territory__parent",
            "registering_agency",
            "investigator__agency",
            "prosecutor__agency",
            "court",
            "judge",
        )
        .prefetch_related(
            Prefetch("accused", queryset=accused),
            Prefetch(
                "participants",
                queryset=Participant.objects.select_related("user__agency", "accused"),
            ),
        )
        .get(pk=pk)
    )


def actions_for(actor: User, accused: Accused) -> list[str]:
    """The event kinds this actor may record now for this minor (the page offers only these)."""
    allowed = policy.kinds_allowed(accused.stage)
    roles = set(actor.roles)
    kinds = [
        kind
        for kind in allowed
        if actor.is_superuser
        or any(policy.conducts(role, accused.stage) for role in roles & policy.roles_for(kind))
    ]
    if accused.pending:
        kinds = [k for k in kinds if k not in ("termination", "indictment")]
    approval = {"termination": "termination_approved", "indictment": "indictment_approved"}
    kinds = [k for k in kinds if k not in approval.values() or approval.get(accused.pending) == k]
    order = [str(kind) for kind in policy.ROLES]
    return sorted(kinds, key=order.index)


def stage_counts(cases: QuerySet[Proceeding]) -> dict[str, int]:
    rows = Accused.objects.filter(proceeding__in=cases).values_list("stage").annotate(n=Count("id"))
    return dict(rows.order_by())
