from django.urls import URLPattern, path

from qorgau.web.views.portraits import pages, report

P = "cases/<int:pk>/minors/<int:accused_pk>/portrait/"
R = P + "report/<int:version>/"

urlpatterns: list[URLPattern] = [
    path(P, pages.portrait_page, name="portrait"),
    path(P + "start/", pages.portrait_start, name="portrait_start"),
    path(P + "interviews/new/", pages.interview_new, name="portrait_interview_new"),
    path(P + "documents/new/", pages.document_new, name="portrait_document_new"),
    path(P + "notes/", pages.notes, name="portrait_notes"),
    path(P + "shared/new/", pages.disclosure_new, name="portrait_disclosure_new"),
    path(P + "report/new/", report.report_start, name="portrait_report_start"),
    path(R, report.report_tasks, name="portrait_report"),
    path(R + "sections/<slug:section>/", report.report_section, name="portrait_section"),
    path(R + "details/", report.report_details, name="portrait_details"),
    path(R + "check/", report.report_check, name="portrait_check"),
    path(R + "preview/", report.report_preview, name="portrait_preview"),
    path(R + "pdf/", report.report_pdf, name="portrait_pdf"),
]
