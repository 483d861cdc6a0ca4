"""The list of violations with its filters, one violation's page, and the prosecutor's answers."""

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.accounts.models import User
from qorgau.safeguards import selectors, services
from qorgau.safeguards.models import UNRESOLVED, ActType, Status, Violation
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.oversight import AcknowledgeForm, ActForm, DisputeForm, RemedyForm
from qorgau.web.views.cases.common import case_url, with_roles
from qorgau.web.views.cases.timeline import acting_role
from qorgau.web.views.common import AuthedRequest, paginate, query_without_page
from qorgau.web.views.oversight.common import (
    STATUS_COLOURS,
    Tag,
    chosen_filters,
    filter_form,
    may_answer,
    require_overseer,
    severity_tag,
    status_tag,
)

# Each answer: its form, the service that records it, and the banner after it is saved.
ANSWERS: dict[str, tuple[type[forms.Form], Callable[..., Violation], Any]] = {
    "acknowledge": (
        AcknowledgeForm,
        services.acknowledge,
        gettext_lazy("The violation is marked as seen."),
    ),
    "remedy": (RemedyForm, services.remedy, gettext_lazy("The violation is recorded as remedied.")),
    "dispute": (
        DisputeForm,
        services.dispute,
        gettext_lazy("The violation is recorded as disputed, with your reason."),
    ),
    "act": (ActForm, services.issue_act, gettext_lazy("The prosecutor's act is recorded.")),
}


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


@login_required
@permission_required("safeguards.view_violation", raise_exception=True)
def violation_list(request: AuthedRequest) -> HttpResponse:
    """Prosecutors answer from here; everyone else who reads cases sees their cases' flags."""
    user = with_roles(request.user)
    overseer = may_answer(user)
    form = filter_form(request, user)
    page = paginate(request, selectors.violations_for_list(actor=user, filters=form.filters()))
    rows = [
        {
            "violation": violation,
            "severity": severity_tag(violation),
            "status": status_tag(violation),
            "url": reverse("violation_detail", args=[violation.pk])
            if overseer
            else case_url(violation.proceeding, violation.accused, "violations"),
            "case_url": case_url(violation.proceeding),
            "minor_url": case_url(violation.proceeding, violation.accused, "timeline"),
            "responsible": _name(violation.responsible),
        }
        for violation in page
    ]
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "overseer": overseer,
        "chosen_filters": chosen_filters(request, form),
        "querystring": query_without_page(request),
        "has_errors": bool(form.errors),
    }
    template = "web/oversight/_results.html" if request.htmx else "web/oversight/list.html"
    return render(request, template, context)


def _violation(user: User, pk: int) -> Violation:
    violation = selectors.violation_for_page(actor=user, pk=pk)
    if violation is None:
        raise Http404
    return violation


def _answer_text(changes: dict[str, Any]) -> str:
    """The note, the reason or the act as one line: "Protest No. 12 of 20.11.2026"."""
    act_type = changes.get("act_type") or ""
    if not act_type:
        return str(changes.get("note") or "")
    act = capfirst(ActType(act_type).label) if act_type in ActType.values else act_type
    day = changes.get("act_date") or ""
    if day:
        day = formats.date_format(datetime.date.fromisoformat(day), "SHORT_DATE_FORMAT")
    return _("%(act)s No. %(number)s of %(date)s") % {
        "act": act,
        "number": changes.get("act_number") or "",
        "date": day,
    }


def _history(violation: Violation) -> list[dict[str, Any]]:
    rows = []
    for entry in selectors.history(violation):
        status = Status(entry.status) if entry.status in Status.values else None
        rows.append(
            {
                "status": Tag(str(capfirst(status.label)), STATUS_COLOURS[status])
                if status
                else Tag(entry.status, "grey"),
                "at": entry.at,
                "by": entry.by or _("Qorgau, automatic check"),
                "text": _answer_text(entry.changes),
            }
        )
    return rows


def _page(
    request: AuthedRequest,
    user: User,
    violation: Violation,
    bound: dict[str, forms.Form] | None = None,
) -> HttpResponse:
    bound = bound or {}
    events = list(violation.events.all())
    answers: dict[str, forms.Form] = {}
    if violation.status in UNRESOLVED:
        names = ["remedy", "dispute", "act"]
        if violation.status == Status.OPEN:
            names.insert(0, "acknowledge")
        answers = {name: bound.get(name) or ANSWERS[name][0]() for name in names}
    failed = next((form for form in bound.values() if form.errors), None)
    context = {
        "violation": violation,
        "rule": violation.rule,
        "severity": severity_tag(violation),
        "status": status_tag(violation),
        "case_url": case_url(violation.proceeding),
        "timeline_url": case_url(violation.proceeding, violation.accused, "timeline"),
        "responsible": _name(violation.responsible),
        "events": [
            {
                "event": event,
                "title": capfirst(event.get_kind_display()),
                "author": _name(event.author),
                "role": acting_role(event.author, event.kind),
                "agency": str(event.author.agency or ""),
                "url": case_url(violation.proceeding, violation.accused, f"event-{event.pk}"),
            }
            for event in events
        ],
        "history": _history(violation),
        "answers": answers,
        "error_form": failed,
        "has_errors": failed is not None,
    }
    return render(request, "web/oversight/detail.html", context)


@login_required
def violation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = require_overseer(request)
    try:
        violation = services.view_violation(actor=user, pk=pk)
    except Violation.DoesNotExist:
        raise Http404 from None
    return _page(request, user, violation)


@login_required
def violation_answer(request: AuthedRequest, pk: int, answer: str) -> HttpResponse:
    if answer not in ANSWERS:
        raise Http404
    user = require_overseer(request)
    violation = _violation(user, pk)
    if request.method != "POST":
        # Reloading the page a refused answer left in the address bar: back to the violation.
        return redirect("violation_detail", pk=violation.pk)
    form_class, service, done = ANSWERS[answer]
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=user, violation=violation, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, str(done))
            return redirect("violation_detail", pk=violation.pk)
    return _page(request, user, violation, {answer: form})
