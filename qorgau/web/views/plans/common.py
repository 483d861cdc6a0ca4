"""What the plan pages share: loading what the user may see, who may do what, status words."""

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.support.models import PlanStatus, PlanTask, SupportPlan, TaskStatus
from qorgau.support.selectors.plan import Cover, days_overdue, plan_for_page
from qorgau.support.services.plan import answerers, working_agency_ids

# The word is the status; the colour only supports it.
TASK_COLOURS = {
    TaskStatus.PROPOSED: "yellow",
    TaskStatus.OPEN: "",
    TaskStatus.DONE: "green",
    TaskStatus.DECLINED: "red",
    TaskStatus.CANCELLED: "grey",
}
COVER_TAGS = {
    Cover.COVERED: (_("covered"), "green"),
    Cover.AWAITING: (_("awaiting an answer"), "yellow"),
    Cover.UNCOVERED: (_("not covered"), "red"),
}
PLAN_COLOURS = {PlanStatus.ACTIVE: "turquoise", PlanStatus.CLOSED: "grey"}


def visible_plan(user: User, pk: int) -> SupportPlan:
    """The plan with its needs and tasks, if the user is in its team; any other does not exist."""
    try:
        return plan_for_page(actor=user, pk=pk)
    except SupportPlan.DoesNotExist:
        raise Http404 from None


def visible_task(user: User, pk: int) -> PlanTask:
    task = (
        PlanTask.objects.visible_to(user)
        .select_related(
            "plan__juvenile", "plan__lead_agency", "need", "agency", "referred_by_agency"
        )
        .filter(pk=pk)
        .first()
    )
    if task is None:
        raise Http404
    return task


def plan_url(plan: SupportPlan | int, anchor: str = "") -> str:
    pk = plan if isinstance(plan, int) else plan.pk
    return reverse("plan_detail", args=[pk]) + (f"#{anchor}" if anchor else "")


def may_work(user: User, plan: SupportPlan) -> bool:
    """Add needs and tasks: a plan maker of the lead agency or of one that accepted a task."""
    if not plan.is_active or not user.has_perm("support.add_plantask"):
        return False
    return user.is_superuser or user.agency_id in working_agency_ids(plan)


def may_coordinate(user: User, plan: SupportPlan) -> bool:
    if not plan.is_active or not user.has_perm("support.change_supportplan"):
        return False
    return (
        user.is_superuser or user.pk == plan.coordinator_id or user.agency_id == plan.lead_agency_id
    )


def may_take(user: User, task: PlanTask) -> bool:
    """Answer a referral or mark a task done: staff of the agency responsible who take tasks."""
    if not user.has_perm("support.change_plantask"):
        return False
    return user.is_superuser or user.agency_id == task.agency_id


def task_status(task: PlanTask) -> dict[str, Any]:
    return {"text": task.get_status_display(), "colour": TASK_COLOURS[TaskStatus(task.status)]}


def task_row(task: PlanTask, user: User, plan: SupportPlan, today: Any) -> dict[str, Any]:
    """A task as the plan page shows it, with the links this user may follow."""
    links = []
    if task.status == TaskStatus.PROPOSED and may_take(user, task):
        links.append((reverse("plan_task_answer", args=[task.pk]), _("Answer the referral")))
    if task.status == TaskStatus.OPEN and may_take(user, task):
        links.append((reverse("plan_task_done", args=[task.pk]), _("Mark as done")))
    if task.status in (TaskStatus.PROPOSED, TaskStatus.OPEN) and may_coordinate(user, plan):
        links.append((reverse("plan_task_cancel", args=[task.pk]), _("Cancel the task")))
    return {
        "task": task,
        "status": task_status(task),
        "overdue": days_overdue(task, today),
        "links": links,
    }


def staff_taking_tasks(user: User) -> list[User]:
    return answerers(user.agency) if user.agency is not None else []
