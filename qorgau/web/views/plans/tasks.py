"""A task's steps (answer a referral, mark done, cancel) and the list of one's tasks."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from qorgau.support.models import TaskStatus
from qorgau.support.selectors.plan import TaskFilters, days_overdue, task_list
from qorgau.support.services import plan as services
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.plans import DECLINE, AnswerForm, CancelForm, ResultForm, TaskFilterForm
from qorgau.web.views.cases.common import with_roles
from qorgau.web.views.common import AuthedRequest, paginate, query_without_page
from qorgau.web.views.plans.common import (
    may_coordinate,
    may_take,
    plan_url,
    staff_taking_tasks,
    task_status,
    visible_task,
)
from qorgau.web.views.plans.pages import form_page


def _task_rows(task: Any) -> list[dict[str, Any]]:
    """The task as a summary list above its form: what, for which need, by when, from whom."""
    return [
        {"key": _("Minor"), "value": task.plan.juvenile.full_name},
        {"key": _("Need"), "value": capfirst(task.need.get_kind_display())},
        {"key": _("What to do"), "value": task.action},
        {"key": _("Due date"), "value": task.due_on.strftime("%d.%m.%Y")},
        {"key": _("Set by"), "value": task.referred_by_agency},
    ]


@login_required
@permission_required("support.change_plantask", raise_exception=True)
def task_answer(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    task = visible_task(user, pk)
    if task.status != TaskStatus.PROPOSED:
        raise Http404
    if not may_take(user, task):
        raise PermissionDenied
    form = AnswerForm(
        request.POST if request.method == "POST" else None, staff=staff_taking_tasks(user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["answer"] == DECLINE:
                services.decline_referral(actor=user, task=task, reason=data["reason"])
                done = _("The referral was declined. The plan's team sees your reason.")
            else:
                services.accept_referral(actor=user, task=task, assignee=data["assignee"])
                done = _("The referral was accepted: the task is in progress.")
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(plan_url(task.plan_id))
    return form_page(
        request,
        form,
        _("Answer the referral"),
        _("Send the answer"),
        plan_url(task.plan_id),
        caption=task.plan.juvenile.full_name,
        rows=_task_rows(task),
    )


@login_required
@permission_required("support.change_plantask", raise_exception=True)
def task_done(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    task = visible_task(user, pk)
    if task.status != TaskStatus.OPEN:
        raise Http404
    if not may_take(user, task):
        raise PermissionDenied
    form = ResultForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.complete_task(actor=user, task=task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task was marked as done."))
            return redirect(plan_url(task.plan_id))
    return form_page(
        request,
        form,
        _("Mark the task as done"),
        _("Save the result"),
        plan_url(task.plan_id),
        caption=task.plan.juvenile.full_name,
        rows=_task_rows(task),
    )


@login_required
@permission_required("support.change_supportplan", raise_exception=True)
def task_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    task = visible_task(user, pk)
    if task.status not in (TaskStatus.PROPOSED, TaskStatus.OPEN):
        raise Http404
    if not may_coordinate(user, task.plan):
        raise PermissionDenied
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_task(actor=user, task=task, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The task was cancelled."))
            return redirect(plan_url(task.plan_id))
    return form_page(
        request,
        form,
        _("Cancel the task"),
        _("Cancel the task"),
        plan_url(task.plan_id),
        caption=task.plan.juvenile.full_name,
        rows=_task_rows(task),
        warning=_("The task stays in the plan's record, marked as cancelled, with your reason."),
    )


@login_required
@permission_required("support.view_supportplan", raise_exception=True)
def task_list_page(request: AuthedRequest) -> HttpResponse:
    user = with_roles(request.user)
    form = TaskFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = TaskFilters(
        status=data.get("status") or "",
        overdue=bool(data.get("overdue")),
        agency_wide=bool(data.get("agency_wide")),
    )
    today = timezone.localdate()
    page = paginate(request, task_list(actor=user, filters=filters, today=today))
    rows = [
        {"task": task, "status": task_status(task), "overdue": days_overdue(task, today)}
        for task in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "filtered": bool(request.GET),
    }
    return render(request, "web/plans/tasks.html", context)
