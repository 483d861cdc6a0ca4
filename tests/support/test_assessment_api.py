"""The assessment endpoints: instrument, list, start, save, complete, read, reassess."""

import pytest

from qorgau.support.models import Assessment
from tests.api.conftest import api, errors, send
from tests.support.helpers import highest, lowest

__all__ = ["api"]


@pytest.fixture
def juvenile_id(file):
    return file.accused.juvenile.pk


def test_the_instrument_current_and_by_version(api, file):
    client = api(file.team.investigator)
    body = client.get("/api/instruments/risk-needs").json()
    assert body["version"] == 1
    assert body["cutoffs"]["society"] == {"low": 0, "moderate": 20, "high": 45, "very_high": 75}
    assert body["domains"][0]["items"][0]["text"]["ru"]
    assert client.get("/api/instruments/risk-needs/versions/1").json()["version"] == 1
    assert client.get("/api/instruments/risk-needs/versions/9").status_code == 404
    assert client.get("/api/instruments/other").status_code == 404


def test_start_save_complete_read(api, file, juvenile_id):
    client = api(file.team.psychologist)
    response = send(client, "post", f"/api/juveniles/{juvenile_id}/assessments",
                    {"accused": file.accused.pk, "answers": {"alcohol": "partly"}})  # fmt: skip
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["instrument_version"] == 1
    assert "violence" in body["unanswered"] and body["scales"] == []
    pk = body["id"]
    refused = client.post(f"/api/assessments/{pk}/complete")
    assert refused.status_code == 422
    assert "answers.violence" in errors(refused)
    assert Assessment.objects.get().status == "draft"
    saved = send(
        client,
        "patch",
        f"/api/assessments/{pk}",
        {"answers": highest(), "notes": "x"},
        if_match=f'W/"{body["version"]}"',
    )
    assert saved.status_code == 200 and saved.json()["unanswered"] == []
    done = client.post(f"/api/assessments/{pk}/complete").json()
    assert done["status"] == "completed"
    society = done["scales"][0]
    assert (society["scale"], society["level"], society["total"]) == ("society", "very_high", 104)
    assert society["domains"][0]["answers"]
    listed = client.get(f"/api/juveniles/{juvenile_id}/assessments").json()
    assert [a["id"] for a in listed] == [pk]
    again = client.post(f"/api/assessments/{pk}/reassess")
    assert again.status_code == 201 and again.json()["supersedes"] == pk


def test_bad_input_names_the_field(api, file, juvenile_id):
    client = api(file.team.psychologist)
    response = send(client, "post", f"/api/juveniles/{juvenile_id}/assessments",
                    {"accused": 999999})  # fmt: skip
    assert response.status_code == 422 and "accused" in errors(response)
    response = send(client, "post", f"/api/juveniles/{juvenile_id}/assessments",
                    {"answers": {"alcohol": "always"}})  # fmt: skip
    assert response.status_code == 422 and "answers.alcohol" in errors(response)
    response = send(client, "post", f"/api/juveniles/{juvenile_id}/assessments", {"x": 1})
    assert response.status_code == 422
    assert not Assessment.objects.exists()


def test_roles_and_scope(api, file, juvenile_id, outsider):
    client = api(file.team.investigator)
    response = send(client, "post", f"/api/juveniles/{juvenile_id}/assessments", {})
    assert response.status_code == 403
    made = send(api(file.team.psychologist), "post", f"/api/juveniles/{juvenile_id}/assessments",
                {"answers": lowest()}).json()  # fmt: skip
    client = api(file.team.investigator)
    assert client.get(f"/api/assessments/{made['id']}").status_code == 404  # a draft
    client = api(outsider)
    assert client.get(f"/api/juveniles/{juvenile_id}/assessments").status_code in (403, 404)
