"""Every refused attempt of a signed-in user leaves an `access.refused` row, on web and API."""

import pytest
from django.urls import reverse

from qorgau.audit.models import AuditEvent
from qorgau.audit.refusals import reason_of, subject_of
from qorgau.audit.sealer import seal_all
from qorgau.audit.verify import verify_chain
from qorgau.people.models import Juvenile
from tests.api.conftest import juvenile_payload, send
from tests.api.test_cases import open_case


def refusals() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action="access.refused").order_by("id"))


def only_refusal() -> AuditEvent:
    rows = refusals()
    assert len(rows) == 1, rows
    return rows[0]


# Web


def test_opening_another_regions_child_on_the_web_is_audited(client, outsider, juvenile):
    client.force_login(outsider)
    response = client.get(reverse("juvenile_detail", args=[juvenile.pk]))
    assert response.status_code == 404
    row = only_refusal()
    assert row.actor == outsider
    assert (row.subject_type, row.subject_id) == ("people.juvenile", str(juvenile.pk))
    assert row.channel == "web"
    assert row.details["status"] == 404
    assert row.details["reason"].startswith("not found, or outside what the user's role")
    assert "Juvenile.DoesNotExist" in row.details["reason"]
    assert row.details["view"] == "juvenile_detail"
    assert row.details["path"] == f"/juveniles/{juvenile.pk}/"
    assert row.details["method"] == "GET"
    assert not AuditEvent.objects.filter(action="juvenile.view").exists()


def test_a_page_the_role_may_not_open_is_audited_as_403(client, investigator):
    client.force_login(investigator)
    assert client.get(reverse("audit_list")).status_code == 403
    row = only_refusal()
    assert (row.actor, row.details["status"], row.details["view"]) == (
        investigator,
        403,
        "audit_list",
    )
    assert (row.subject_type, row.subject_id) == ("", "")


def test_a_refused_change_by_post_is_audited_and_changes_nothing(client, outsider, juvenile):
    client.force_login(outsider)
    response = client.post(reverse("juvenile_edit", args=[juvenile.pk]), {"school": "x"})
    assert response.status_code in {403, 404}
    row = only_refusal()
    assert row.details["method"] == "POST"
    assert row.subject_id == str(juvenile.pk)
    juvenile.refresh_from_db()
    assert juvenile.school != "x"


def test_the_allowed_reading_is_not_a_refusal(client, investigator, juvenile):
    client.force_login(investigator)
    assert client.get(reverse("juvenile_detail", args=[juvenile.pk])).status_code == 200
    assert refusals() == []


def test_no_row_without_a_signed_in_user_or_for_an_address_that_is_no_page(
    client, investigator, juvenile
):
    assert client.get(reverse("juvenile_detail", args=[juvenile.pk])).status_code == 302
    client.force_login(investigator)
    assert client.get("/no-such-page/").status_code == 404
    assert refusals() == []


# API


def test_opening_another_regions_child_by_api_is_audited(client, outsider, juvenile):
    client.force_login(outsider)
    assert client.get(f"/api/juveniles/{juvenile.pk}").status_code == 404
    row = only_refusal()
    assert (row.actor, row.channel) == (outsider, "api")
    assert (row.subject_type, row.subject_id) == ("people.juvenile", str(juvenile.pk))
    assert "Juvenile.DoesNotExist" in row.details["reason"]
    assert row.details["arguments"] == {"juvenile_id": str(juvenile.pk)}
    assert row.details["view"] == "read_juvenile"


def test_a_role_refused_by_api_is_audited_with_the_reason_in_english(client, judge):
    client.force_login(judge)
    response = send(client, "post", "/api/juveniles", juvenile_payload())
    assert response.status_code == 403
    row = only_refusal()
    assert row.details["reason"] == "Your role does not allow this action."
    assert row.details["status"] == 403


def test_a_case_outside_the_scope_is_audited_under_the_case(
    client, investigator, prosecutor, outsider, juvenile
):
    case = open_case(investigator, juvenile, prosecutor=prosecutor)
    client.force_login(outsider)
    assert client.get(f"/api/cases/{case.pk}").status_code == 404
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 404
    api_row, web_row = refusals()
    for row in (api_row, web_row):
        assert (row.subject_type, row.subject_id) == ("proceedings.proceeding", str(case.pk))
    assert (api_row.channel, web_row.channel) == ("api", "web")


def test_refusals_are_links_of_the_chain(client, outsider, juvenile):
    client.force_login(outsider)
    client.get(f"/api/juveniles/{juvenile.pk}")
    client.get(reverse("juvenile_detail", args=[juvenile.pk]))
    assert len(refusals()) == 2
    seal_all()
    result = verify_chain()
    assert result.broken is None
    assert result.rows == AuditEvent.objects.count()
    assert {row.chain_seq for row in refusals()} <= set(range(1, result.rows + 1))


# Naming the record from the URL


@pytest.mark.parametrize(
    ("route", "kwargs", "expected"),
    [
        ("juveniles/<int:pk>/", {"pk": 5}, ("people.juvenile", "5")),
        ("plans/tasks/<int:pk>/done/", {"pk": 7}, ("support.plantask", "7")),
        ("plans/<int:pk>/", {"pk": 7}, ("support.supportplan", "7")),
        (
            "cases/<int:pk>/minors/<int:accused_pk>/portrait/",
            {"pk": 3, "accused_pk": 4},
            ("proceedings.proceeding", "3"),
        ),
        (
            "api/cases/<case_id>/minors/<accused_id>/events",
            {"case_id": "3", "accused_id": "4"},
            ("proceedings.proceeding", "3"),
        ),
        ("api/portraits/<portrait_id>/notes", {"portrait_id": "9"}, ("support.portrait", "9")),
        ("juveniles/<int:juvenile_pk>/assessments/", {"juvenile_pk": 2}, ("people.juvenile", "2")),
        ("help/", {}, ("", "")),
        ("somewhere/<int:pk>/", {"pk": 1}, ("", "")),
    ],
)
def test_the_record_is_named_from_the_url(route, kwargs, expected):
    assert subject_of(route, kwargs) == expected


def test_the_reason_of_a_missing_record_names_its_model():
    assert "(Juvenile.DoesNotExist)" in reason_of(Juvenile.DoesNotExist(), 404)
    assert reason_of(None, 403) == "refused"
