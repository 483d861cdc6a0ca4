"""Drawing up a plan, its needs, closing it, and reading it."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from qorgau.accounts.access import require
from qorgau.accounts.models import User
from qorgau.audit.services import record
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.models.assessment import Assessment, AssessmentStatus
from qorgau.support.models.plan import (
    ACTIVE_TASKS,
    PlanNeed,
    PlanStatus,
    SupportPlan,
)
from qorgau.support.services.plan.common import (
    MESSAGE_ALREADY_PLANNED,
    MESSAGE_CLOSING_NOTE,
    MESSAGE_DESCRIPTION,
    MESSAGE_JUVENILE_NOT_VISIBLE,
    MESSAGE_NEED_EXISTS,
    MESSAGE_TASKS_LEFT,
    MESSAGE_WRONG_ASSESSMENT,
    MESSAGE_WRONG_CASE,
    _agency,
    _check_text,
    _require_active,
    _require_coordinating,
    _require_working,
    _today,
    _visible_plan,
)


def open_plan_within(
    *,
    actor: User,
    juvenile: Juvenile,
    accused: Accused | None = None,
    goal: str = "",
    today: datetime.date | None = None,
) -> SupportPlan:
    """Draw up a minor's support plan; the actor's agency leads it and the actor coordinates.

    `today` (default: the current day in Asia/Almaty) is the opening day; only the demo sets it.
    Runs in the caller's transaction: another app's service that opens a plan as part of its
    own change (a release opens a re-socialization plan) calls this; everyone else `open_plan`.
    """
    require(actor, "support.add_supportplan")
    agency = _agency(actor)
    # Lock the child's record: two plans drawn up at once would both find none active.
    child = Juvenile.objects.visible_to(actor).select_for_update(of=("self",))
    found = child.filter(pk=juvenile.pk).first()
    if found is None:
        raise ValidationError({"juvenile": MESSAGE_JUVENILE_NOT_VISIBLE})
    if accused is not None:
        cases = Proceeding.objects.visible_to(actor)
        if (
            accused.juvenile_id != juvenile.pk
            or not cases.filter(pk=accused.proceeding_id).exists()
        ):
            raise ValidationError({"accused": MESSAGE_WRONG_CASE})
    if SupportPlan.objects.active().filter(juvenile=juvenile).exists():
        raise ValidationError({"juvenile": MESSAGE_ALREADY_PLANNED})
    plan = SupportPlan(
        juvenile=found,
        accused=accused,
        lead_agency=agency,
        coordinator=actor,
        goal=(goal or "").strip(),
        opened_on=_today(today),
        created_by=actor,
    )
    plan.full_clean()
    plan.save()
    record(
        actor=actor,
        action="plan.open",
        subject=plan,
        changes={"juvenile": (None, juvenile.pk), "lead_agency": (None, agency.pk)},
        details={"accused": accused.pk if accused else None},
    )
    return plan


def add_need_within(
    *,
    actor: User,
    plan: SupportPlan,
    kind: str,
    description: str,
    priority: str = "normal",
    assessment: Assessment | None = None,
) -> PlanNeed:
    """Add one of the nine needs of the Concept (seed 4.7) to a plan, described for this child.

    `assessment`: the completed assessment that suggested the need (support.assessment_needs);
    it must be of this minor and visible to the actor, and is named in the audit row.
    Runs in the caller's transaction (as `open_plan_within`); everyone else `add_need`.
    """
    require(actor, "support.add_planneed")
    plan = _visible_plan(actor, plan)
    _require_active(plan)
    _require_working(actor, plan)
    if assessment is not None:
        seen = Assessment.objects.visible_to(actor).filter(
            pk=assessment.pk, juvenile_id=plan.juvenile_id, status=AssessmentStatus.COMPLETED
        )
        if not seen.exists():
            raise ValidationError({"assessment": MESSAGE_WRONG_ASSESSMENT})
    text = _check_text(description, "description", MESSAGE_DESCRIPTION)
    if plan.needs.filter(kind=kind).exists():
        raise ValidationError({"kind": MESSAGE_NEED_EXISTS})
    need = PlanNeed(plan=plan, kind=kind, description=text, priority=priority, created_by=actor)
    need.full_clean()
    need.save()
    record(
        actor=actor,
        action="plan.need",
        subject=plan,
        changes={"kind": (None, kind), "priority": (None, priority)},
        details={"need": need.pk, "assessment_id": assessment.pk if assessment else None},
    )
    return need


open_plan = transaction.atomic(durable=True)(open_plan_within)
add_need = transaction.atomic(durable=True)(add_need_within)


@transaction.atomic(durable=True)
def close_plan(
    *, actor: User, plan: SupportPlan, note: str, today: datetime.date | None = None
) -> SupportPlan:
    """The coordinator closes the plan once no task is left in progress or awaiting an answer."""
    require(actor, "support.change_supportplan")
    plan = _visible_plan(actor, plan)
    _require_coordinating(actor, plan)
    _require_active(plan)
    text = _check_text(note, "note", MESSAGE_CLOSING_NOTE)
    left = plan.tasks.filter(status__in=ACTIVE_TASKS).count()
    if left:
        raise ValidationError(MESSAGE_TASKS_LEFT % {"count": left})
    plan.status = PlanStatus.CLOSED
    plan.closed_on = _today(today)
    plan.closing_note = text
    plan.full_clean()
    plan.save(update_fields=["status", "closed_on", "closing_note", "updated_at"])
    record(
        actor=actor,
        action="plan.close",
        subject=plan,
        changes={"status": (PlanStatus.ACTIVE, PlanStatus.CLOSED), "closing_note": ("", text)},
    )
    return plan


@transaction.atomic(durable=True)
def view_plan(*, actor: User, pk: int) -> SupportPlan:
    """Read a plan with its needs and tasks (the read is audited); outside the team: not found."""
    from qorgau.support.selectors.plan import plan_for_page

    plan = plan_for_page(actor=actor, pk=pk)
    record(actor=actor, action="plan.view", subject=plan, details={"juvenile": plan.juvenile_id})
    return plan
