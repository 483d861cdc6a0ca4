"""The parts working together: the assessment in the portrait report, its needs in the plan."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from qorgau.accounts.models import User
from qorgau.audit.models import AuditEvent
from qorgau.support import pdf
from qorgau.support.assessment_needs import DOMAIN_NEEDS, suggested_needs
from qorgau.support.instrument import library
from qorgau.support.models import Disclosure, NeedKind, PortraitReport, Priority
from qorgau.support.report_assessment import disclosure_note
from qorgau.support.services import assessment as assessments
from qorgau.support.services import plan as plans
from qorgau.support.services import portrait as portraits
from tests.factories import PASSWORD
from tests.support.helpers import highest, lowest
from tests.support.plan_fixtures import *  # noqa: F403
from tests.support.portrait_fixtures import *  # noqa: F403
from tests.support.portrait_fixtures import write_all

FAMILY_ONLY = {"supervision": "clearly", "family_conflict": "clearly"}
TITLE_KK = "Криминогендік қауіп-қатердің деңгейін және қажеттіліктерді бағалау"


def assess(file, answers, actor=None):
    """A completed assessment of the file's minor (by its social psychologist by default)."""
    actor = actor or file.team.psychologist
    draft = assessments.start_assessment(
        actor=actor, juvenile=file.accused.juvenile, accused=file.accused, answers=answers
    )
    return assessments.complete_assessment(actor=actor, assessment=draft)


def reassess(file, earlier, answers):
    actor = file.team.psychologist
    draft = assessments.reassess(actor=actor, assessment=earlier)
    assessments.save_answers(actor=actor, assessment=draft, answers=answers)
    return assessments.complete_assessment(actor=actor, assessment=draft)


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(text.split())


# --- The mapping: one place, every risk domain --------------------------------------------------


def test_every_risk_domain_of_every_instrument_version_points_to_a_need():
    for versions in library().versions.values():
        for instrument in versions.values():
            for domain in instrument.domains:
                if not domain.protective:
                    assert DOMAIN_NEEDS.get(domain.id), f"{instrument.code}: {domain.id} unmapped"


def test_suggestions_follow_the_mapping(file):
    assessment = assess(file, highest())
    # Reasons: attitudes, prior offending, peers (society); family, substances, psychology.
    found = suggested_needs(assessment)
    assert [s.kind for s in found] == [
        NeedKind.PSYCHOLOGICAL,
        NeedKind.LEISURE,
        NeedKind.MEDICAL,
        NeedKind.FAMILY,
        NeedKind.PREVENTION,
    ]
    prevention = found[-1]
    assert [d.id for d in prevention.domains] == [
        "prior_offending",
        "peers",
        "substance_use",
        "attitudes_behaviour",
    ]
    assert {s.priority for s in found} == {Priority.HIGH}  # reasons of very high levels
    left = suggested_needs(assessment, {NeedKind.FAMILY, NeedKind.PREVENTION})
    assert NeedKind.FAMILY not in [s.kind for s in left]


def test_a_low_family_problem_suggests_family_work_at_normal_priority(file):
    assessment = assess(file, lowest(**FAMILY_ONLY))
    assert assessment.society_level == "low"
    found = suggested_needs(assessment)
    assert [(s.kind, s.priority) for s in found] == [(NeedKind.FAMILY, Priority.NORMAL)]


# --- The portrait report -------------------------------------------------------------------


def test_a_draft_follows_the_latest_completed_assessment(file, with_interviews, psychologist):
    report = portraits.start_report_version(actor=psychologist, portrait=with_interviews)
    assert report.assessment is None
    first = assess(file, lowest(**FAMILY_ONLY))
    report = portraits.update_report(actor=psychologist, report=report, language="kk")
    assert report.assessment == first  # saving the draft looks it up again
    event = AuditEvent.objects.filter(action="portrait.report_edit").latest("id")
    assert event.changes["assessment"] == [None, first.pk]
    second = reassess(file, first, highest())
    report = write_all(report, psychologist)
    assert PortraitReport.objects.get(pk=report.pk).assessment == second


