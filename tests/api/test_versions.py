"""No lost update on the API: ETag on reading, If-Match on every change, 428 and 412 refusals."""

import pytest

from qorgau.accounts import services as account_services
from qorgau.api.versions import MESSAGE_IF_MATCH_INVALID, MESSAGE_IF_MATCH_MISSING
from qorgau.core.versioning import MESSAGE_STALE
from qorgau.people import services as people_services
from tests import factories
from tests.api.conftest import counts, errors, send, translated


@pytest.fixture
def colleague(auezov_investigation):
    return factories.staff("investigator", auezov_investigation, username="colleague")


def test_a_reading_answers_with_the_version_as_etag_and_in_the_body(api, investigator, juvenile):
    response = api(investigator).get(f"/api/juveniles/{juvenile.pk}")
    assert response.status_code == 200
    assert response["ETag"] == 'W/"1"'
    assert response.json()["version"] == 1


def test_a_change_with_the_current_version_is_saved_and_moves_the_version(
    api, investigator, juvenile
):
    client = api(investigator)
    etag = client.get(f"/api/juveniles/{juvenile.pk}")["ETag"]

    response = send(
        client, "patch", f"/api/juveniles/{juvenile.pk}", {"school": "№ 3"}, if_match=etag
    )

    assert response.status_code == 200
    assert response["ETag"] == 'W/"2"'
    assert response.json()["version"] == 2
    juvenile.refresh_from_db()
    assert (juvenile.school, juvenile.version) == ("№ 3", 2)


@pytest.mark.parametrize("if_match", ['"1"', "1", ' W/"1" '])
def test_the_tag_may_be_strong_or_bare(api, investigator, juvenile, if_match):
    response = send(
        api(investigator),
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"school": "№ 3"},
        if_match=if_match,
    )
    assert response.status_code == 200


def test_a_change_without_if_match_is_refused_with_428(api, investigator, juvenile):
    client = api(investigator)
    before = counts()
    response = send(client, "patch", f"/api/juveniles/{juvenile.pk}", {"school": "x"})
    assert response.status_code == 428
    assert errors(response) == {"If-Match": [translated("kk", MESSAGE_IF_MATCH_MISSING)]}
    assert counts() == before
    juvenile.refresh_from_db()
    assert juvenile.school == ""


@pytest.mark.parametrize("if_match", ["*", 'W/"x"', '"1", "2"', "W/"])
def test_an_unusable_if_match_is_refused_with_428(api, investigator, juvenile, if_match):
    response = send(
        api(investigator),
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"school": "x"},
        if_match=if_match,
    )
    assert response.status_code == 428
    assert errors(response) == {"If-Match": [translated("kk", MESSAGE_IF_MATCH_INVALID)]}


def test_a_stale_change_is_refused_with_412_naming_what_it_would_overwrite(
    api, investigator, colleague, juvenile
):
    client = api(investigator)
    etag = client.get(f"/api/juveniles/{juvenile.pk}")["ETag"]
    people_services.update_juvenile(actor=colleague, juvenile=juvenile, school="№ 12 гимназия")
    before = counts()

    response = send(
        client,
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"school": "№ 3", "address": "Абай 10"},
        if_match=etag,
    )

    assert response.status_code == 412
    body = response.json()
    assert body["version"] == 2
    assert body["current"] == {"school": "№ 12 гимназия", "address": ""}
    found = errors(response)
    assert found["If-Match"] == [translated("kk", MESSAGE_STALE, sent=1, current=2)]
    assert set(found) == {"If-Match", "school", "address"}
    assert counts() == before
    juvenile.refresh_from_db()
    assert (juvenile.school, juvenile.address) == ("№ 12 гимназия", "")


def test_the_412_message_is_in_the_users_language(api, investigator, colleague, juvenile):
    people_services.update_juvenile(actor=colleague, juvenile=juvenile, school="№ 12")
    account_services.set_language(actor=investigator, language="ru")
    response = send(
        api(investigator),
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"school": "№ 3"},
        if_match='W/"1"',
    )
    assert response.status_code == 412
    message = errors(response)["If-Match"][0]
    assert message == translated("ru", MESSAGE_STALE, sent=1, current=2)
    assert message != translated("en", MESSAGE_STALE, sent=1, current=2)


def test_a_patch_touches_only_the_fields_sent(api, investigator, colleague, juvenile):
    client = api(investigator)
    etag = client.get(f"/api/juveniles/{juvenile.pk}")["ETag"]
    response = send(
        client, "patch", f"/api/juveniles/{juvenile.pk}", {"address": "Абай 10"}, if_match=etag
    )
    assert response.status_code == 200
    # The colleague read after that change; their PATCH of the school keeps the address.
    response = send(
        api(colleague),
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"school": "№ 12"},
        if_match=response["ETag"],
    )
    assert response.status_code == 200
    juvenile.refresh_from_db()
    assert (juvenile.address, juvenile.school, juvenile.version) == ("Абай 10", "№ 12", 3)


def test_relatives_carry_their_own_version(api, investigator, juvenile):
    mother = people_services.add_relative(
        actor=investigator,
        juvenile=juvenile,
        last_name="Сейітова",
        first_name="Гүлмира",
        relation="mother",
    )
    client = api(investigator)
    listed = client.get(f"/api/juveniles/{juvenile.pk}").json()["relatives"]
    assert [r["version"] for r in listed] == [1]
    ok = send(client, "patch", f"/api/relatives/{mother.pk}", {"phone": "1"}, if_match='W/"1"')
    assert (ok.status_code, ok["ETag"]) == (200, 'W/"2"')
    stale = send(client, "patch", f"/api/relatives/{mother.pk}", {"phone": "2"}, if_match='W/"1"')
    assert stale.status_code == 412
    mother.refresh_from_db()
    assert mother.phone == "1"


def test_agency_staff_and_roles_refuse_stale_versions(api, administrator, investigator):
    client = api(administrator)
    agency = investigator.agency
    agency_tag = client.get(f"/api/agencies/{agency.pk}")["ETag"]
    staff_tag = client.get(f"/api/staff/{investigator.pk}")["ETag"]
    assert (
        send(
            client, "patch", f"/api/agencies/{agency.pk}", {"phone": "1"}, if_match=agency_tag
        ).status_code
        == 200
    )
    assert (
        send(
            client, "patch", f"/api/agencies/{agency.pk}", {"phone": "2"}, if_match=agency_tag
        ).status_code
        == 412
    )
    roles = send(
        client,
        "put",
        f"/api/staff/{investigator.pk}/roles",
        {"roles": ["investigator", "juvenile_police_inspector"]},
        if_match=staff_tag,
    )
    assert roles.status_code == 200
    assert roles.json()["version"] == int(staff_tag[3:-1]) + 1
    stale = send(
        client, "patch", f"/api/staff/{investigator.pk}", {"position": "x"}, if_match=staff_tag
    )
    assert stale.status_code == 412
    investigator.refresh_from_db()
    assert investigator.position != "x"


def test_permission_is_checked_before_the_version(api, prosecutor, juvenile):
    response = send(api(prosecutor), "patch", f"/api/juveniles/{juvenile.pk}", {"school": "x"})
    assert response.status_code == 403


def test_the_schema_declares_if_match_412_and_428_on_every_change(client, db):
    schema = client.get("/api/openapi.json").json()
    for path, methods in schema["paths"].items():
        for method in ("patch", "put"):
            operation = methods.get(method)
            if operation is None:
                continue
            names = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
            assert "If-Match" in names, (method, path)
            assert {"412", "428"} <= set(operation["responses"]), (method, path)
