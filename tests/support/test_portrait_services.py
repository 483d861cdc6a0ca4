"""The portrait's services: working material, drafts, signing, freezing, disclosures, audit."""

import datetime
import hashlib
import io
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from qorgau.audit.models import AuditEvent
from qorgau.support import pdf
from qorgau.support.models import (
    CollectedDocument,
    Disclosure,
    DisclosureKind,
    Interview,
    InterviewWith,
    PortraitReport,
    ReportStatus,
    WorkingNote,
)
from qorgau.support.portrait_rules import RULES_DIR, load_portrait_rules, portrait_rules
from qorgau.support.services import portrait as services
from tests.support.portrait_fixtures import *  # noqa: F403
from tests.support.portrait_fixtures import KAZAKH, interview, write_all

LETTERS = "әғқңөұүһіӘҒҚҢӨҰҮҺІ"


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


def counts():
    return (
        Interview.objects.count(),
        CollectedDocument.objects.count(),
        WorkingNote.objects.count(),
        PortraitReport.objects.count(),
        Disclosure.objects.count(),
        AuditEvent.objects.count(),
        sorted(PortraitReport.objects.values_list("pk", "status", "pdf_sha256")),
    )


def refused(call, **kwargs):
    before = counts()
    with pytest.raises(ValidationError) as info:
        call(**kwargs)
    assert counts() == before
    return (
        info.value.message_dict
        if hasattr(info.value, "error_dict")
        else {"__all__": info.value.messages}
    )


def denied(call, **kwargs):
    before = counts()
    with pytest.raises(PermissionDenied) as info:
        call(**kwargs)
    assert counts() == before
    return str(info.value)


# Starting and the working material


def test_the_minors_psychologist_starts_the_portrait(file, psychologist):
    portrait = services.start_portrait(actor=psychologist, accused=file.accused)
    assert portrait.agency == psychologist.agency and portrait.lead == psychologist
    event = AuditEvent.objects.get(action="portrait.start")
    assert event.subject_id == str(portrait.pk) and event.actor == psychologist


def test_a_second_portrait_of_the_same_minor_is_refused(portrait, psychologist, file):
    errors = refused(services.start_portrait, actor=psychologist, accused=file.accused)
    assert "accused" in errors


@pytest.mark.parametrize("who", ["investigator", "defender", "outsider", "judge"])
def test_only_a_social_psychologist_starts_a_portrait(file, who, request):
    actor = request.getfixturevalue(who)
    denied(services.start_portrait, actor=actor, accused=file.accused)


def test_interviews_documents_and_notes_are_recorded_and_audited(portrait, psychologist, intern):
    item = interview(portrait, intern, InterviewWith.TEACHER, "Ахметова Сәуле")
    assert item.recorded_by == intern
    note = services.add_note(actor=intern, portrait=portrait, text="Құпия: баланың қорқынышы.")
    assert note.author == intern
    event = AuditEvent.objects.filter(action="portrait.note").get()
    assert "Құпия" not in str(event.changes) + str(event.details)  # the text stays out
    assert AuditEvent.objects.filter(action="portrait.interview").count() == 1


def test_bad_interviews_are_refused_with_messages(portrait, psychologist):
    errors = refused(
        services.record_interview,
        actor=psychologist,
        portrait=portrait,
        with_whom=InterviewWith.MINOR,
        name=" ",
        held_at=timezone.now() + datetime.timedelta(days=1),
        summary="",
    )
    assert errors["name"] == [str(services.MESSAGE_NAME_REQUIRED)]
    assert errors["summary"] == [str(services.MESSAGE_SUMMARY_REQUIRED)]
    assert "held_at" in errors


