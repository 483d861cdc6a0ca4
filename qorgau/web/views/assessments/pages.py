"""The risk and needs assessment pages: a minor's list, start, the task list of domains, one page
of radios per domain, check answers and complete, the result, reassessment."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.assessment_scoring import domain_status, explain
from qorgau.support.instrument import RISK_NEEDS, library
from qorgau.support.models import Assessment
from qorgau.support.selectors import assessment as selectors
from qorgau.support.services import assessment as services
from qorgau.web.forms.assessments import CompleteForm, DomainForm
from qorgau.web.once import once_per_form
from qorgau.web.views.assessments.common import (
    TASK_TAGS,
    Tag,
    case_link,
    level_tag,
    may_assess,
)
from qorgau.web.views.cases.common import with_roles
from qorgau.web.views.common import AuthedRequest

VIEW = "support.view_assessment"
T = "web/assessments/"


def _juvenile(user: Any, pk: int) -> Juvenile:
    juvenile = Juvenile.objects.visible_to(user).filter(pk=pk).first()
    if juvenile is None:
        raise Http404
    return juvenile


def _own_draft(user: Any, pk: int) -> Assessment:
    draft = selectors.draft_of_author(user, pk)
    if draft is None:
        raise Http404
    return draft


def _rows(assessments: list[Assessment]) -> list[dict[str, Any]]:
    return [
        {
            "assessment": a,
            "society": level_tag(a.society_level),
            "child": level_tag(a.child_level),
            "status": Tag(a.get_status_display(), "" if a.is_draft else "grey"),
        }
        for a in assessments
    ]


@login_required
@permission_required(VIEW, raise_exception=True)
def assessment_list(request: AuthedRequest, juvenile_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    juvenile = _juvenile(user, juvenile_pk)
    found = services.view_assessments_of(actor=user, juvenile=juvenile)
    context = {
        "juvenile": juvenile,
        "rows": _rows(found),
        "may_assess": may_assess(user),
        "draft": next((a for a in found if a.is_draft and a.author_id == user.pk), None),
        "accused": request.GET.get("accused", ""),
    }
    return render(request, T + "list.html", context)


@login_required
@permission_required("support.add_assessment", raise_exception=True)
@once_per_form
def assessment_start(request: AuthedRequest, juvenile_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    juvenile = _juvenile(user, juvenile_pk)
    draft = selectors.own_draft(user, juvenile)
    if draft is not None:
        return redirect("assessment_detail", pk=draft.pk)
    accused = _accused(user, juvenile, request.GET.get("accused", ""))
    instrument = library().current(RISK_NEEDS)
    errors: list[str] = []
    if request.method == "POST":
        try:
            made = services.start_assessment(actor=user, juvenile=juvenile, accused=accused)
        except (ValidationError, PermissionDenied) as error:
            errors = _messages(error)
        else:
            return redirect("assessment_detail", pk=made.pk)
    context = {
        "juvenile": juvenile,
        "accused": accused,
        "instrument": instrument,
        "errors": errors,
        "back_url": _back(juvenile, accused),
    }
    return render(request, T + "start.html", context)


def _accused(user: Any, juvenile: Juvenile, wanted: str) -> Accused | None:
    if not wanted.isdigit():
        return None
    cases = Proceeding.objects.visible_to(user)
    found = Accused.objects.filter(pk=int(wanted), juvenile=juvenile, proceeding__in=cases)
    return found.select_related("proceeding").first()


def _back(juvenile: Juvenile, accused: Accused | None) -> str:
    if accused is not None:
        return reverse("case_detail", args=[accused.proceeding_id]) + f"?minor={accused.pk}"
    return reverse("assessment_list", args=[juvenile.pk])


def _messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error)]
    return [str(message) for message in error.messages]


@login_required
@permission_required(VIEW, raise_exception=True)
def assessment_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    try:
        assessment = services.view_assessment(actor=user, pk=pk)
    except Assessment.DoesNotExist:
        raise Http404 from None
    instrument = assessment.instrument
    context: dict[str, Any] = {
        "assessment": assessment,
        "instrument": instrument,
        "juvenile": assessment.juvenile,
        "case": case_link(user, assessment),
    }
    if assessment.is_draft:
        tasks = []
        for domain in instrument.domains:
            status = domain_status(domain, assessment.answers)
            text, colour = TASK_TAGS[status]
            tasks.append({"domain": domain, "tag": Tag(text, colour)})
        context["tasks"] = tasks
        context["answered"] = sum(1 for i in instrument.items if i.id in assessment.answers)
        context["total"] = len(instrument.items)
        return render(request, T + "tasks.html", context)
    levels = {"society": assessment.society_level, "child": assessment.child_level}
    context.update(
        society=level_tag(assessment.society_level),
        child=level_tag(assessment.child_level),
        reasons=explain(instrument, assessment.answers, assessment.reasons, levels),
        scores=_scores(assessment),
        answers=_answers(assessment),
        may_reassess=may_assess(user),
        reassessments=list(assessment.reassessments.all()),
    )
    return render(request, T + "result.html", context)


def _scores(assessment: Assessment) -> list[dict[str, Any]]:
    rows = []
    for domain in assessment.instrument.domains:
        stored = assessment.domain_scores.get(domain.id, {})
        rows.append({"domain": domain, **stored})
    return rows


def _answers(assessment: Assessment, link: bool = False) -> list[dict[str, Any]]:
    """Each domain with its items and the answers given ("Not answered" when none)."""
    groups = []
    for domain in assessment.instrument.domains:
        rows = []
        for item in domain.items:
            option = item.option(assessment.answers.get(item.id, ""))
            rows.append({"item": item, "option": option})
        url = reverse("assessment_domain", args=[assessment.pk, domain.id]) if link else ""
        groups.append({"domain": domain, "rows": rows, "change_url": url})
    return groups


@login_required
@permission_required("support.change_assessment", raise_exception=True)
def assessment_domain(request: AuthedRequest, pk: int, domain_id: str) -> HttpResponse:
    user = with_roles(request.user)
    draft = _own_draft(user, pk)
    domain = draft.instrument.domain(domain_id)
    if domain is None:
        raise Http404
    data = request.POST if request.method == "POST" else None
    form = DomainForm(data, domain=domain, answers=draft.answers)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(actor=user, assessment=draft, answers=form.answers())
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Your answers in «%(domain)s» were saved.")
                             % {"domain": domain.title})  # fmt: skip
            return redirect("assessment_detail", pk=draft.pk)
    context = {
        "assessment": draft,
        "domain": domain,
        "form": form,
        "juvenile": draft.juvenile,
        "back_url": reverse("assessment_detail", args=[draft.pk]),
        "has_errors": bool(form.errors),
    }
    return render(request, T + "domain.html", context)


@login_required
@permission_required("support.change_assessment", raise_exception=True)
def assessment_check(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    draft = _own_draft(user, pk)
    data = request.POST if request.method == "POST" else None
    form = CompleteForm(data, initial={"notes": draft.notes})
    errors: list[dict[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.save_answers(actor=user, assessment=draft, answers={},
                                  notes=form.cleaned_data["notes"])  # fmt: skip
            services.complete_assessment(actor=user, assessment=draft)
        except ValidationError as error:
            errors = _unanswered(draft, error)
        else:
            messages.success(request, _("The assessment was completed."))
            return redirect("assessment_detail", pk=draft.pk)
    context = {
        "assessment": draft,
        "juvenile": draft.juvenile,
        "form": form,
        "errors": errors,
        "answers": _answers(draft, link=True),
        "back_url": reverse("assessment_detail", args=[draft.pk]),
    }
    return render(request, T + "check.html", context)


def _unanswered(draft: Assessment, error: ValidationError) -> list[dict[str, str]]:
    """The refusal's messages, each linking to the item on its domain's page."""
    if not hasattr(error, "error_dict"):
        return [{"message": str(m), "url": ""} for m in error.messages]
    result = []
    instrument = draft.instrument
    for field, messages_ in error.message_dict.items():
        item = instrument.item(field.removeprefix("answers."))
        url = ""
        if item is not None:
            url = reverse("assessment_domain", args=[draft.pk, item.domain_id]) + f"#id_{item.id}"
        result += [{"message": m, "url": url} for m in messages_]
    return result


@login_required
@permission_required("support.add_assessment", raise_exception=True)
@require_POST
def assessment_reassess(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    earlier = selectors.visible(user, pk)
    if earlier is None:
        raise Http404
    try:
        made = services.reassess(actor=user, assessment=earlier)
    except (ValidationError, PermissionDenied) as error:
        for message in _messages(error):
            messages.error(request, message)
        return redirect("assessment_detail", pk=earlier.pk)
    return redirect("assessment_detail", pk=made.pk)
