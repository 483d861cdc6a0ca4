"""The minor's portrait page and the consultation's working material: interviews, documents,
notes and the record of what was shared."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.accounts.models import Role
from qorgau.support.models import IssuedTo
from qorgau.support.selectors import portrait as selectors
from qorgau.support.services import portrait as services
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.portraits import DisclosureForm, DocumentForm, InterviewForm, NoteForm
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import case_url
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.portraits.common import (
    STATUS_TAGS,
    Place,
    kept,
    may_write_report,
    place,
    size_label,
)


def _base(found: Place) -> dict[str, Any]:
    return {
        "case": found.case,
        "accused": found.accused,
        "portrait": found.portrait,
        "back_url": found.url("portrait"),
    }


@login_required
def portrait_page(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    found = place(request.user, pk, accused_pk)
    user = found.user
    context: dict[str, Any] = {
        **_base(found),
        "back_url": case_url(found.case, found.accused),
        "member": found.member,
        "may_start": False,
    }
    if found.portrait is None:
        if not (user.has_role(Role.SOCIAL_PSYCHOLOGIST) and user.has_perm("support.add_portrait")):
            raise Http404
        context["may_start"] = True
        return render(request, "web/portraits/page.html", context)
    portrait = found.portrait
    reports = selectors.reports_for(user, portrait)
    context["versions"] = [
        {"report": report, "size": size_label(report.pdf_size)} for report in reports
    ]
    if found.member:
        services.view_portrait(actor=user, portrait=portrait)
        context.update(
            progress=selectors.progress(portrait),
            interviews=list(portrait.interviews.select_related("recorded_by")),
            documents=list(portrait.documents.select_related("recorded_by")),
            disclosures=[
                {
                    "row": row,
                    "issued_to": IssuedTo(row.purpose).label if row.kind == "issued" else "",
                }
                for row in selectors.disclosures_of(user, portrait)
            ],
            may_write=may_write_report(user),
            status_tags=STATUS_TAGS,
        )
    return render(request, "web/portraits/page.html", context)


@login_required
@require_POST
def portrait_start(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    found = place(request.user, pk, accused_pk)
    try:
        services.start_portrait(actor=found.user, accused=found.accused)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The portrait was started."))
    return redirect(found.url("portrait"))


def _form_page(
    request: AuthedRequest, found: Place, form: Any, title: str, button: str
) -> HttpResponse:
    return render(
        request,
        "web/portraits/form.html",
        {
            **_base(found),
            "form": form,
            "title": title,
            "button": button,
            "has_errors": bool(form.errors),
        },
    )


@login_required
@once_per_form
def interview_new(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    found = kept(request.user, pk, accused_pk)
    if not found.user.has_perm("support.add_interview"):
        raise PermissionDenied
    form = InterviewForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_interview(
                actor=found.user, portrait=found.kept_portrait, **form.service_kwargs()
            )
        except ValidationError as error:
            add_service_errors(form, error, InterviewForm.ALIASES)
        else:
            messages.success(request, _("The interview was recorded."))
            return redirect(found.url("portrait") + "#interviews")
    return _form_page(request, found, form, _("Record an interview"), _("Save interview"))


@login_required
@once_per_form
def document_new(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    found = kept(request.user, pk, accused_pk)
    if not found.user.has_perm("support.add_collecteddocument"):
        raise PermissionDenied
    form = DocumentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_document(
                actor=found.user, portrait=found.kept_portrait, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The document was recorded."))
            return redirect(found.url("portrait") + "#documents")
    return _form_page(request, found, form, _("Record a collected document"), _("Save document"))


@login_required
@once_per_form
def disclosure_new(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    found = kept(request.user, pk, accused_pk)
    if not found.user.has_perm("support.add_disclosure"):
        raise PermissionDenied
    form = DisclosureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_disclosure(
                actor=found.user, portrait=found.kept_portrait, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("What was shared was recorded."))
            return redirect(found.url("portrait") + "#shared")
    return _form_page(request, found, form, _("Record information shared"), _("Save"))


@login_required
def notes(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    found = kept(request.user, pk, accused_pk)
    assert found.portrait is not None
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not found.user.has_perm("support.add_workingnote"):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.add_note(
                    actor=found.user, portrait=found.kept_portrait, **form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The note was saved."))
                return redirect(found.url("portrait_notes"))
    else:
        services.view_portrait(actor=found.user, portrait=found.kept_portrait, what="notes")
    return render(
        request,
        "web/portraits/notes.html",
        {
            **_base(found),
            "form": form,
            "notes": list(found.portrait.notes.select_related("author")),
            "has_errors": bool(form.errors),
        },
    )
