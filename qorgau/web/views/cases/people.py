"""A case's people and charges: add a person or a minor, requalify, name the prosecutor."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qorgau.proceedings import services
from qorgau.proceedings.models import Accused, ParticipantRole, Proceeding
from qorgau.web.forms.cases import (
    AccusedForm,
    ParticipantForm,
    ParticipantRoleForm,
    ProsecutorForm,
    RequalifyForm,
)
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import (
    ADD_ACCUSED,
    ADD_PARTICIPANT,
    REQUALIFY,
    SET_PROSECUTOR,
    case_minor,
    case_url,
    require,
    visible_case,
    with_roles,
)
from qorgau.web.views.common import AuthedRequest

FORM = "web/cases/simple_form.html"
R = ParticipantRole
TITLES = {
    R.LEGAL_REPRESENTATIVE: gettext_lazy("Add a legal representative"),
    R.DEFENDER: gettext_lazy("Add a defender"),
    R.SOCIAL_PSYCHOLOGIST: gettext_lazy("Add a social psychologist"),
    R.PEDAGOGUE: gettext_lazy("Add a pedagogue or psychologist for interrogations"),
    R.VICTIM: gettext_lazy("Add a victim"),
    R.ADULT_COPARTICIPANT: gettext_lazy("Add an adult co-participant"),
}


def _page(
    request: AuthedRequest,
    form: Any,
    case: Proceeding,
    title: Any,
    button: Any,
    accused: Accused | None = None,
    template: str = FORM,
    **extra: Any,
) -> HttpResponse:
    context = {
        "form": form,
        "case": case,
        "accused": accused,
        "title": title,
        "button": button,
        "back_url": case_url(case, accused),
        "has_errors": bool(form.errors),
        **extra,
    }
    return render(request, template, context)


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
def participant_choose(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case = visible_case(user, pk)
    require(user, ADD_PARTICIPANT)
    form = ParticipantRoleForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        return redirect("participant_form", pk=case.pk, role=form.cleaned_data["role"])
    return _page(
        request,
        form,
        case,
        _("Who do you want to add to the case?"),
        _("Continue"),
        template="web/cases/question.html",
    )


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
@once_per_form
def participant_form(request: AuthedRequest, pk: int, role: str) -> HttpResponse:
    if role not in ParticipantRole.values:
        raise Http404
    user = with_roles(request.user)
    case = visible_case(user, pk)
    require(user, ADD_PARTICIPANT)
    minors = list(case.accused.select_related("juvenile"))
    form = ParticipantForm(
        request.POST if request.method == "POST" else None, role=role, case=case, minors=minors
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.add_participant(
                actor=user, proceeding=case, role=role, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The person was added to the case."))
            return redirect(case_url(case))
    title = TITLES[ParticipantRole(role)]
    return _page(request, form, case, title, _("Add to the case"), minors=minors, role=role)


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
@once_per_form
def accused_add(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case = visible_case(user, pk)
    require(user, ADD_ACCUSED)
    form = AccusedForm(request.POST if request.method == "POST" else None, actor=user, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            accused = services.add_accused(actor=user, proceeding=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The minor was added to the case."))
            return redirect(case_url(case, accused))
    return _page(request, form, case, _("Add another minor to the case"), _("Add the minor"))


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
def charge_requalify(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case = visible_case(user, pk)
    accused = case_minor(case, accused_pk)
    require(user, REQUALIFY)
    form = RequalifyForm(request.POST if request.method == "POST" else None, accused=accused)
    if request.method == "POST" and form.is_valid():
        try:
            services.requalify_charge(actor=user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The charge was requalified."))
            return redirect(case_url(case, accused))
    return _page(request, form, case, _("Requalify a charge"), _("Requalify the charge"), accused)


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
def prosecutor_set(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case = visible_case(user, pk)
    require(user, SET_PROSECUTOR)
    initial = {"prosecutor": case.prosecutor_id} if case.prosecutor_id else None
    form = ProsecutorForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_prosecutor(actor=user, proceeding=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The supervising prosecutor was saved."))
            return redirect(case_url(case))
    return _page(request, form, case, _("Supervising prosecutor"), _("Save the prosecutor"))
