"""The courts API: list, read, register, schedule, adjourn, summon, presence, report, judgment."""

import datetime
import json

import pytest
from django.utils import timezone

from qorgau.courts.models import CourtCase, Hearing, HearingStatus
from qorgau.proceedings.models import EventKind
from tests.courts.conftest import D, hearing_day, summon_all
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def api(client, user, method, path, payload=None):
    user.language = "en"
    user.save(update_fields=["language"])
    client.login(username=user.username, password=PASSWORD)
    call = getattr(client, method)
    if method == "get":
        return call(path)
    return call(path, data=json.dumps(payload or {}, default=str), content_type="application/json")


def errors(response):
    found = {}
    for item in response.json()["detail"]:
        found.setdefault(item["field"], []).append(item["message"])
    return found


def test_the_whole_path_from_hearing_to_judgment(
    client, file, in_court, courtroom, court_social_worker
):
    judge = file.team.judge
    start = hearing_day(file)
    response = api(
        client, judge, "post", f"/api/court-cases/{in_court.pk}/hearings",
        {"courtroom": courtroom.pk, "starts_at": start.isoformat(), "minutes": 90},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    hearing_id = response.json()["hearings"][0]["id"]
    response = api(
        client, judge, "post", f"/api/hearings/{hearing_id}/summonses",
        {"summoned_as": "defender", "participant": file.defender.pk, "method": "phone",
         "sent_on": str(timezone.localdate(start) - D)},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    summons = response.json()["hearings"][0]["summonses"][0]["id"]
    response = api(
        client, judge, "post", f"/api/hearings/{hearing_id}/presence",
        {"present": {str(summons): True}},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    breached = [b["rule"] for b in response.json()["hearings"][0]["safeguards_breached"]]
    assert breached == ["representative_at_interrogation"]
    response = api(
        client, court_social_worker, "post", f"/api/court-cases/{in_court.pk}/report",
        {"family_situation": "Анасымен тұрады.", "alternatives": "Пробациялық бақылау."},
    )  # fmt: skip
    assert response.status_code == 201, response.content
    response = api(
        client, judge, "post", f"/api/court-cases/{in_court.pk}/judgment",
        {"decided_at": (start + datetime.timedelta(hours=2)).isoformat(), "verdict": "conviction",
         "punishment": "community_works", "term_months": 4, "report_followed": True},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    event = file.accused.events.get(kind=EventKind.JUDGMENT)
    assert body["judgment"]["event"] == event.pk and body["report_followed"] is True
    read = api(client, file.team.prosecutor, "get", f"/api/court-cases/{in_court.pk}")
    assert read.status_code == 200 and read.json()["judgment"]["verdict"] == "conviction"


def test_overlapping_hearing_answers_422_naming_the_other(
    client, file, in_court, hearing, courtroom_two
):
    response = api(
        client, file.team.judge, "post", f"/api/court-cases/{in_court.pk}/hearings",
        {"courtroom": courtroom_two.pk, "starts_at": hearing.starts_at.isoformat(), "minutes": 30},
    )  # fmt: skip
    assert response.status_code == 422
    assert in_court.number in errors(response)["starts_at"][0]
    assert Hearing.objects.count() == 1


def test_judgment_without_hearing_answers_422(client, file, in_court):
    response = api(
        client, file.team.judge, "post", f"/api/court-cases/{in_court.pk}/judgment",
        {"decided_at": timezone.now().isoformat(), "verdict": "acquittal"},
    )  # fmt: skip
    assert response.status_code == 422
    assert not file.accused.events.filter(kind=EventKind.JUDGMENT).exists()


def test_adjournment_with_reason(client, file, hearing):
    response = api(
        client, file.team.judge, "post", f"/api/hearings/{hearing.pk}/adjournment",
        {"reason": "Қорғаушы келмеді"},
    )  # fmt: skip
    assert response.status_code == 200, response.content
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.ADJOURNED


def test_register_a_civil_case_and_the_child_is_required(client, judge, juvenile):
    payload = {
        "kind": "civil", "juvenile": None, "received_at": timezone.now().isoformat(),
        "matter": "deprivation",
        "parties": [{"role": "claimant", "full_name": "Қорғаншылық органы"}],
    }  # fmt: skip
    response = api(client, judge, "post", "/api/court-cases", payload)
    assert response.status_code == 422
    assert "juvenile" in errors(response)
    assert not CourtCase.objects.exists()
    payload["juvenile"] = juvenile.pk
    response = api(client, judge, "post", "/api/court-cases", payload)
    assert response.status_code == 201, response.content
    assert response.json()["parties"][0]["role"] == "claimant"


def test_civil_case_is_404_to_the_prosecutor_who_is_no_party(client, civil, prosecutor):
    assert api(client, prosecutor, "get", f"/api/court-cases/{civil.pk}").status_code == 404
    listed = api(client, prosecutor, "get", "/api/court-cases").json()
    assert listed["results"] == []


def test_the_list_and_the_calendar(client, file, in_court, hearing, judge):
    listed = api(client, judge, "get", "/api/court-cases?undecided=true").json()
    assert [row["id"] for row in listed["results"]] == [in_court.pk]
    week = timezone.localdate(hearing.starts_at)
    calendar = api(client, judge, "get", f"/api/courts/{judge.agency_id}/hearings?week={week}")
    assert [h["id"] for h in calendar.json()] == [hearing.pk]


def test_the_calendar_of_another_court_is_404(client, judge, other_judge):
    response = api(client, other_judge, "get", f"/api/courts/{judge.agency_id}/hearings")
    assert response.status_code == 404


def test_the_rules(client, judge):
    body = api(client, judge, "get", "/api/court-rules").json()
    codes = [r["code"] for r in body["sections"]["articles"]]
    assert "434" in codes
    assert all(r["confirmed"] is False for r in body["sections"]["articles"])


def test_summons_to_an_adjourned_hearing_is_refused(client, file, hearing):
    from qorgau.courts import services

    services.adjourn_hearing(actor=file.team.judge, hearing=hearing, reason="x")
    response = api(
        client, file.team.judge, "post", f"/api/hearings/{hearing.pk}/summonses",
        {"summoned_as": "minor", "method": "post", "sent_on": str(timezone.localdate())},
    )  # fmt: skip
    assert response.status_code == 422


def test_presence_is_refused_to_the_defender(client, file, hearing):
    summon_all(file, hearing)
    response = api(
        client, file.team.defender, "post", f"/api/hearings/{hearing.pk}/presence",
        {"present": {}},
    )  # fmt: skip
    assert response.status_code == 403
