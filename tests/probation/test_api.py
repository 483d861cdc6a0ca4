"""The probation API: caseload, read, register, plan, check-in, breach, hours, end, releases."""

import json

import pytest
from django.utils import timezone

from tests.factories import PASSWORD
from tests.probation.conftest import D

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


def test_the_inspector_works_a_supervision_through_the_api(
    client, received, inspector, offence_day
):
    base = f"/api/supervisions/{received.pk}"
    caseload = api(client, inspector, "get", "/api/probation/caseload")
    assert [s["id"] for s in caseload.json()] == [received.pk]
    answer = api(client, inspector, "post", f"{base}/registration",
                 {"registered_on": offence_day + D})  # fmt: skip
    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "active"
    answer = api(client, inspector, "post", f"{base}/plan", {
        "report_every_days": 7, "first_check_in_on": offence_day + 2 * D, "work_hours": 40,
    })  # fmt: skip
    assert answer.json()["next_check_in_on"] == str(offence_day + 2 * D)
    answer = api(client, inspector, "post", f"{base}/check-ins",
                 {"due_on": offence_day + 2 * D, "attendance": "attended"})  # fmt: skip
    assert answer.status_code == 201
    assert answer.json()["check_ins"][0]["attendance"] == "attended"
    answer = api(client, inspector, "post", f"{base}/hours",
                 {"worked_on": offence_day + 3 * D, "hours": 41})  # fmt: skip
    assert answer.status_code == 422
    assert "hours" in errors(answer)
    answer = api(client, inspector, "post", f"{base}/breaches", {
        "occurred_on": offence_day + 3 * D, "description": "Кешікті.", "response": "warning",
    })  # fmt: skip
    assert answer.status_code == 201
    answer = api(client, inspector, "post", f"{base}/end",
                 {"ended_on": offence_day - D, "reason": "served"})  # fmt: skip
    assert answer.status_code == 422
    assert "ended_on" in errors(answer)
    answer = api(client, inspector, "post", f"{base}/end",
                 {"ended_on": offence_day + 4 * D, "reason": "served"})  # fmt: skip
    assert answer.json()["status"] == "ended"
    answer = api(client, inspector, "post", f"{base}/check-ins",
                 {"due_on": offence_day + 5 * D, "attendance": "attended"})  # fmt: skip
    assert answer.status_code == 422


def test_another_service_gets_404_and_the_judge_reads(client, received, other_inspector, file):
    path = f"/api/supervisions/{received.pk}"
    assert api(client, other_inspector, "get", path).status_code == 404
    client.logout()
    assert api(client, file.team.judge, "get", path).status_code == 200
    assert api(client, file.team.judge, "get", "/api/probation/caseload").status_code == 403


def test_a_release_through_the_api(client, inspector, juvenile):
    payload = {
        "juvenile": juvenile.pk, "institution": "Мекеме", "institution_kind": "special_regime",
        "released_on": timezone.localdate() - 100 * D, "basis": "age_of_majority",
        "areas": {"study": "Колледж.", "health": "Дәрігер."},
    }  # fmt: skip
    answer = api(client, inspector, "post", "/api/releases", payload)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert [f["months"] for f in body["follow_ups"]] == [3, 6, 12]
    assert sorted(n["kind"] for n in body["needs"]) == ["medical", "study"]
    due = api(client, inspector, "get", "/api/probation/follow-ups").json()
    assert [f["months"] for f in due] == [3]
    done = api(client, inspector, "post", f"/api/follow-ups/{due[0]['id']}",
               {"done_on": timezone.localdate(), "outcome": "difficulties"})  # fmt: skip
    assert done.json()["outcome"] == "difficulties"
    assert api(client, inspector, "get", f"/api/releases/{body['id']}").status_code == 200


def test_the_rules_are_published(client, inspector):
    body = api(client, inspector, "get", "/api/probation-rules").json()
    assert body["sections"]["reporting"][0]["days"] == 10
