"""GET /api/audit: the audit trail, for prosecutors and administrators, itself audited."""

import pytest

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.audit.events import label_for
from qorgau.audit.models import AuditEvent
from qorgau.people import services as people_services
from tests.api.conftest import assert_audited, errors, translated


def view(actor, juvenile, times: int) -> None:
    for _ in range(times):
        people_services.view_juvenile(actor=actor, juvenile_id=juvenile.pk)


def test_a_prosecutor_reads_the_trail_newest_first(api, prosecutor, investigator, juvenile):
    client = api(prosecutor)
    view(investigator, juvenile, 2)
    response = client.get("/api/audit")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == AuditEvent.objects.count()
    rows = body["results"]
    assert [row["at"] for row in rows] == sorted((row["at"] for row in rows), reverse=True)
    # The reading is recorded before the page is read, so it tops its own page.
    assert rows[0]["action"] == "audit.view"
    assert rows[0]["actor"] == prosecutor.pk
    viewed = rows[1]
    assert viewed["action"] == "juvenile.view"
    assert viewed["action_label"] == translated("kk", label_for("juvenile.view"))
    assert viewed["actor"] == investigator.pk
    assert viewed["subject_type"] == "people.juvenile"
    assert viewed["subject_id"] == str(juvenile.pk)
    assert viewed["channel"] == "system"


def test_reading_the_trail_is_audited_with_its_filters(api, prosecutor, juvenile):
    api(prosecutor).get(
        "/api/audit", {"action": "juvenile.create", "subject_id": str(juvenile.pk), "page": 1}
    )
    event = assert_audited("audit.view", prosecutor)
    assert event.details == {
        "filters": {"action": "juvenile.create", "subject_id": str(juvenile.pk)}
    }


def test_it_filters_by_actor_action_and_subject(
    api, administrator, investigator, prosecutor, juvenile
):
    view(investigator, juvenile, 2)
    view(prosecutor, juvenile, 1)
    client = api(administrator)
    by_action = client.get(
        "/api/audit",
        {"action": "juvenile.view", "subject_type": "people.juvenile", "subject_id": juvenile.pk},
    ).json()
    assert by_action["count"] == 3
    by_actor = client.get("/api/audit", {"action": "juvenile.view", "actor": investigator.pk})
    assert {row["actor"] for row in by_actor.json()["results"]} == {investigator.pk}
    assert by_actor.json()["count"] == 2


def test_a_change_shows_its_old_and_new_values(api, prosecutor, investigator, juvenile):
    people_services.update_juvenile(actor=investigator, juvenile=juvenile, school="№ 7 мектеп")
    rows = api(prosecutor).get("/api/audit", {"action": "juvenile.update"}).json()["results"]
    assert rows[0]["fields"] == ["school"]
    assert rows[0]["changes"] == {"school": ["", "№ 7 мектеп"]}


@pytest.mark.parametrize("persona", ["investigator", "judge", "outsider", "analyst"])
def test_other_roles_are_refused_and_nothing_is_recorded(api, request, persona):
    response = api(request.getfixturevalue(persona)).get("/api/audit")
    assert response.status_code == 403
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_ALLOWED)]}
    assert not AuditEvent.objects.filter(action="audit.view").exists()


def test_a_non_numeric_actor_is_refused_naming_it(api, prosecutor):
    response = api(prosecutor).get("/api/audit", {"actor": "someone"})
    assert response.status_code == 422
    assert list(errors(response)) == ["actor"]


def test_the_trail_takes_the_same_queries_for_3_and_30_rows(
    api, prosecutor, investigator, juvenile, django_assert_max_num_queries
):
    filters = {"action": "juvenile.view", "subject_id": juvenile.pk}
    view(investigator, juvenile, 3)
    client = api(prosecutor)
    with django_assert_max_num_queries(14) as few:
        assert client.get("/api/audit", filters).json()["count"] == 3
    view(investigator, juvenile, 27)
    with django_assert_max_num_queries(14) as many:
        assert len(client.get("/api/audit", filters).json()["results"]) == 25
    assert len(many) == len(few)
