"""The plan page and the forms that draw up a plan, add needs and tasks, and close it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.support.assessment_needs import suggested_description, suggestions_for
from qorgau.support.models import SupportPlan
from qorgau.support.selectors.plan import plan_progress
from qorgau.support.services import plan as services
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.plans import CloseForm, NeedForm, PlanForm, TaskForm
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import case_minor, case_url, visible_case, with_roles
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.plans.common import (
    COVER_TAGS,
    PLAN_COLOURS,
    may_coordinate,
    may_work,
    plan_url,
    staff_taking_tasks,
    task_row,
    visible_plan,
)

FORM = "web/plans/form.html"


def form_page(
    request: AuthedRequest, form: Any, title: Any, button: Any, back_url: str, **extra: Any
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "button": button,
        "back_url": back_url,
        "has_errors": bool(form.errors),
        **extra,
    }
    return render(request, FORM, context)


@login_required
@permission_required("support.view_supportplan", raise_exception=True)
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    try:
        plan = services.view_plan(actor=user, pk=pk)
    except SupportPlan.DoesNotExist:
        raise Http404 from None
    today = timezone.localdate()
    progress = plan_progress(plan, today)
    needs = [
        {
            "need": item.need,
            "cover": dict(zip(("text", "colour"), COVER_TAGS[item.cover], strict=True)),
            "tasks": [task_row(task, user, plan, today) for task in item.tasks],
        }
        for item in progress.needs
    ]
    context = {
        "plan": plan,
        "progress": progress,
        "needs": needs,
        "status_colour": PLAN_COLOURS[plan.status],  # type: ignore[index]
        "may_work": may_work(user, plan),
        "may_close": may_coordinate(user, plan),
        "case_url": case_url(plan.accused.proceeding, plan.accused)
        if plan.accused and not plan.task_only
        else "",
        "today": today,
        "suggested": _suggested(user, plan) if may_work(user, plan) else None,
    }
    return render(request, "web/plans/detail.html", context)


def _suggested(user: Any, plan: SupportPlan) -> Any:
    """The needs the latest assessment the user may see points to, less those in the plan."""
    return suggestions_for(user, plan.juvenile, {need.kind for need in plan.needs.all()})


@login_required
@permission_required("support.add_planneed", raise_exception=True)
@require_POST
@once_per_form
def need_add_suggested(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a need the assessment suggests, in one click (kind and assessment posted)."""
    user = with_roles(request.user)
    plan = visible_plan(user, pk)
    if not may_work(user, plan):
        raise PermissionDenied
    suggested = _suggested(user, plan)
    wanted = request.POST.get("kind", "")
    suggestion = None
    if suggested and str(suggested.assessment.pk) == request.POST.get("assessment"):
        suggestion = next((s for s in suggested.needs if s.kind == wanted), None)
    if suggestion is None or suggested is None:
        # Added meanwhile, or a newer assessment now suggests something else.
        messages.error(request, _("This need is no longer suggested: see the plan as it is now."))
        return redirect(plan_url(plan))
    try:
        need = services.add_need(
            actor=user,
            plan=plan,
            kind=suggestion.kind,
            description=suggested_description(suggestion, suggested.assessment),
            priority=suggestion.priority,
            assessment=suggested.assessment,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(plan_url(plan))
    messages.success(request, _("The need was added. Now set a task for it."))
    return redirect(plan_url(plan, f"need-{need.pk}"))


@login_required
@permission_required("support.add_supportplan", raise_exception=True)
@once_per_form
def plan_create(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case = visible_case(user, pk)
    accused = case_minor(case, accused_pk)
    form = PlanForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.open_plan(
                actor=user, juvenile=accused.juvenile, accused=accused, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error, {"juvenile": "goal", "accused": "goal"})
        else:
            messages.success(request, _("The support plan was drawn up. Add the minor's needs."))
            return redirect(plan_url(plan))
    return form_page(
        request,
        form,
        _("Draw up an individual support plan"),
        _("Draw up the plan"),
        case_url(case, accused),
        caption=accused.juvenile.full_name,
        intro=_(
            "Your agency will lead the plan and you will coordinate it. Next you add the minor's "
            "needs and, for each, the tasks of the agencies that accompany the child."
        ),
        suggested=suggestions_for(user, accused.juvenile, set()),
    )


@login_required
@permission_required("support.add_planneed", raise_exception=True)
@once_per_form
def need_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    plan = visible_plan(user, pk)
    if not may_work(user, plan):
        raise PermissionDenied
    form = NeedForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.add_need(actor=user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The need was added. Now set a task for it."))
            return redirect(plan_url(plan, f"need-{need.pk}"))
    return form_page(
        request,
        form,
        _("Add a need"),
        _("Add the need"),
        plan_url(plan),
        caption=plan.juvenile.full_name,
        suggested=_suggested(user, plan),
        plan=plan,
    )


@login_required
@permission_required("support.add_plantask", raise_exception=True)
@once_per_form
def task_add(request: AuthedRequest, pk: int, need_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    plan = visible_plan(user, pk)
    need = next((n for n in plan.needs.all() if n.pk == need_pk), None)
    if need is None:
        raise Http404
    if not may_work(user, plan):
        raise PermissionDenied
    form = TaskForm(
        request.POST if request.method == "POST" else None,
        plan=plan,
        own=user.agency,
        staff=staff_taking_tasks(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            task = services.add_task(actor=user, need=need, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if task.is_referral:
                messages.success(
                    request, _("The referral was sent. The agency will accept or decline it.")
                )
            else:
                messages.success(request, _("The task was set."))
            return redirect(plan_url(plan, f"need-{need.pk}"))
    return form_page(
        request,
        form,
        _("Set a task: %(need)s") % {"need": need.get_kind_display()},
        _("Set the task"),
        plan_url(plan, f"need-{need.pk}"),
        caption=plan.juvenile.full_name,
        quote=need.description,
    )


@login_required
@permission_required("support.change_supportplan", raise_exception=True)
def plan_close(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    plan = visible_plan(user, pk)
    if not may_coordinate(user, plan):
        raise PermissionDenied
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_plan(actor=user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The support plan was closed."))
            return redirect(plan_url(plan))
    return form_page(
        request,
        form,
        _("Close the support plan"),
        _("Close the plan"),
        plan_url(plan),
        caption=plan.juvenile.full_name,
        warning=_("A closed plan cannot be changed. Every task must be finished or cancelled."),
    )
