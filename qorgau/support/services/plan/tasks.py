"""Tasks and referrals: adding, accepting or declining, completing, cancelling."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from qorgau.accounts.access import require
from qorgau.accounts.models import Agency, User
from qorgau.audit.services import record
from qorgau.support.models.plan import (
    ACTIVE_TASKS,
    PlanNeed,
    PlanTask,
    TaskStatus,
)
from qorgau.support.services.plan.common import (
    DUE_HORIZON_YEARS,
    MESSAGE_ACTION,
    MESSAGE_AGENCY_CLOSED,
    MESSAGE_ASSIGNEE_AGENCY,
    MESSAGE_ASSIGNEE_LATER,
    MESSAGE_CANCEL_REASON,
    MESSAGE_DUE_FAR,
    MESSAGE_DUE_PAST,
    MESSAGE_NOBODY_TO_ANSWER,
    MESSAGE_NOT_ACTIVE,
    MESSAGE_NOT_OPEN,
    MESSAGE_NOT_PROPOSED,
    MESSAGE_NOT_RECEIVER,
    MESSAGE_REASON,
    MESSAGE_RESULT,
    _agency,
    _check_text,
    _require_active,
    _require_coordinating,
    _require_working,
    _today,
    _visible_plan,
    _visible_task,
    answerers,
    takes_tasks,
)


@transaction.atomic(durable=True)
def add_task(
    *,
    actor: User,
    need: PlanNeed,
    action: str,
    agency: Agency,
    due_on: datetime.date,
    assignee: User | None = None,
    today: datetime.date | None = None,
) -> PlanTask:
    """Set a task for a need: for the actor's agency it starts in progress; for another, a referral.

    A referral goes only to an agency with someone able to answer it (the receiver is checked);
    the due date may not be before `today` (default: the current day in Asia/Almaty; only the
    demo sets it, to show late tasks).
    """
    require(actor, "support.add_plantask")
    own = _agency(actor)
    plan = _visible_plan(actor, need.plan)
    _require_active(plan)
    _require_working(actor, plan)
    need = PlanNeed.objects.get(pk=need.pk, plan=plan)
    text = _check_text(action, "action", MESSAGE_ACTION)
    day = _today(today)
    if due_on < day:
        raise ValidationError({"due_on": MESSAGE_DUE_PAST % {"today": day.strftime("%d.%m.%Y")}})
    if (due_on - day).days > 366 * DUE_HORIZON_YEARS:
        raise ValidationError({"due_on": MESSAGE_DUE_FAR % {"years": DUE_HORIZON_YEARS}})
    if not agency.is_active:
        raise ValidationError({"agency": MESSAGE_AGENCY_CLOSED})
    referral = agency.pk != own.pk
    if referral:
        if assignee is not None:
            raise ValidationError({"assignee": MESSAGE_ASSIGNEE_LATER})
        if not answerers(agency):
            raise ValidationError({"agency": MESSAGE_NOBODY_TO_ANSWER})
    elif assignee is not None and not takes_tasks(assignee, agency):
        raise ValidationError({"assignee": MESSAGE_ASSIGNEE_AGENCY})
    task = PlanTask(
        plan=plan,
        need=need,
        action=text,
        agency=agency,
        assignee=assignee,
        due_on=due_on,
        status=TaskStatus.PROPOSED if referral else TaskStatus.OPEN,
        referred_by=actor,
        referred_by_agency=own,
    )
    task.full_clean()
    task.save()
    record(
        actor=actor,
        action="plan.task",
        subject=task,
        changes={
            "agency": (None, agency.pk),
            "assignee": (None, assignee.pk if assignee else None),
            "due_on": (None, due_on.isoformat()),
            "status": (None, task.status),
        },
        details={"plan": plan.pk, "need": need.kind, "referral": referral},
    )
    return task


def _require_receiver(actor: User, task: PlanTask) -> None:
    require(actor, "support.change_plantask")
    if not actor.is_superuser and _agency(actor).pk != task.agency_id:
        raise PermissionDenied(MESSAGE_NOT_RECEIVER)


@transaction.atomic(durable=True)
def accept_referral(*, actor: User, task: PlanTask, assignee: User | None = None) -> PlanTask:
    """The receiving agency takes the referral on, naming who does it (or leaving it to later)."""
    task = _visible_task(actor, task)
    _require_receiver(actor, task)
    _require_active(task.plan)
    if task.status != TaskStatus.PROPOSED:
        raise ValidationError(MESSAGE_NOT_PROPOSED)
    if assignee is not None and not takes_tasks(assignee, task.agency):
        raise ValidationError({"assignee": MESSAGE_ASSIGNEE_AGENCY})
    task.status = TaskStatus.OPEN
    task.assignee = assignee
    task.answered_by = actor
    task.answered_at = timezone.now()
    task.full_clean()
    task.save(update_fields=["status", "assignee", "answered_by", "answered_at", "updated_at"])
    record(
        actor=actor,
        action="plan.accept",
        subject=task,
        changes={
            "status": (TaskStatus.PROPOSED, TaskStatus.OPEN),
            "assignee": (None, assignee.pk if assignee else None),
        },
        details={"plan": task.plan_id},
    )
    return task


@transaction.atomic(durable=True)
def decline_referral(*, actor: User, task: PlanTask, reason: str) -> PlanTask:
    """The receiving agency refuses the referral and says why; the need shows as uncovered."""
    task = _visible_task(actor, task)
    _require_receiver(actor, task)
    _require_active(task.plan)
    if task.status != TaskStatus.PROPOSED:
        raise ValidationError(MESSAGE_NOT_PROPOSED)
    task.decline_reason = _check_text(reason, "reason", MESSAGE_REASON)
    task.status = TaskStatus.DECLINED
    task.answered_by = actor
    task.answered_at = timezone.now()
    task.full_clean()
    task.save(
        update_fields=["status", "decline_reason", "answered_by", "answered_at", "updated_at"]
    )
    record(
        actor=actor,
        action="plan.decline",
        subject=task,
        changes={
            "status": (TaskStatus.PROPOSED, TaskStatus.DECLINED),
            "decline_reason": ("", task.decline_reason),
        },
        details={"plan": task.plan_id},
    )
    return task


@transaction.atomic(durable=True)
def complete_task(*, actor: User, task: PlanTask, result: str) -> PlanTask:
    """The agency responsible marks its task done, saying what came of it."""
    task = _visible_task(actor, task)
    _require_receiver(actor, task)
    _require_active(task.plan)
    if task.status != TaskStatus.OPEN:
        raise ValidationError(MESSAGE_NOT_OPEN)
    task.result = _check_text(result, "result", MESSAGE_RESULT)
    task.status = TaskStatus.DONE
    task.done_at = timezone.now()
    task.full_clean()
    task.save(update_fields=["status", "result", "done_at", "updated_at"])
    record(
        actor=actor,
        action="plan.done",
        subject=task,
        changes={"status": (TaskStatus.OPEN, TaskStatus.DONE), "result": ("", task.result)},
        details={"plan": task.plan_id, "overdue": task.due_on < timezone.localdate()},
    )
    return task


@transaction.atomic(durable=True)
def cancel_task(*, actor: User, task: PlanTask, reason: str) -> PlanTask:
    """The coordinator withdraws a task or referral no longer needed, saying why."""
    require(actor, "support.change_supportplan")
    task = _visible_task(actor, task)
    _require_coordinating(actor, task.plan)
    _require_active(task.plan)
    if task.status not in ACTIVE_TASKS:
        raise ValidationError(MESSAGE_NOT_ACTIVE)
    before = task.status
    task.cancel_reason = _check_text(reason, "reason", MESSAGE_CANCEL_REASON)
    task.status = TaskStatus.CANCELLED
    task.cancelled_by = actor
    task.cancelled_at = timezone.now()
    task.full_clean()
    task.save(
        update_fields=["status", "cancel_reason", "cancelled_by", "cancelled_at", "updated_at"]
    )
    record(
        actor=actor,
        action="plan.cancel",
        subject=task,
        changes={
            "status": (before, TaskStatus.CANCELLED),
            "cancel_reason": ("", task.cancel_reason),
        },
        details={"plan": task.plan_id},
    )
    return task
