"""Individual support plans: a minor's plans, one plan, its needs, tasks and referrals.

Every write goes through qorgau.support.services.plan, which checks the caller's role and agency,
validates, writes in one transaction and audits. An id in the body that names nothing the
caller may see answers 422 naming the field; a plan or task outside the caller's scope answers
404, as on the plan pages.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from qorgau.accounts.models import Agency, User
from qorgau.api.common import acting_user, paginate, responses
from qorgau.api.plans_schemas import (
    AcceptIn,
    CloseIn,
    NeedIn,
    NeedOut,
    PlanIn,
    PlanOut,
    PlanRow,
    ReasonIn,
    ResultIn,
    TaskIn,
    TaskListFilters,
    TaskOut,
    TaskPage,
)
from qorgau.api.versions import with_etag
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.models import PlanTask, SupportPlan
from qorgau.support.selectors import plan as selectors
from qorgau.support.services import plan as services

router = Router(tags=["plans"])

MESSAGE_UNKNOWN_JUVENILE = _("There is no juvenile with the number %(id)s.")
MESSAGE_UNKNOWN_ACCUSED = _("There is no accused minor with the number %(id)s in a case you see.")
MESSAGE_UNKNOWN_NEED = _("There is no need with the number %(id)s in this plan.")
MESSAGE_UNKNOWN_AGENCY = _("There is no active agency with the number %(id)s.")
MESSAGE_UNKNOWN_STAFF = _("There is no active staff member with the number %(id)s.")

READERS = (
    "Staff whose role reads support plans (`support.view_supportplan`: the accompanying services, "
    "institution staff, investigators, prosecutors, defence lawyers and judges); others get 403."
)
SCOPE = (
    "A plan is seen by its team: the lead agency, every agency with a task or referral in it, "
    "and the agencies taking part in the minor's case; to anyone else it answers 404. An agency "
    "whose only link is a task sees its own tasks and their needs, not the case (`task_only`)."
)


def _plan(user: User, plan_id: int) -> SupportPlan:
    return selectors.plan_for_page(actor=user, pk=plan_id)


def _task(user: User, task_id: int) -> PlanTask:
    return PlanTask.objects.visible_to(user).get(pk=task_id)


def _task_out(user: User, task: PlanTask) -> PlanTask:
    """The task as the caller now sees it, with what its schema reads in one query."""
    related = ("need", "agency", "assignee", "referred_by", "referred_by_agency")
    return (
        PlanTask.objects.visible_to(user)
        .select_related(*related, "answered_by", "cancelled_by")
        .get(pk=task.pk)
    )


def _staff(field: str, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    found = User.objects.filter(pk=user_id, is_active=True).first()
    if found is None:
        raise ValidationError({field: MESSAGE_UNKNOWN_STAFF % {"id": user_id}})
    return found


@router.get(
    "/juveniles/{juvenile_id}/plans",
    response=responses({200: list[PlanRow]}, 401, 403, 404),
    summary="List a minor's support plans",
    description="The active plan first, then closed ones, newest first, each with its progress. "
    + READERS
    + " "
    + SCOPE
    + " A juvenile whose record the caller may not see answers 404.",
)
def list_plans(request: HttpRequest, juvenile_id: int) -> list[SupportPlan]:
    user = acting_user(request, "support.view_supportplan")
    juvenile = Juvenile.objects.visible_to(user).get(pk=juvenile_id)
    return list(selectors.plans_of_juvenile(actor=user, juvenile=juvenile))


@router.get(
    "/plans/{plan_id}",
    response=responses({200: PlanOut}, 401, 403, 404),
    summary="Read a support plan",
    description="The plan with its needs, each need's tasks and cover, and the progress: tasks "
    "per status, done of those that count (declined and cancelled ones do not), overdue "
    "tasks (Almaty days) and needs nobody works on. Every reading is written to the audit "
    "trail. " + READERS + " " + SCOPE,
)
@with_etag
def read_plan(request: HttpRequest, plan_id: int) -> SupportPlan:
    user = acting_user(request, "support.view_supportplan")
    return services.view_plan(actor=user, pk=plan_id)


@router.post(
    "/plans",
    response=responses({201: PlanOut}, 400, 401, 403, 422),
    summary="Draw up a support plan",
    description="The caller's agency leads the plan and the caller coordinates it. Refused: a "
    "minor who already has an active plan, a case track that is not the minor's or not in a "
    "case the caller's agency takes part in. Court social workers, social psychologists, "
    "probation inspectors, juvenile police inspectors and child-rights specialists "
    "(`support.add_supportplan`); others get 403.",
)
@with_etag
def open_plan(request: HttpRequest, payload: PlanIn) -> Status[SupportPlan]:
    user = acting_user(request, "support.add_supportplan")
    juvenile = Juvenile.objects.visible_to(user).filter(pk=payload.juvenile).first()
    if juvenile is None:
        raise ValidationError({"juvenile": MESSAGE_UNKNOWN_JUVENILE % {"id": payload.juvenile}})
    accused = None
    if payload.accused is not None:
        cases = Proceeding.objects.visible_to(user)
        accused = Accused.objects.filter(pk=payload.accused, proceeding__in=cases).first()
        if accused is None:
            raise ValidationError({"accused": MESSAGE_UNKNOWN_ACCUSED % {"id": payload.accused}})
    plan = services.open_plan(actor=user, juvenile=juvenile, accused=accused, goal=payload.goal)
    return Status(201, _plan(user, plan.pk))


@router.post(
    "/plans/{plan_id}/needs",
    response=responses({201: NeedOut}, 400, 401, 403, 404, 422),
    summary="Add a need to a support plan",
    description="One of the nine needs of the Concept, once per plan, described for this child. "
    "Plan makers of the lead agency or of an agency that accepted a task in the plan; others "
    "get 403. " + SCOPE,
)
def add_plan_need(request: HttpRequest, plan_id: int, payload: NeedIn) -> Status[dict[str, Any]]:
    user = acting_user(request, "support.add_planneed")
    need = services.add_need(actor=user, plan=_plan(user, plan_id), **payload.dict())
    return Status(
        201,
        {
            "id": need.pk,
            "kind": need.kind,
            "kind_label": str(need.get_kind_display()),
            "description": need.description,
            "priority": need.priority,
            "cover": "uncovered",
            "tasks": [],
        },
    )


@router.post(
    "/plans/{plan_id}/tasks",
    response=responses({201: TaskOut}, 400, 401, 403, 404, 422),
    summary="Set a task or send a referral",
    description="For the caller's own agency the task starts in progress (`assignee`: a staff "
    "member of that agency who takes tasks, optional). For another agency it is a referral "
    "awaiting that agency's answer; the receiver names its staff member when it accepts, and "
    "must have someone able to answer. Refused: a due date before today (Almaty). Same callers "
    "as adding a need. " + SCOPE,
)
@with_etag
def add_plan_task(request: HttpRequest, plan_id: int, payload: TaskIn) -> Status[PlanTask]:
    user = acting_user(request, "support.add_plantask")
    plan = _plan(user, plan_id)
    need = next((n for n in plan.needs.all() if n.pk == payload.need), None)
    if need is None:
        raise ValidationError({"need": MESSAGE_UNKNOWN_NEED % {"id": payload.need}})
    agency = Agency.objects.filter(pk=payload.agency, is_active=True).first()
    if agency is None:
        raise ValidationError({"agency": MESSAGE_UNKNOWN_AGENCY % {"id": payload.agency}})
    task = services.add_task(
        actor=user,
        need=need,
        action=payload.action,
        agency=agency,
        due_on=payload.due_on,
        assignee=_staff("assignee", payload.assignee),
    )
    return Status(201, _task_out(user, task))


def _answer_doc(what: str) -> str:
    return what + " " + SCOPE


@router.post(
    "/plan-tasks/{task_id}/accept",
    response=responses({200: TaskOut}, 400, 401, 403, 404, 422),
    summary="Accept a referral",
    description=_answer_doc(
        "The receiving agency takes the referral on; `assignee` names who does it (a staff "
        "member of the agency who takes tasks), or is left out to name later. Staff of the "
        "receiving agency with `support.change_plantask`; others get 403."
    ),
)
@with_etag
def accept_referral(request: HttpRequest, task_id: int, payload: AcceptIn) -> PlanTask:
    user = acting_user(request, "support.change_plantask")
    task = services.accept_referral(
        actor=user, task=_task(user, task_id), assignee=_staff("assignee", payload.assignee)
    )
    return _task_out(user, task)


@router.post(
    "/plan-tasks/{task_id}/decline",
    response=responses({200: TaskOut}, 400, 401, 403, 404, 422),
    summary="Decline a referral",
    description=_answer_doc(
        "The receiving agency refuses the referral; `reason` is required and the plan's team "
        "sees it. The referral stays in the record and its need shows as uncovered. Same "
        "callers as accepting."
    ),
)
@with_etag
def decline_referral(request: HttpRequest, task_id: int, payload: ReasonIn) -> PlanTask:
    user = acting_user(request, "support.change_plantask")
    task = services.decline_referral(actor=user, task=_task(user, task_id), reason=payload.reason)
    return _task_out(user, task)


@router.post(
    "/plan-tasks/{task_id}/done",
    response=responses({200: TaskOut}, 400, 401, 403, 404, 422),
    summary="Mark a task done",
    description=_answer_doc(
        "Only a task in progress, only by staff of the agency responsible, with a `result`."
    ),
)
@with_etag
def complete_task(request: HttpRequest, task_id: int, payload: ResultIn) -> PlanTask:
    user = acting_user(request, "support.change_plantask")
    task = services.complete_task(actor=user, task=_task(user, task_id), result=payload.result)
    return _task_out(user, task)


@router.post(
    "/plan-tasks/{task_id}/cancel",
    response=responses({200: TaskOut}, 400, 401, 403, 404, 422),
    summary="Cancel a task or referral",
    description=_answer_doc(
        "The coordinator, or a plan maker of the lead agency, withdraws a task in progress or a "
        "referral not yet answered, with a `reason`."
    ),
)
@with_etag
def cancel_task(request: HttpRequest, task_id: int, payload: ReasonIn) -> PlanTask:
    user = acting_user(request, "support.change_supportplan")
    task = services.cancel_task(actor=user, task=_task(user, task_id), reason=payload.reason)
    return _task_out(user, task)


@router.post(
    "/plans/{plan_id}/close",
    response=responses({200: PlanOut}, 400, 401, 403, 404, 422),
    summary="Close a support plan",
    description="With a closing `note`, once no task is in progress or awaiting an answer. The "
    "coordinator or a plan maker of the lead agency. " + SCOPE,
)
@with_etag
def close_plan(request: HttpRequest, plan_id: int, payload: CloseIn) -> SupportPlan:
    user = acting_user(request, "support.change_supportplan")
    services.close_plan(actor=user, plan=_plan(user, plan_id), note=payload.note)
    return _plan(user, plan_id)


@router.get(
    "/plan-tasks",
    response=responses({200: TaskPage}, 401, 403, 422),
    summary="My tasks",
    description="25 tasks a page, the earliest due first: those named to the caller or to "
    "their agency with nobody named (with `agency_wide`, every task of the agency), "
    "including referrals the agency has to answer. Filters: `status` (without it, those "
    "awaiting an answer or in progress), `overdue` (past the due date, Almaty days). " + READERS,
)
def list_plan_tasks(request: HttpRequest, filters: Query[TaskListFilters]) -> dict[str, Any]:
    user = acting_user(request, "support.view_supportplan")
    tasks = selectors.task_list(
        actor=user,
        filters=selectors.TaskFilters(
            status=filters.status or "", overdue=filters.overdue, agency_wide=filters.agency_wide
        ),
    )
    return paginate(tasks, filters.page)
