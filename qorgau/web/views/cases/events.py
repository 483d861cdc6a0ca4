"""Recording a procedural event: a question page for the kind, then that kind's own form."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.proceedings import selectors, services
from qorgau.proceedings.models import EventKind
from qorgau.web.forms.cases import EventForm, EventKindForm
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import (
    ADD_PARTICIPANT,
    case_minor,
    case_url,
    may,
    visible_case,
    with_roles,
)
from qorgau.web.views.common import AuthedRequest

K = EventKind
# Each form's heading and its button, as whole sentences for the translators.
TEXTS: dict[str, tuple[Any, Any]] = {
    K.DETENTION: (gettext_lazy("Record the actual detention"), gettext_lazy("Save detention")),
    K.REPRESENTATIVE_NOTIFIED: (
        gettext_lazy("Record the notification of the legal representative"),
        gettext_lazy("Save notification"),
    ),
    K.DEFENDER_ASSIGNED: (
        gettext_lazy("Record the assignment of a defender"),
        gettext_lazy("Save assignment"),
    ),
    K.DEFENDER_ARRIVED: (gettext_lazy("Record your arrival"), gettext_lazy("Save arrival")),
    K.PSYCHOLOGIST_PRESENT: (
        gettext_lazy("Record your presence"),
        gettext_lazy("Save presence"),
    ),
    K.INTERROGATION: (gettext_lazy("Record an interrogation"), gettext_lazy("Save interrogation")),
    K.PREVENTIVE_MEASURE: (
        gettext_lazy("Record a preventive measure"),
        gettext_lazy("Save preventive measure"),
    ),
    K.RELEASE: (gettext_lazy("Record the release from detention"), gettext_lazy("Save release")),
    K.TERMINATION: (
        gettext_lazy("Terminate the prosecution"),
        gettext_lazy("Send termination for approval"),
    ),
    K.TERMINATION_APPROVED: (
        gettext_lazy("Approve the termination of prosecution"),
        gettext_lazy("Approve termination"),
    ),
    K.INDICTMENT: (
        gettext_lazy("Record the indictment"),
        gettext_lazy("Send indictment for approval"),
    ),
    K.INDICTMENT_APPROVED: (
        gettext_lazy("Approve the indictment and refer the case to court"),
        gettext_lazy("Approve and refer to court"),
    ),
    K.JUDGMENT: (gettext_lazy("Record the judgment"), gettext_lazy("Save judgment")),
    K.APPEAL: (gettext_lazy("Record an appeal"), gettext_lazy("Save appeal")),
    K.APPEAL_DECISION: (
        gettext_lazy("Record the decision on appeal"),
        gettext_lazy("Save decision on appeal"),
    ),
    K.JUDGMENT_IN_FORCE: (
        gettext_lazy("Record that the judgment entered into force"),
        gettext_lazy("Save"),
    ),
    K.CLOSED: (gettext_lazy("Close the case of this minor"), gettext_lazy("Close the case")),
}


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
def event_choose(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case = visible_case(user, pk)
    accused = case_minor(case, accused_pk)
    kinds = selectors.actions_for(user, accused)
    if not kinds:
        raise PermissionDenied
    form = EventKindForm(request.POST if request.method == "POST" else None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        return redirect(
            "event_form", pk=case.pk, accused_pk=accused.pk, kind=form.cleaned_data["kind"]
        )
    return render(
        request,
        "web/cases/question.html",
        {
            "form": form,
            "case": case,
            "accused": accused,
            "title": _("What do you want to record?"),
            "button": _("Continue"),
            "back_url": case_url(case, accused),
            "can_add_people": may(user, ADD_PARTICIPANT),
            "has_errors": bool(form.errors),
        },
    )


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
@once_per_form
def event_form(request: AuthedRequest, pk: int, accused_pk: int, kind: str) -> HttpResponse:
    if kind not in K.values:
        raise Http404
    user = with_roles(request.user)
    case = visible_case(user, pk)
    accused = case_minor(case, accused_pk)
    if kind not in selectors.actions_for(user, accused):
        raise PermissionDenied
    form = EventForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        case=case,
        accused=accused,
        actor=user,
        # A termination opened from a mediation comes with its ground chosen.
        initial={"ground": request.GET.get("ground", "")} if kind == K.TERMINATION else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.record_event(
                actor=user, accused=accused, kind=kind, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error, EventForm.ALIASES)
        else:
            if event.already_recorded:  # a double click or a resubmitted form: show that step
                messages.info(request, _("This step was already recorded: here it is."))
                return redirect(case_url(case, accused, anchor=f"event-{event.pk}"))
            messages.success(request, _("Event recorded"))
            return redirect(case_url(case, accused))
    title, button = TEXTS[kind]
    return render(
        request,
        "web/cases/event_form.html",
        {
            "form": form,
            "case": case,
            "accused": accused,
            "kind": kind,
            "title": title,
            "button": button,
            "back_url": case_url(case, accused),
            "can_add_people": may(user, ADD_PARTICIPANT),
            "has_errors": bool(form.errors),
        },
    )
