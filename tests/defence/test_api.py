"""The defence endpoints: thin over the services, errors naming the field, scope as the pages."""

import datetime

import pytest
from django.utils import timezone

from qorgau.core.versioning import StaleVersion
from qorgau.defence.models import Duty, DutyShift, OnDutyAssignment
from qorgau.proceedings.models import EventKind
from tests.defence.conftest import shift

H = datetime.timedelta(hours=1)


@pytest.fixture
def now_shifts(lawyer, bar_psychologist):
    start = timezone.now().replace(microsecond=0) - 2 * H
    return (
        shift(lawyer, lawyer, Duty.DEFENDER, start),
        shift(lawyer, bar_psychologist, Duty.PSYCHOLOGIST, start),
    )


@pytest.fixture
def detained_now(bare):
    bare.record(EventKind.DETENTION, at=timezone.now().replace(microsecond=0) - H)
    return bare


def test_consultations_with_members(client, investigator, lawyer, bar_psychologist, intern):
    client.force_login(investigator)
    body = client.get("/api/consultations").json()
    mine = next(c for c in body if c["id"] == lawyer.agency_id)
    assert [m["id"] for m in mine["lawyers"]] == [lawyer.pk]
    assert [m["id"] for m in mine["interns"]] == [intern.pk]


def test_roster_read_add_and_cancel(client, lawyer, now_shifts):
    client.force_login(lawyer)
    body = client.get("/api/duty-shifts", {"region": "750000000"}).json()
    assert {s["id"] for s in body["shifts"]} == {s.pk for s in now_shifts}
    start = timezone.now().replace(microsecond=0) + 20 * H
    payload = {
        "consultation": lawyer.agency_id,
        "member": lawyer.pk,
        "duty": "defender",
        "starts_at": start.isoformat(),
        "ends_at": (start - H).isoformat(),
    }
    response = client.post("/api/duty-shifts", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "ends_at"
    payload["ends_at"] = (start + 12 * H).isoformat()
    payload["member"] = 99999
    response = client.post("/api/duty-shifts", payload, content_type="application/json")
    assert response.json()["detail"][0]["field"] == "member"
    payload["member"] = lawyer.pk
    response = client.post("/api/duty-shifts", payload, content_type="application/json")
    assert response.status_code == 201
    shift_id = response.json()["id"]
    response = client.post(
        f"/api/duty-shifts/{shift_id}/cancel", {"reason": "Іссапар"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200 and response.json()["cancelled_at"]
    assert DutyShift.objects.get(pk=shift_id).is_cancelled


def test_a_shift_at_the_edge_of_the_calendar_is_422_not_500(client, lawyer):
    client.force_login(lawyer)
    payload = {
        "consultation": lawyer.agency_id, "member": lawyer.pk, "duty": "defender",
        "starts_at": "0001-01-01T00:00:00+06:00", "ends_at": "0001-01-01T00:00:00+06:00",
    }  # fmt: skip
    response = client.post("/api/duty-shifts", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "starts_at"


def test_an_investigator_may_not_add_shifts(client, investigator, lawyer):
    client.force_login(investigator)
    start = timezone.now() + H
    payload = {
        "consultation": lawyer.agency_id, "member": lawyer.pk, "duty": "defender",
        "starts_at": start.isoformat(), "ends_at": (start + H).isoformat(),
    }  # fmt: skip
    response = client.post("/api/duty-shifts", payload, content_type="application/json")
    assert response.status_code == 403


def test_on_duty_proposal_and_assignment(client, detained_now, now_shifts, lawyer, analyst):
    file = detained_now
    base = f"/api/cases/{file.case.pk}/minors/{file.accused.pk}"
    client.force_login(file.team.investigator)
    body = client.get(f"{base}/on-duty").json()
    assert [s["member"]["id"] for s in body["defenders"]] == [lawyer.pk]
    assert body["has_defender"] is False and body["detained_at"]
    payload = {"defender": lawyer.pk, "psychologist": now_shifts[1].member_id, "state_paid": True}
    response = client.post(f"{base}/on-duty-assignment", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["minutes_to_assignment"] > 59
    assert OnDutyAssignment.objects.count() == 1
    again = client.post(f"{base}/on-duty-assignment", payload, content_type="application/json")
    assert again.status_code == 422 and again.json()["detail"][0]["field"] == "defender"
    client.force_login(analyst)
    body = client.get("/api/response-times").json()
    assert body["total"]["count"] == 1 and body["targets"] == [1, 3]
    assert body["total"]["state_paid_share"] == 1
    assert body["assignments"] == []  # figures only: no row per case for an analyst
    client.force_login(file.team.investigator)
    body = client.get("/api/response-times").json()
    assert [row["case"] for row in body["assignments"]] == [file.case.pk]


def test_outside_the_case_is_404(client, detained_now, now_shifts, outsider, lawyer):
    client.force_login(outsider)
    base = f"/api/cases/{detained_now.case.pk}/minors/{detained_now.accused.pk}"
    assert client.get(f"{base}/on-duty").status_code == 404
    response = client.post(
        f"{base}/on-duty-assignment", {"defender": lawyer.pk, "state_paid": False},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 404


def test_the_defender_may_not_assign(client, detained_now, now_shifts, lawyer):
    client.force_login(lawyer)
    base = f"/api/cases/{detained_now.case.pk}/minors/{detained_now.accused.pk}"
    response = client.post(
        f"{base}/on-duty-assignment", {"defender": lawyer.pk, "state_paid": False},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code in (403, 404)


def test_a_shift_answers_with_its_version_and_a_stale_copy_cannot_be_saved(client, lawyer):
    start = timezone.now().replace(microsecond=0) + 30 * H
    added = shift(lawyer, lawyer, Duty.DEFENDER, start)
    stale = DutyShift.objects.get(pk=added.pk)
    client.force_login(lawyer)
    response = client.post(
        f"/api/duty-shifts/{added.pk}/cancel", {"reason": "Іссапар"},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] == 'W/"2"'
    # A copy read before the cancellation cannot write its older values back.
    stale.cancel_reason = ""
    with pytest.raises(StaleVersion):
        stale.save()
    assert DutyShift.objects.get(pk=added.pk).cancel_reason == "Іссапар"