def test_the_signed_pdf_shows_the_assessment_in_kazakh(file, ready_report, psychologist):
    assessment = assess(file, highest())
    report = portraits.sign_report(actor=psychologist, report=ready_report, declaration=True)
    assert report.assessment == assessment  # looked up a last time, then frozen
    text = pdf_text(bytes(report.pdf))
    assert TITLE_KK in text
    assert "Қоғам үшін қауіп-қатер: өте жоғары" in text
    assert "Бала үшін қауіп-қатер: өте жоғары" in text
    assert "Көзқарастары мен мінез-құлқы" in text  # a reason, in words
    assert "risk-needs" in text and "әлеуметтік психолог" in text
    # The levels come just before the psychologist's own "Risks and needs".
    assert text.index(TITLE_KK) < text.index("(risks)")


def test_a_russian_report_shows_the_assessment_in_russian(file, ready_report, psychologist):
    assess(file, highest())
    portraits.update_report(actor=psychologist, report=ready_report, language="ru")
    report = portraits.sign_report(actor=psychologist, report=ready_report, declaration=True)
    text = pdf_text(bytes(report.pdf))
    assert "Оценка уровня криминогенного риска и потребностей" in text
    assert "Риск для общества: очень высокий" in text
    assert "Установки и поведение" in text


def test_a_report_without_an_assessment_has_no_such_section(ready_report, psychologist):
    report = portraits.sign_report(actor=psychologist, report=ready_report, declaration=True)
    assert report.assessment is None
    assert TITLE_KK not in pdf_text(bytes(report.pdf))
    assert Disclosure.objects.filter(report=report).exclude(details="").count() == 0


def test_a_reassessment_after_signing_leaves_the_signed_report_unchanged(
    file, ready_report, psychologist
):
    first = assess(file, highest())
    signed = portraits.sign_report(actor=psychologist, report=ready_report, declaration=True)
    frozen = bytes(signed.pdf)
    before = pdf.build_document(PortraitReport.objects.get(pk=signed.pk)).assessment
    second = reassess(file, first, lowest(**FAMILY_ONLY))
    again = PortraitReport.objects.get(pk=signed.pk)
    assert again.assessment == first and bytes(again.pdf) == frozen
    after = pdf.build_document(again).assessment  # the HTML preview of the signed version
    assert after == before and after is not None
    assert after.scales[0].level == "өте жоғары"
    # The next version is a draft again: it shows the new assessment.
    draft = portraits.start_report_version(actor=psychologist, portrait=signed.portrait)
    assert draft.assessment == second


def test_issuing_the_report_records_the_assessment_as_shared(file, ready_report, psychologist):
    assessment = assess(file, highest())
    report = portraits.sign_report(actor=psychologist, report=ready_report, declaration=True)
    issued = Disclosure.objects.filter(report=report, kind="issued")
    assert issued.exists()
    assert {row.details for row in issued} == {disclosure_note(assessment, "kk")}
    event = AuditEvent.objects.get(action="portrait.report_sign")
    assert event.details["assessment_id"] == assessment.pk
    assert event.changes["assessment"] == [None, assessment.pk]


def test_an_intern_reads_the_draft_without_the_assessment(
    client, file, ready_report, psychologist, intern
):
    assess(file, highest())
    portraits.update_report(actor=psychologist, report=ready_report, language="kk")
    args = [file.case.pk, file.accused.pk, ready_report.version]
    client.login(username=intern.username, password=PASSWORD)
    page = client.get(reverse("portrait_preview", args=args)).content.decode()
    assert TITLE_KK in page and "өте жоғары" not in page
    client.login(username=psychologist.username, password=PASSWORD)
    page = client.get(reverse("portrait_preview", args=args)).content.decode()
    assert "Қоғам үшін қауіп-қатер: өте жоғары" in page


def test_the_check_page_names_the_assessment_signing_will_fix(
    client, file, ready_report, psychologist
):
    User.objects.filter(pk=psychologist.pk).update(language="en")
    client.force_login(psychologist)
    url = reverse("portrait_check", args=[file.case.pk, file.accused.pk, 1])
    assert (
        "None completed: the report will have no assessment section."
        in client.get(url).content.decode()
    )
    assessment = assess(file, highest())
    page = client.get(url).content.decode()
    assert "risk to society very high" in page
    assert reverse("assessment_detail", args=[assessment.pk]) in page


