"""The mediation API: refer, consent, withdraw, meetings, agreement, payments, reads."""

import json

import pytest
from django.utils import timezone

from qorgau.core.versioning import StaleVersion
from qorgau.mediation.models import Agreement, Mediation, Status
from tests.factories import PASSWORD
from tests.mediation.conftest import D, signed_day

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


def test_refer_and_read(client, file, victim, outsider):
    payload = {
        "accused": file.accused.pk, "victim": victim.pk, "source": "investigator",
        "mediator": file.team.psychologist.pk,
        "referred_at": (file.offence + 2 * D).isoformat(), "condition_confirmed": True,
    }  # fmt: skip
    response = api(client, file.team.investigator, "post", "/api/mediations", payload)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "referred"
    assert body["legal_basis"].startswith("Law of RK")
    listed = api(client, file.team.investigator, "get", f"/api/cases/{file.case.pk}/mediations")
    assert [m["id"] for m in listed.json()] == [body["id"]]
    client.logout()
    assert api(client, outsider, "get", f"/api/mediations/{body['id']}").status_code == 404


def test_refer_with_unknown_ids_names_the_field(client, file, victim):
    payload = {
        "accused": file.accused.pk, "victim": 999999, "source": "investigator",
        "mediator": file.team.psychologist.pk, "referred_at": (file.offence + 2 * D).isoformat(),
    }  # fmt: skip
    response = api(client, file.team.investigator, "post", "/api/mediations", payload)
    assert response.status_code == 422
    assert "victim" in errors(response)


def test_the_whole_course_through_the_api(client, file, mediation):
    mediator = file.team.psychologist
    base = f"/api/mediations/{mediation.pk}"
    at = (file.offence + 3 * D).isoformat()
    response = api(client, mediator, "post", f"{base}/consent",
                   {"side": "accused", "given": True, "at": at,
                    "representative": file.representative.pk})  # fmt: skip
    assert response.status_code == 200, response.content
    api(client, mediator, "post", f"{base}/consent", {"side": "victim", "given": True, "at": at})
    response = api(client, mediator, "post", f"{base}/sessions",
                   {"kind": "joint", "held_at": (file.offence + 5 * D).isoformat(),
                    "duration_minutes": 60, "present": "барлығы", "notes": "құпия"})  # fmt: skip
    assert response.status_code == 201
    assert response.json()["sessions"][0]["notes"] == "құпия"
    day = signed_day(file)
    agreement = {
        "signed_on": day.isoformat(), "apology": "in_writing", "compensation": "50000",
        "instalments": [{"due_on": (day + D).isoformat(), "amount": "20000"},
                        {"due_on": (day + 30 * D).isoformat(), "amount": "20000"}],
        "deadline": (day + 60 * D).isoformat(),
    }  # fmt: skip
    response = api(client, mediator, "post", f"{base}/agreement", agreement)
    assert response.status_code == 422
    assert errors(response)["instalments"] == [
        "The instalments add up to 40\xa0000 tenge: 10\xa0000 tenge less than the compensation "
        "of 50\xa0000 tenge. Change the instalments or the amount."
    ]
    assert not Agreement.objects.exists()
    agreement["instalments"][1]["amount"] = "30000"
    response = api(client, mediator, "post", f"{base}/agreement", agreement)
    assert response.status_code == 201
    assert [r["state"] for r in response.json()["agreement"]["schedule"]] == ["overdue", "due"]
    response = api(client, mediator, "post", f"{base}/payments",
                   {"paid_on": timezone.localdate().isoformat(), "amount": "50000",
                    "method": "bank"})  # fmt: skip
    assert response.status_code == 201
    assert response.json()["status"] == "fulfilled"
    client.logout()
    read = api(client, file.team.investigator, "get", base).json()
    assert read["sessions"][0]["notes"] is None


def test_withdrawal_and_refusals(client, file, consented, investigator):
    base = f"/api/mediations/{consented.pk}"
    at = (file.offence + 4 * D).isoformat()
    meeting = {"kind": "joint", "held_at": at, "duration_minutes": 60, "present": "x"}
    response = api(client, investigator, "post", f"{base}/sessions", meeting)
    assert response.status_code == 403
    response = api(client, investigator, "post", f"{base}/withdrawal", {"side": "victim", "at": at})
    assert response.status_code == 200, response.content
    assert Mediation.objects.get().status == Status.WITHDRAWN


def test_the_rules_are_readable(client, file):
    body = api(client, file.team.investigator, "get", "/api/mediation-rules").json()
    assert {r["code"] for r in body["sections"]["gravities"]} >= {"grave", "especially_grave"}


def test_a_mediation_answers_with_its_version_and_each_step_moves_it(client, file, consented):
    mediator = file.team.psychologist
    base = f"/api/mediations/{consented.pk}"
    read = api(client, mediator, "get", base)
    seen = read.json()["version"]
    assert read["ETag"] == f'W/"{seen}"'
    stale = Mediation.objects.get(pk=consented.pk)
    response = api(client, mediator, "post", f"{base}/sessions",
                   {"kind": "joint", "held_at": (file.offence + 5 * D).isoformat(),
                    "duration_minutes": 60, "present": "барлығы"})  # fmt: skip
    assert response.status_code == 201
    assert response.json()["version"] == seen + 1
    assert response["ETag"] == f'W/"{seen + 1}"'
    stale.ended_reason = "ескі көшірме"
    with pytest.raises(StaleVersion):
        stale.save()
    assert Mediation.objects.get(pk=consented.pk).ended_reason == ""


def test_the_agreement_carries_its_own_version(client, file, agreed):
    mediator = file.team.psychologist
    body = api(client, mediator, "get", f"/api/mediations/{agreed.pk}").json()
    assert body["agreement"]["version"] == 1
    stale = Agreement.objects.get(mediation=agreed)
    fresh = Agreement.objects.get(mediation=agreed)
    fresh.undertakings = "жаңа"
    fresh.save()
    stale.undertakings = "ескі"
    with pytest.raises(StaleVersion):
        stale.save()
    assert Agreement.objects.get(mediation=agreed).undertakings == "жаңа"