def test_a_document_received_in_the_future_is_refused(portrait, psychologist):
    errors = refused(
        services.record_document,
        actor=psychologist,
        portrait=portrait,
        kind="medical_certificate",
        title="Анықтама",
        source="",
        received_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    assert errors == {
        "source": [str(services.MESSAGE_SOURCE_REQUIRED)],
        "received_on": [str(services.MESSAGE_RECEIVED_FUTURE)],
    }


def test_a_document_received_before_the_child_was_born_is_refused(portrait, psychologist):
    birth = portrait.accused.juvenile.birth_date
    errors = refused(
        services.record_document,
        actor=psychologist,
        portrait=portrait,
        kind="medical_certificate",
        title="Анықтама",
        source="Емхана",
        received_on=datetime.date(1, 1, 1),
    )
    assert errors == {
        "received_on": [
            str(services.MESSAGE_RECEIVED_BEFORE_BIRTH % {"birth": birth.strftime("%d.%m.%Y")})
        ]
    }


@pytest.mark.parametrize("who", ["investigator", "prosecutor", "judge", "defender", "outsider"])
def test_nobody_outside_the_consultation_writes_working_material(portrait, who, request):
    actor = request.getfixturevalue(who)
    denied(services.add_note, actor=actor, portrait=portrait, text="x")
    denied(
        services.record_interview,
        actor=actor,
        portrait=portrait,
        with_whom="minor",
        name="x",
        held_at=timezone.now(),
        summary="x",
    )


# Drafts, signing and versions


def test_signing_without_the_required_interviews_names_what_is_missing(portrait, psychologist):
    report = services.start_report_version(actor=psychologist, portrait=portrait)
    report = write_all(report, psychologist)
    with translation.override("ru"):
        errors = refused(services.sign_report, actor=psychologist, report=report, declaration=True)
    messages = errors["interviews"]
    rules = portrait_rules().required_interviews
    assert len(messages) == 2
    for message, rule in zip(messages, rules, strict=True):
        assert rule.text["ru"] in message and rule.citation in message
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and report.pdf is None


def test_one_parent_is_enough_with_the_minor(portrait, psychologist):
    interview(portrait, psychologist, InterviewWith.MINOR, "Нұрлан")
    assert [r.code for r in services.missing_interviews(portrait)] == ["parent_or_representative"]
    interview(portrait, psychologist, InterviewWith.FATHER, "Қайрат")
    assert services.missing_interviews(portrait) == []


def test_signing_needs_every_section_and_the_declaration(with_interviews, psychologist):
    report = services.start_report_version(actor=psychologist, portrait=with_interviews)
    report = services.update_report(
        actor=psychologist, report=report, sections={"family": "Толық емес отбасы."}
    )
    errors = refused(services.sign_report, actor=psychologist, report=report, declaration=False)
    assert errors["declaration"] == [str(services.MESSAGE_DECLARATION)]
    # Written, not completed.
    assert errors["family"] == [
        services.MESSAGE_SECTION_EMPTY % {"section": "Отбасы және өмір сүру жағдайлары"}
    ]
    assert "interviews" not in errors


def test_signing_issues_freezes_and_discloses(ready_report, psychologist, file, team):
    report = services.sign_report(actor=psychologist, report=ready_report, declaration=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SIGNED and report.signed_by == psychologist
    content = bytes(report.pdf)
    assert content.startswith(b"%PDF") and report.pdf_size == len(content)
    assert report.pdf_sha256 == hashlib.sha256(content).hexdigest()
    issued = Disclosure.objects.filter(report=report, kind=DisclosureKind.ISSUED)
    agencies = set(issued.values_list("recipient_agency", flat=True))
    assert agencies == {
        team.investigator.agency_id,
        team.prosecutor.agency_id,
        team.defender.agency_id,
    }
    assert psychologist.agency_id not in agencies
    event = AuditEvent.objects.get(action="portrait.report_sign")
    assert event.details["sha256"] == report.pdf_sha256
    # Frozen: the services refuse, and so does the model itself.
    errors = refused(
        services.update_report, actor=psychologist, report=report, sections={"family": "Жаңа"}
    )
    assert errors["__all__"] == [str(services.MESSAGE_NOT_DRAFT)]
    report.family = "changed behind the services' back"
    with pytest.raises(ValidationError):
        report.save()


def test_editing_a_signed_report_starts_a_new_version(ready_report, psychologist):
    services.sign_report(actor=psychologist, report=ready_report, declaration=True)
    second = services.start_report_version(actor=psychologist, portrait=ready_report.portrait)
    assert second.version == 2 and second.status == ReportStatus.DRAFT
    assert second.family == ready_report.family  # carried over
    assert second.alternatives == ["community_works", "supervision"]
    second = services.update_report(
        actor=psychologist, report=second, sections={"family": "Жаңартылған мәлімет."}
    )
    first = PortraitReport.objects.get(pk=ready_report.pk)
    assert first.family != second.family and first.status == ReportStatus.SIGNED
    errors = refused(
        services.start_report_version, actor=psychologist, portrait=ready_report.portrait
    )
    assert "2" in errors["__all__"][0]


def test_an_intern_records_but_never_signs(ready_report, intern):
    message = denied(services.sign_report, actor=intern, report=ready_report, declaration=True)
    assert message == str(services.MESSAGE_INTERN_SIGN)
    denied(services.start_report_version, actor=intern, portrait=ready_report.portrait)


def test_an_unknown_alternative_is_refused(ready_report, psychologist):
    errors = refused(
        services.update_report,
        actor=psychologist,
        report=ready_report,
        alternatives=["deprivation_of_liberty"],
    )
    assert "alternatives" in errors


# Reading: disclosures and audit


def test_reading_by_a_participant_is_recorded_as_shared(ready_report, psychologist, prosecutor):
    report = services.sign_report(actor=psychologist, report=ready_report, declaration=True)
    services.read_report(actor=prosecutor, report=report, download=True)
    row = Disclosure.objects.get(kind=DisclosureKind.DOWNLOADED)
    assert row.recipient == prosecutor and row.recipient_agency == prosecutor.agency
    assert AuditEvent.objects.filter(action="portrait.report_download", actor=prosecutor).exists()
    # The consultation's own reading is audited but is no disclosure.
    services.read_report(actor=psychologist, report=report)
    assert not Disclosure.objects.filter(kind=DisclosureKind.READ).exists()
    assert AuditEvent.objects.filter(action="portrait.report_view", actor=psychologist).exists()


def test_a_draft_is_not_readable_outside_the_consultation(ready_report, investigator, outsider):
    denied(services.read_report, actor=investigator, report=ready_report)
    denied(services.read_report, actor=outsider, report=ready_report)


def test_other_sharing_is_recorded(portrait, psychologist):
    item = services.record_disclosure(
        actor=psychologist,
        portrait=portrait,
        recipient_name="№ 52 мектеп директоры",
        details="Баланың оқуға қайта келетіні туралы",
        purpose="Оқуды жалғастыру",
    )
    assert item.kind == DisclosureKind.OTHER and item.by == psychologist
    errors = refused(
        services.record_disclosure,
        actor=psychologist,
        portrait=portrait,
        recipient_name="",
        details="",
        purpose="",
    )
    assert set(errors) == {"recipient_name", "details", "purpose"}


# The PDF


def test_the_pdf_keeps_the_kazakh_letters(ready_report, psychologist):
    report = services.sign_report(actor=psychologist, report=ready_report, declaration=True)
    text = pdf_text(bytes(report.pdf))
    for letter in LETTERS:
        assert letter in text
    assert KAZAKH.split(":")[0] in text
    assert "Әлеуметтік-психологиялық портрет" in text
    assert "қоғамдық жұмыстарға тарту" in text  # the alternative, in the report's language
    assert timezone.localdate().strftime("%d.%m.%Y") in text


def test_the_report_language_is_its_own(ready_report, psychologist):
    services.update_report(actor=psychologist, report=ready_report, language="ru")
    ready_report.refresh_from_db()
    with translation.override("kk"):
        report = services.sign_report(actor=psychologist, report=ready_report, declaration=True)
    text = pdf_text(bytes(report.pdf))
    assert "Социально-психологический портрет несовершеннолетнего" in text
    assert "привлечение к общественным работам" in text


def test_markup_characters_are_printed_as_they_are(ready_report, psychologist):
    nasty = "#set text(red) *bold* _it_ $x^2$ @label <tag> [b] \\ \"q\" 's' = heading // c"
    report = write_all(ready_report, psychologist, text=nasty)
    text = pdf_text(pdf.render_pdf(pdf.build_document(report)))
    assert nasty in text.replace("\n", " ") or all(piece in text for piece in nasty.split(" "))
    assert "#set text(red)" in text and "$x^2$" in text and "@label <tag> [b]" in text


# The rules file


def test_the_rules_file_loads_with_citations():
    rules = portrait_rules()
    assert [r.code for r in rules.required_interviews] == ["minor", "parent_or_representative"]
    assert all("531" in r.citation for r in rules.required_interviews)


@pytest.mark.parametrize(
    "change, problem",
    [
        (lambda d: d["required_interviews"][0].pop("citation"), "citation"),
        (lambda d: d["required_interviews"][0].update(any_of=["aunt"]), "any_of"),
        (lambda d: d["required_interviews"][0].update(valid_from="2015-13-01"), "valid_from"),
        (lambda d: d["required_interviews"][1]["text"].pop("ru"), "text.ru"),
        (lambda d: d.pop("required_interviews"), "required_interviews"),
    ],
)
def test_a_broken_rules_file_fails_loudly(tmp_path: Path, change, problem):
    data = yaml.safe_load((RULES_DIR / "portrait-kz.yaml").read_text(encoding="utf-8"))
    for rule in data["required_interviews"]:
        rule["valid_from"] = str(rule["valid_from"])
    change(data)
    broken = tmp_path / "portrait-kz.yaml"
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=problem):
        load_portrait_rules(broken)
