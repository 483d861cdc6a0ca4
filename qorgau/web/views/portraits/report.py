"""The report editor: task list of sections, a page per section, details, check answers and
signing, the HTML preview and the PDF (both from one document, support.pdf)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qorgau.support import pdf
from qorgau.support.models import REPORT_SECTIONS, PortraitReport
from qorgau.support.report_assessment import latest_for_report
from qorgau.support.selectors import portrait as selectors
from qorgau.support.services import portrait as services
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.portraits import DetailsForm, SectionForm, SignForm
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.portraits.common import (
    STATUS_TAGS,
    Place,
    kept,
    may_write_report,
    place,
    size_label,
    version_of,
)

TITLES = dict(REPORT_SECTIONS)


def _writable(
    request: AuthedRequest, pk: int, accused_pk: int, version: int
) -> tuple[Place, PortraitReport]:
    found = kept(request.user, pk, accused_pk)
    if not may_write_report(found.user):
        raise PermissionDenied
    report = version_of(found, version)
    if report.is_signed:
        raise Http404
    return found, report


def _context(found: Place, report: PortraitReport, **extra: Any) -> dict[str, Any]:
    return {
        "case": found.case,
        "accused": found.accused,
        "portrait": found.portrait,
        "report": report,
        "tasks_url": found.url("portrait_report", report.version),
        "portrait_url": found.url("portrait"),
        **extra,
    }


@login_required
@require_POST
def report_start(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    found = kept(request.user, pk, accused_pk)
    try:
        report = services.start_report_version(actor=found.user, portrait=found.kept_portrait)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(found.url("portrait"))
    return redirect(found.url("portrait_report", report.version))


@login_required
def report_tasks(request: AuthedRequest, pk: int, accused_pk: int, version: int) -> HttpResponse:
    found, report = _writable(request, pk, accused_pk, version)
    sections = selectors.sections_of(report)
    for section in sections:
        section["url"] = found.url("portrait_section", version, section["name"])
        section["colour"] = STATUS_TAGS[section["status"]]
    done = sum(1 for s in sections if s["status"] == selectors.COMPLETED)
    return render(
        request,
        "web/portraits/tasks.html",
        _context(
            found,
            report,
            sections=sections,
            done=done,
            total=len(sections),
            missing=services.missing_interviews(report.portrait),
            alternatives=[pdf.alternative_label(code) for code in report.alternatives],
            # What signing will fix on the version.
            latest_assessment=latest_for_report(found.user, found.accused.juvenile),
        ),
    )


@login_required
def report_section(
    request: AuthedRequest, pk: int, accused_pk: int, version: int, section: str
) -> HttpResponse:
    if section not in TITLES:
        raise Http404
    found, report = _writable(request, pk, accused_pk, version)
    initial = {
        "text": report.section_text(section),
        "completed": "yes" if section in report.completed_sections else "no",
    }
    form = SectionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(
                actor=found.user,
                report=report,
                sections={section: form.cleaned_data["text"]},
                completed={section: form.cleaned_data["completed"] == "yes"},
            )
        except ValidationError as error:
            add_service_errors(form, error, {section: "text"})
        else:
            messages.success(request, _("The section was saved."))
            return redirect(found.url("portrait_report", version))
    return render(
        request,
        "web/portraits/section.html",
        _context(
            found,
            report,
            form=form,
            title=TITLES[section],
            length=len(report.section_text(section)),
            has_errors=bool(form.errors),
        ),
    )


@login_required
def report_details(request: AuthedRequest, pk: int, accused_pk: int, version: int) -> HttpResponse:
    found, report = _writable(request, pk, accused_pk, version)
    initial = {
        "language": report.language,
        "issued_to": report.issued_to,
        "alternatives": report.alternatives,
    }
    form = DetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_report(actor=found.user, report=report, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The details of the report were saved."))
            return redirect(found.url("portrait_report", version))
    return render(
        request,
        "web/portraits/form.html",
        {
            **_context(found, report),
            "form": form,
            "title": _("Language, addressee and alternatives"),
            "button": _("Save and return"),
            "back_url": found.url("portrait_report", version),
            "has_errors": bool(form.errors),
        },
    )


@login_required
def report_check(request: AuthedRequest, pk: int, accused_pk: int, version: int) -> HttpResponse:
    found, report = _writable(request, pk, accused_pk, version)
    if not found.user.has_perm("support.sign_portraitreport"):
        raise PermissionDenied
    form = SignForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.sign_report(
                actor=found.user, report=report, declaration=form.cleaned_data["declaration"]
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error("declaration" if field == "declaration" else None, errors)
        else:
            messages.success(
                request,
                _("Version %(version)s of the report was signed and issued.")
                % {"version": report.version},
            )
            return redirect(found.url("portrait") + "#versions")
    sections = selectors.sections_of(report)
    for section in sections:
        section["url"] = found.url("portrait_section", version, section["name"])
        section["colour"] = STATUS_TAGS[section["status"]]
    return render(
        request,
        "web/portraits/check.html",
        _context(
            found,
            report,
            form=form,
            sections=sections,
            problems=services.signing_problems(report),
            missing=services.missing_interviews(report.portrait),
            alternatives=[pdf.alternative_label(code) for code in report.alternatives],
            # What signing will fix on the version.
            latest_assessment=latest_for_report(found.user, found.accused.juvenile),
            has_errors=bool(form.errors),
        ),
    )


@login_required
def report_preview(request: AuthedRequest, pk: int, accused_pk: int, version: int) -> HttpResponse:
    found = place(request.user, pk, accused_pk)
    if found.portrait is None:
        raise Http404
    report = version_of(found, version)
    services.read_report(actor=found.user, report=report)
    document = pdf.build_document(report, viewer=found.user)
    return render(
        request,
        "web/portraits/preview.html",
        {
            **_context(found, report),
            "document": document,
            "size": size_label(report.pdf_size),
            "member": found.member,
        },
    )


@login_required
def report_pdf(request: AuthedRequest, pk: int, accused_pk: int, version: int) -> HttpResponse:
    found = place(request.user, pk, accused_pk)
    if found.portrait is None:
        raise Http404
    report = version_of(found, version)
    report = services.read_report(actor=found.user, report=report, download=True)
    if report.is_signed:
        content = bytes(report.pdf or b"")
    else:
        # A draft, marked as such; shown as this reader may see it.
        content = pdf.render_pdf(pdf.build_document(report, viewer=found.user))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"portrait-{found.case.number}-v{report.version}-{report.language}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
