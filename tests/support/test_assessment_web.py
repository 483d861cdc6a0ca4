"""The assessment pages: panel, list, start, domain pages, check answers, result, reassess."""

import pytest
from django.urls import reverse

from qorgau.audit.models import AuditEvent
from qorgau.support.models import Assessment
from qorgau.support.services import assessment as services
from tests.support.helpers import highest, lowest


@pytest.fixture
def psych_client(client, file):
    client.force_login(file.team.psychologist)
    return client


def _case_url(file):
    return reverse("case_detail", args=[file.case.pk]) + f"?minor={file.accused.pk}"


def test_the_case_panel_offers_to_assess(psych_client, file):
    page = psych_client.get(_case_url(file)).content.decode()
    assert "Қауіп-қатер мен қажеттіліктер" in page
    start = reverse("assessment_start", args=[file.accused.juvenile.pk])
    assert f"{start}?accused={file.accused.pk}" in page


def test_the_case_panel_shows_the_latest_levels(client, file):
    made = services.start_assessment(actor=file.team.psychologist,
                                     juvenile=file.accused.juvenile, accused=file.accused,
                                     answers=highest())  # fmt: skip
    services.complete_assessment(actor=file.team.psychologist, assessment=made)
    client.force_login(file.team.investigator)
    page = client.get(_case_url(file)).content.decode()
    assert "govuk-tag--red" in page and "өте жоғары" in page
    assert "Қауіп-қатер мен қажеттіліктерді бағалау" not in page  # no start link


def test_the_whole_flow_in_the_browser_without_javascript(psych_client, file):
    juvenile = file.accused.juvenile
    start = reverse("assessment_start", args=[juvenile.pk]) + f"?accused={file.accused.pk}"
    assert psych_client.get(start).status_code == 200
    response = psych_client.post(start)
    draft = Assessment.objects.get()
    assert response.url == reverse("assessment_detail", args=[draft.pk])
    tasks = psych_client.get(response.url).content.decode()
    assert "govuk-task-list" in tasks and "Басталмаған" in tasks
    # One domain page of radios; "Save and return".
    url = reverse("assessment_domain", args=[draft.pk, "peers"])
    page = psych_client.get(url).content.decode()
    assert 'type="radio"' in page and "Құрдастары мен айналасы" in page
    response = psych_client.post(url, {"offending_friends": "clearly"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers == {"offending_friends": "clearly"}
    tasks = psych_client.get(reverse("assessment_detail", args=[draft.pk])).content.decode()
    assert "Орындалуда" in tasks
    # Completing with unanswered items: each named, each a link to its page; nothing written.
    check = reverse("assessment_check", args=[draft.pk])
    page = psych_client.post(check, {"notes": "Ата-анасымен сөйлестім."}).content.decode()
    assert "govuk-error-summary" in page
    assert reverse("assessment_domain", args=[draft.pk, "family"]) + "#id_supervision" in page
    assert "«Отбасы жағдайы» бөлімінде жауап беріңіз" in page
    draft.refresh_from_db()
    assert draft.status == "draft"
    # All answered: completed, the result page shows both levels and reasons.
    services.save_answers(actor=file.team.psychologist, assessment=draft, answers=highest())
    response = psych_client.post(check, {"notes": "Ата-анасымен сөйлестім."})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "completed" and draft.notes == "Ата-анасымен сөйлестім."
    result = psych_client.get(response.url).content.decode()
    assert "Қоғам үшін қауіп-қатер неге" in result
    assert "govuk-tag--red" in result
    assert "Құрдастары мен айналасы" in result
    assert "1-нұсқа" in result
    assert AuditEvent.objects.filter(action="assessment.view").exists()


def test_a_domain_with_a_bad_answer_shows_the_error(psych_client, file):
    draft = services.start_assessment(actor=file.team.psychologist,
                                      juvenile=file.accused.juvenile)  # fmt: skip
    url = reverse("assessment_domain", args=[draft.pk, "peers"])
    page = psych_client.post(url, {"offending_friends": "often"}).content.decode()
    assert "govuk-error-summary" in page
    draft.refresh_from_db()
    assert draft.answers == {}


def test_an_unknown_domain_is_404(psych_client, file):
    draft = services.start_assessment(actor=file.team.psychologist,
                                      juvenile=file.accused.juvenile)  # fmt: skip
    url = reverse("assessment_domain", args=[draft.pk, "hobbies"])
    assert psych_client.get(url).status_code == 404


def test_others_do_not_edit_a_draft_or_see_it(client, file):
    draft = services.start_assessment(actor=file.team.psychologist,
                                      juvenile=file.accused.juvenile)  # fmt: skip
    client.force_login(file.team.investigator)
    assert client.get(reverse("assessment_detail", args=[draft.pk])).status_code == 404
    assert client.get(reverse("assessment_check", args=[draft.pk])).status_code == 403


def test_the_list_and_reassess(psych_client, file, outsider, client):
    made = services.start_assessment(actor=file.team.psychologist,
                                     juvenile=file.accused.juvenile, answers=lowest())  # fmt: skip
    services.complete_assessment(actor=file.team.psychologist, assessment=made)
    url = reverse("assessment_list", args=[file.accused.juvenile.pk])
    page = psych_client.get(url).content.decode()
    assert reverse("assessment_detail", args=[made.pk]) in page and "govuk-tag--green" in page
    response = psych_client.post(reverse("assessment_reassess", args=[made.pk]))
    again = Assessment.objects.exclude(pk=made.pk).get()
    assert response.url == reverse("assessment_detail", args=[again.pk])
    assert again.supersedes == made
    client.force_login(outsider)
    assert client.get(url).status_code in (403, 404)
    assert client.get(reverse("assessment_detail", args=[made.pk])).status_code in (403, 404)


def test_pages_in_russian(psych_client, file):
    psych_client.cookies["django_language"] = "ru"
    draft = services.start_assessment(actor=file.team.psychologist,
                                      juvenile=file.accused.juvenile)  # fmt: skip
    page = psych_client.get(reverse("assessment_domain", args=[draft.pk, "family"]),
                            headers={"accept-language": "ru"}).content.decode()  # fmt: skip
    assert "Семейное положение" in page or "Отбасы жағдайы" in page
