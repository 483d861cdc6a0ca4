"""The mediation pages: who sees what, each form's happy path, the schedule error, no script."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from qorgau.audit.models import AuditEvent
from qorgau.mediation.models import Agreement, Mediation, Status
from tests.factories import PASSWORD
from tests.mediation.conftest import D, signed_day

pytestmark = pytest.mark.django_db


def login(client, user):
    user.language = "en"  # the pages are read in English here
    user.save(update_fields=["language"])
    assert client.login(username=user.username, password=PASSWORD)
    return client


def date_fields(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def test_the_investigator_refers_through_the_question_pages(client, file, victim):
    login(client, file.team.investigator)
    case_page = client.get(
        reverse("case_detail", args=[file.case.pk]) + f"?minor={file.accused.pk}"
    )
    start = reverse("mediation_refer_source", args=[file.case.pk, file.accused.pk])
    assert start in case_page.content.decode()
    answer = client.post(start, {"source": "investigator"})
    assert answer.status_code == 302
    page = client.get(answer.url)
    assert "did not cause anyone" in page.content.decode()
    day = timezone.localdate(file.offence + 2 * D)
    response = client.post(answer.url, {
        "victim": victim.pk, "mediator": file.team.psychologist.pk,
        **date_fields("on", day), "time": "10:00", "condition_confirmed": "on",
    })  # fmt: skip
    mediation = Mediation.objects.get()
    assert response.url == reverse("mediation_detail", args=[mediation.pk])


def test_the_mediation_page_for_each_reader(client, file, agreed, prosecutor, outsider):
    url = reverse("mediation_detail", args=[agreed.pk])
    text = login(client, file.team.psychologist).get(url).content.decode()
    assert "Тараптар кешірім" in text  # the mediator's agency reads the notes
    assert "Overdue" in text and "Not yet due" in text
    assert AuditEvent.objects.filter(action="mediation.view").exists()
    client.logout()
    text = login(client, prosecutor).get(url).content.decode()
    assert "Тараптар кешірім" not in text
    assert "Confidential" in text
    client.logout()
    assert login(client, outsider).get(url).status_code == 404


def test_the_schedule_that_does_not_add_up_shows_the_difference(client, file, met):
    login(client, file.team.psychologist)
    day = signed_day(file)
    url = reverse("mediation_agreement", args=[met.pk])
    data = {
        **date_fields("signed_on", day), "apology": "in_person", "compensation": "100 000",
        **date_fields("deadline", day + 60 * D),
        **date_fields("due_1", day + D), "amount_1": "40000",
        **date_fields("due_2", day + 30 * D), "amount_2": "50000",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200
    assert "10\xa0000 tenge less than the compensation" in response.content.decode()
    assert not Agreement.objects.exists()
    data["amount_2"] = "60000"
    response = client.post(url, data)
    assert response.url == reverse("mediation_agreement_check", args=[met.pk])
    check = client.get(response.url).content.decode()
    assert "Check the agreement" in check
    assert not Agreement.objects.exists()
    client.post(response.url)
    met.refresh_from_db()
    assert met.status == Status.AGREEMENT


def test_consent_session_payment_and_withdrawal_forms(client, file, mediation):
    login(client, file.team.psychologist)
    day = timezone.localdate(file.offence + 3 * D)
    consent = reverse("mediation_consent", args=[mediation.pk, "accused"])
    response = client.post(consent, {"given": "yes", **date_fields("on", day), "time": "11:00",
                                     "representative": file.representative.pk})  # fmt: skip
    assert response.status_code == 302
    consent = reverse("mediation_consent", args=[mediation.pk, "victim"])
    client.post(consent, {"given": "yes", **date_fields("on", day), "time": "12:00"})
    mediation.refresh_from_db()
    assert mediation.status == Status.CONSENTED
    session = reverse("mediation_session", args=[mediation.pk])
    response = client.post(session, {"kind": "joint", **date_fields("on", day + D), "time": "15:00",
                                     "duration_minutes": "60", "present": "барлығы"})  # fmt: skip
    assert response.status_code == 302
    withdraw = reverse("mediation_withdraw", args=[mediation.pk])
    response = client.post(
        withdraw, {"side": "victim", **date_fields("on", day + D), "time": "16:00"}
    )
    assert response.status_code == 302
    mediation.refresh_from_db()
    assert mediation.status == Status.WITHDRAWN


def test_payment_form_and_the_home_panel(client, file, agreed):
    login(client, file.team.psychologist)
    home = client.get(reverse("home")).content.decode()
    assert "Overdue instalments of compensation" in home
    url = reverse("mediation_payment", args=[agreed.pk])
    response = client.post(url, {**date_fields("paid_on", timezone.localdate()), "amount": "200000",
                                 "method": "cash"})  # fmt: skip
    assert "more than what is outstanding" in response.content.decode()
    response = client.post(url, {**date_fields("paid_on", timezone.localdate()), "amount": "40000",
                                 "method": "cash"})  # fmt: skip
    assert response.status_code == 302


def test_the_investigator_gets_the_termination_link(client, file, victim):
    from tests.mediation.conftest import consent_both, hold_joint, refer, sign

    file.record("detention")
    mediation = refer(file, victim)
    consent_both(file, mediation)
    hold_joint(file, mediation)
    sign(file, mediation)
    login(client, file.team.investigator)
    page = client.get(reverse("case_detail", args=[file.case.pk]) + f"?minor={file.accused.pk}")
    link = reverse("event_form", args=[file.case.pk, file.accused.pk, "termination"])
    assert f"{link}?ground=reconciliation" in page.content.decode()
    form = client.get(f"{link}?ground=reconciliation").content.decode()
    assert re.search(r'value="reconciliation"[^>]*checked', form)


def test_recording_pages_are_refused_to_others(client, file, mediation, investigator):
    login(client, investigator)
    for name in ("mediation_session", "mediation_fail", "mediation_agreement"):
        assert client.get(reverse(name, args=[mediation.pk])).status_code == 403