# --- The support plan ----------------------------------------------------------------------


@pytest.fixture
def web(client):
    def sign_in(user):
        User.objects.filter(pk=user.pk).update(language="en")
        client.force_login(user)
        return client

    return sign_in


def test_the_plan_page_offers_the_suggested_needs_and_adds_one_in_a_click(
    web, file, plan, psychologist
):
    assessment = assess(file, highest())
    assert plan.needs.count() == 0  # nothing is created by itself
    page = web(psychologist).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    day = assessment.completed_at.astimezone().strftime("%d.%m.%Y")
    assert f"Suggested by the assessment of {day}" in page
    assert "Prior and current offending, Peers, Substance use" in page
    add = reverse("plan_need_add_suggested", args=[plan.pk])
    assert add in page
    answer = web(psychologist).post(add, {"kind": "family", "assessment": assessment.pk})
    assert answer.status_code == 302
    need = plan.needs.get()
    assert (need.kind, need.priority) == (NeedKind.FAMILY, Priority.HIGH)
    assert "Family situation" in need.description
    event = AuditEvent.objects.filter(action="plan.need").latest("id")
    assert event.details["assessment_id"] == assessment.pk
    # Added once: offered no more, and a second click adds nothing.
    page = web(psychologist).get(reverse("plan_need_add", args=[plan.pk])).content.decode()
    assert 'name="kind" value="family"' not in page and 'value="medical"' in page
    again = web(psychologist).post(add, {"kind": "family", "assessment": assessment.pk})
    assert again.status_code == 302 and plan.needs.count() == 1


def test_a_stale_or_foreign_suggestion_is_refused(web, file, plan, psychologist):
    first = assess(file, lowest(**FAMILY_ONLY))
    second = reassess(file, first, highest())
    add = reverse("plan_need_add_suggested", args=[plan.pk])
    web(psychologist).post(add, {"kind": "family", "assessment": first.pk})  # not the latest
    web(psychologist).post(add, {"kind": "sentence", "assessment": second.pk})  # not suggested
    assert plan.needs.count() == 0
    assert web(psychologist).get(add).status_code == 405


def test_drawing_up_a_plan_shows_what_the_assessment_points_to(web, file, psychologist):
    assess(file, lowest(**FAMILY_ONLY))
    url = reverse("plan_create", args=[file.case.pk, file.accused.pk])
    page = web(psychologist).get(url).content.decode()
    assert "Suggested by the assessment of" in page
    assert "Once the plan is drawn up you can add each of them in one click." in page
    assert 'name="assessment"' not in page  # nothing to add before the plan exists


def test_a_plan_worker_who_may_not_see_the_assessment_is_offered_nothing(
    web, file, plan, psychologist, referral, probation
):
    # The probation service accepted a referral: it works in the plan but is not in the case.
    assessment = assess(file, highest())
    plans.accept_referral(actor=probation, task=referral)
    page = web(probation).get(reverse("plan_detail", args=[plan.pk])).content.decode()
    assert "Suggested by the assessment" not in page
    add = reverse("plan_need_add_suggested", args=[plan.pk])
    web(probation).post(add, {"kind": "family", "assessment": assessment.pk})
    assert not plan.needs.filter(kind="family").exists()
    with pytest.raises(ValidationError) as refused:
        plans.add_need(
            actor=probation,
            plan=plan,
            kind="family",
            description="Отбасымен жұмыс.",
            assessment=assessment,
        )
    assert refused.value.message_dict == {"assessment": [str(plans.MESSAGE_WRONG_ASSESSMENT)]}


@pytest.mark.django_db
def test_only_interns_read_reports_without_reading_assessments():
    """The claim of docs/portrait.md: a signed report shows the assessment to nobody else."""
    from django.contrib.auth.models import Group

    def holders(codename):
        return set(
            Group.objects.filter(permissions__codename=codename).values_list("name", flat=True)
        )

    assert holders("view_portraitreport") - holders("view_assessment") == {"psychology_intern"}
