"""The portrait pages: the psychologist's editor, the participants' view, confidentiality."""

import pytest
from django.urls import reverse

from qorgau.support.models import Disclosure, PortraitReport, ReportStatus
from qorgau.support.services import portrait as services
from tests.factories import PASSWORD
from tests.support.portrait_fixtures import *  # noqa: F403
from tests.support.portrait_fixtures import KAZAKH


def client_for(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def urls(file, version=1):
    args = [file.case.pk, file.accused.pk]
    return {
        "page": reverse("portrait", args=args),
        "notes": reverse("portrait_notes", args=args),
        "interview": reverse("portrait_interview_new", args=args),
        "document": reverse("portrait_document_new", args=args),
        "shared": reverse("portrait_disclosure_new", args=args),
        "tasks": reverse("portrait_report", args=[*args, version]),
        "section": reverse("portrait_section", args=[*args, version, "family"]),
        "check": reverse("portrait_check", args=[*args, version]),
        "preview": reverse("portrait_preview", args=[*args, version]),
        "pdf": reverse("portrait_pdf", args=[*args, version]),
    }


def test_the_psychologist_writes_checks_and_signs(client, file, ready_report, psychologist):
    web = client_for(client, psychologist)
    u = urls(file)
    page = web.get(u["page"])
    assert page.status_code == 200
    assert "Сейітова Айгүл" in page.content.decode()  # the interviews, to the consultation
    tasks = web.get(u["tasks"]).content.decode()
    assert tasks.count("govuk-task-list__item ") == 9
    answer = web.post(u["section"], {"text": "Отбасы: анасы, әкесі.", "completed": "yes"})
    assert answer.status_code == 302
    assert PortraitReport.objects.get(pk=ready_report.pk).family == "Отбасы: анасы, әкесі."
    refused = web.post(u["check"], {})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    signed = web.post(u["check"], {"declaration": "on"})
    assert signed.status_code == 302
    assert PortraitReport.objects.get(pk=ready_report.pk).status == ReportStatus.SIGNED
    download = web.get(u["pdf"])
    assert download["Content-Type"] == "application/pdf"
    assert download.content.startswith(b"%PDF")
    preview = web.get(u["preview"]).content.decode()
    assert "Download PDF (" in preview or "PDF" in preview
    assert KAZAKH.split(":")[0] in preview
    # Frozen: the editor pages of a signed version do not exist.
    assert web.get(u["section"]).status_code == 404


def test_signing_without_interviews_shows_the_missing_ones(client, file, portrait, psychologist):
    report = services.start_report_version(actor=psychologist, portrait=portrait)
    web = client_for(client, psychologist)
    answer = web.post(urls(file)["check"], {"declaration": "on"})
    body = answer.content.decode()
    assert answer.status_code == 200
    assert "кәмелетке толмағанның өзімен әңгімелесу" in body
    assert PortraitReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", ["investigator", "prosecutor", "judge", "defender", "outsider"])
def test_working_material_is_the_consultations_only(client, file, ready_report, who, request):
    services.add_note(
        actor=request.getfixturevalue("psychologist"),
        portrait=ready_report.portrait,
        text="Құпия жазба",
    )
    web = client_for(client, request.getfixturevalue(who))
    u = urls(file)
    for name in ("notes", "interview", "document", "shared", "tasks", "section", "check"):
        assert web.get(u[name]).status_code in (403, 404), name
    # Before the report is issued the participants see no portrait at all.
    assert web.get(u["page"]).status_code == 404
    assert web.get(u["pdf"]).status_code in (403, 404)


def test_participants_read_the_issued_report_and_it_is_recorded(
    client, file, ready_report, psychologist, judge, prosecutor, outsider
):
    services.sign_report(actor=psychologist, report=ready_report, declaration=True)
    web = client_for(client, prosecutor)
    u = urls(file)
    page = web.get(u["page"]).content.decode()
    assert "Сейітова Айгүл" not in page  # interviews stay in the consultation
    assert "Download PDF" in page or "PDF" in page
    case_page = web.get(reverse("case_detail", args=[file.case.pk])).content.decode()
    assert u["pdf"] in case_page
    assert web.get(u["pdf"]).content.startswith(b"%PDF")
    assert Disclosure.objects.filter(recipient=prosecutor, kind="downloaded").exists()
    assert web.get(u["notes"]).status_code == 404
    web.logout()
    stranger = client_for(client, outsider)
    assert stranger.get(u["page"]).status_code == 404
    assert stranger.get(u["pdf"]).status_code == 404
    # The psychologist sees who read it.
    web = client_for(client, psychologist)
    page = web.get(u["page"]).content.decode()
    assert prosecutor.get_full_name() in page


def test_the_today_page_lists_portraits_in_progress(client, portrait, psychologist):
    page = client_for(client, psychologist).get(reverse("home")).content.decode()
    assert portrait.accused.juvenile.full_name in page


def test_an_intern_records_an_interview_in_the_browser_form(client, file, portrait, intern):
    web = client_for(client, intern)
    u = urls(file)
    from django.utils import timezone

    now = timezone.localtime()
    answer = web.post(
        u["interview"],
        {
            "with_whom": "minor",
            "name": "Сейітов Нұрлан",
            "held_on_day": now.day,
            "held_on_month": now.month,
            "held_on_year": now.year,
            "held_time": "00:01",
            "place": "Үйінде",
            "summary": "Бірінші кездесу.",
        },
    )
    body = answer.content.decode()
    assert answer.status_code == 302, body[body.find("error-summary__list") :][:800]
    assert portrait.interviews.count() == 1
    assert (
        web.post(reverse("portrait_report_start", args=[file.case.pk, file.accused.pk])).status_code
        == 403
    )
    assert not PortraitReport.objects.exists()  # an intern starts no report
