"""The outcome fed to the proceeding, and reading a mediation."""

from django.db import transaction

from qorgau.accounts.access import require
from qorgau.accounts.models import User
from qorgau.audit.services import record
from qorgau.mediation.models import (
    SIGNED,
    Mediation,
)
from qorgau.mediation.rulebook import mediation_book
from qorgau.proceedings.models import (
    EventKind,
    ProceduralEvent,
)

# The outcome feeds the proceeding


def link_termination(*, event: ProceduralEvent, actor: User) -> Mediation | None:
    """Inside the event's transaction: a termination on reconciliation links the minor's
    mediation with a signed agreement (if any) to that termination, and audits it."""
    if event.kind != EventKind.TERMINATION or event.ground != mediation_book().termination_ground:
        return None
    mediation = (
        Mediation.objects.select_for_update()
        .filter(accused_id=event.accused_id, status__in=SIGNED, termination=None)
        .order_by("-referred_at", "-id")
        .first()
    )
    if mediation is None:
        return None
    mediation.termination = event
    mediation.save(update_fields=["termination", "updated_at"])
    record(
        actor=actor,
        action="mediation.termination",
        subject=mediation,
        changes={"termination": (None, event.pk)},
        details={"case_id": event.proceeding_id, "accused_id": event.accused_id},
    )
    return mediation


# Reading


@transaction.atomic(durable=True)
def view_mediation(*, actor: User, pk: int) -> Mediation:
    """One mediation the actor may see; the reading is written to the audit trail."""
    require(actor, "mediation.view_mediation")
    mediation = (
        Mediation.objects.visible_to(actor)
        .select_related(
            "proceeding",
            "accused__juvenile",
            "victim",
            "mediator__agency",
            "referred_by__agency",
            "accused_representative",
            "termination",
        )
        .get(pk=pk)
    )
    record(actor=actor, action="mediation.view", subject=mediation,
           details={"case_id": mediation.proceeding_id})  # fmt: skip
    return mediation
