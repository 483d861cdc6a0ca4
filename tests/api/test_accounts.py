"""GET /api/me, the agencies and the staff accounts."""

import datetime

import pytest

from qorgau.accounts import services as account_services
from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.accounts.models import Agency, AgencyType, Role, Training, User
from qorgau.api.api import MESSAGE_CHOICE, MESSAGE_NOT_FOUND
from qorgau.api.common import MESSAGE_UNKNOWN_AGENCY, MESSAGE_UNKNOWN_TERRITORY
from qorgau.audit.models import AuditEvent
from tests import factories
from tests.api.conftest import assert_audited, errors, send, tag, translated

# GET /api/me


def test_me_describes_the_signed_in_user(api, investigator):
    response = api(investigator).get("/api/me")
    assert response.status_code == 200
    assert response.json() == {
        "id": investigator.pk,
        "username": "investigator",
        "full_name": investigator.get_full_name(),
        "agency": {"id": investigator.agency_id, "name": "Әуезов ТБ"},
        "roles": ["investigator"],
        "language": "kk",
    }


def test_me_shows_an_administrator_without_agency(api, administrator):
    body = api(administrator).get("/api/me").json()
    assert body["agency"] is None
    assert body["roles"] == ["administrator"]


# Agencies


@pytest.fixture
def closed_agency(db) -> Agency:
    agency = factories.agency(AgencyType.PROBATION, factories.KARASAI, "Жабық бөлім")
    return account_services.update_agency(
        actor=factories.superuser(), agency=agency, is_active=False
    )


def agency_payload(**fields):
    data = {
        "name_kk": "Қарасай ауданының пробация қызметі",
        "name_ru": "Служба пробации Карасайского района",
        "name_en": "Karasai district probation service",
        "agency_type": AgencyType.PROBATION,
        "territory": factories.KARASAI,
    }
    data.update(fields)
    return data


def test_other_users_see_only_active_agencies(api, investigator, closed_agency):
    response = api(investigator).get("/api/agencies")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()}
    assert investigator.agency_id in ids
    assert closed_agency.pk not in ids


def test_administrators_see_inactive_agencies_too(api, administrator, closed_agency):
    rows = {row["id"]: row for row in api(administrator).get("/api/agencies").json()}
    assert rows[closed_agency.pk]["is_active"] is False
    assert rows[closed_agency.pk]["territory"] == {
        "kato_code": factories.KARASAI,
        "name": "Қарасай ауданы",
    }
    assert rows[closed_agency.pk]["agency_type"] == "probation"


def test_an_administrator_creates_an_agency(api, administrator):
    response = send(api(administrator), "post", "/api/agencies", agency_payload())
    assert response.status_code == 201
    body = response.json()
    agency = Agency.objects.get(pk=body["id"])
    assert agency.name_ru == "Служба пробации Карасайского района"
    assert body["territory"]["kato_code"] == factories.KARASAI
    assert_audited("agency.create", administrator, agency.pk)


def test_an_investigator_may_not_create_an_agency(api, investigator):
    client = api(investigator)
    before = Agency.objects.count()
    response = send(client, "post", "/api/agencies", agency_payload())
    assert response.status_code == 403
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_ALLOWED)]}
    assert Agency.objects.count() == before


def test_an_agency_with_an_unknown_territory_is_refused(api, administrator):
    client = api(administrator)
    before = Agency.objects.count(), AuditEvent.objects.count()
    response = send(client, "post", "/api/agencies", agency_payload(territory="1"))
    assert response.status_code == 422
    assert errors(response) == {
        "territory": [translated("kk", MESSAGE_UNKNOWN_TERRITORY, code="1")]
    }
    assert (Agency.objects.count(), AuditEvent.objects.count()) == before


def test_an_agency_with_an_unknown_type_is_refused(api, administrator):
    response = send(api(administrator), "post", "/api/agencies", agency_payload(agency_type="x"))
    assert response.status_code == 422
    assert errors(response) == {"agency_type": [translated("kk", MESSAGE_CHOICE)]}


def test_an_administrator_changes_only_the_fields_sent(api, administrator, closed_agency):
    response = send(
        api(administrator),
        "patch",
        f"/api/agencies/{closed_agency.pk}",
        {"is_active": True},
        if_match=tag(closed_agency),
    )
    assert response.status_code == 200
    closed_agency.refresh_from_db()
    assert closed_agency.is_active is True
    assert closed_agency.name_kk == "Жабық бөлім"
    event = assert_audited("agency.update", administrator, closed_agency.pk)
    assert event.fields == ["is_active"]


def test_an_investigator_may_not_change_an_agency(api, investigator):
    response = send(
        api(investigator), "patch", f"/api/agencies/{investigator.agency_id}", {"phone": "1"}
    )
    assert response.status_code == 403


def test_changing_a_missing_agency_answers_404(api, administrator):
    response = send(api(administrator), "patch", "/api/agencies/999999", {"phone": "1"})
    assert response.status_code == 404
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_FOUND)]}


# Staff


def staff_payload(employer: Agency | None, **fields):
    data = {
        "username": "new.investigator",
        "password": factories.PASSWORD,
        "roles": [Role.INVESTIGATOR],
        "agency": employer.pk if employer else None,
        "first_name": "Айгүл",
        "last_name": "Серікова",
    }
    data.update(fields)
    return data


def test_an_administrator_lists_staff_without_passwords(api, administrator, investigator):
    response = api(administrator).get("/api/staff")
    assert response.status_code == 200
    body = response.json()
    assert body["page"] == 1
    rows = {row["username"]: row for row in body["results"]}
    assert rows["investigator"]["roles"] == ["investigator"]
    assert rows["investigator"]["agency"] == {"id": investigator.agency_id, "name": "Әуезов ТБ"}
    assert "password" not in response.content.decode()
    assert investigator.password not in response.content.decode()


@pytest.mark.parametrize("persona", ["investigator", "prosecutor", "outsider"])
def test_staff_are_listed_for_administrators_only(api, request, persona):
    response = api(request.getfixturevalue(persona)).get("/api/staff")
    assert response.status_code == 403


def test_the_staff_list_takes_the_same_queries_for_3_and_30_accounts(
    api, administrator, auezov_investigation, django_assert_max_num_queries
):
    client = api(administrator)
    with django_assert_max_num_queries(12) as few:
        assert client.get("/api/staff").status_code == 200
    for _ in range(30):
        user = factories.staff(Role.INVESTIGATOR, auezov_investigation)
        account_services.add_training(
            actor=factories.superuser(),
            user=user,
            course="Ювеналдық әділет",
            completed_on=datetime.date(2025, 5, 1),
            hours=36,
        )
    with django_assert_max_num_queries(12) as many:
        response = client.get("/api/staff")
    assert len(response.json()["results"]) == 25
    assert len(many) == len(few)


def test_an_administrator_creates_a_staff_account(api, administrator, auezov_investigation):
    response = send(api(administrator), "post", "/api/staff", staff_payload(auezov_investigation))
    assert response.status_code == 201
    body = response.json()
    assert body["roles"] == ["investigator"]
    assert body["agency"]["id"] == auezov_investigation.pk
    assert "password" not in body
    user = User.objects.get(username="new.investigator")
    assert user.check_password(factories.PASSWORD) is True
    assert_audited("staff.create", administrator, user.pk)


def test_an_investigator_may_not_create_staff(api, investigator, auezov_investigation):
    client = api(investigator)
    before = User.objects.count()
    response = send(client, "post", "/api/staff", staff_payload(auezov_investigation))
    assert response.status_code == 403
    assert User.objects.count() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "investigator"}, "username"),
        ({"roles": []}, "roles"),
        ({"roles": ["sheriff"]}, "roles"),
        ({"agency": None}, "agency"),
        ({"agency": 999999}, "agency"),
        ({"email": "not an address"}, "email"),
    ],
)
def test_bad_staff_input_is_refused_naming_the_field(
    api, administrator, investigator, auezov_investigation, change, field
):
    client = api(administrator)
    before = User.objects.count(), AuditEvent.objects.count()
    response = send(client, "post", "/api/staff", staff_payload(auezov_investigation, **change))
    assert response.status_code == 422
    assert field in errors(response)
    assert (User.objects.count(), AuditEvent.objects.count()) == before


def test_an_unknown_agency_is_named_in_the_message(api, administrator):
    response = send(api(administrator), "post", "/api/staff", staff_payload(None, agency=999999))
    assert errors(response) == {"agency": [translated("kk", MESSAGE_UNKNOWN_AGENCY, id=999999)]}


def test_a_weak_password_is_refused(api, administrator, auezov_investigation):
    client = api(administrator)
    before = User.objects.count()
    response = send(
        client,
        "post",
        "/api/staff",
        staff_payload(auezov_investigation, password="12345"),
    )
    assert response.status_code == 422
    assert User.objects.count() == before


def test_a_weak_password_is_named_as_the_password_field(api, administrator, auezov_investigation):
    response = send(
        api(administrator),
        "post",
        "/api/staff",
        staff_payload(auezov_investigation, password="12345"),
    )
    assert list(errors(response)) == ["password"]


def test_an_administrator_changes_a_staff_account(api, administrator, investigator):
    response = send(
        api(administrator),
        "patch",
        f"/api/staff/{investigator.pk}",
        {"position": "аға тергеуші", "language": "ru"},
        if_match=tag(investigator),
    )
    assert response.status_code == 200
    assert response.json()["position"] == "аға тергеуші"
    investigator.refresh_from_db()
    assert investigator.language == "ru"
    assert investigator.last_name == "Тегі"
    event = assert_audited("staff.update", administrator, investigator.pk)
    assert event.fields == ["language", "position"]


def test_an_unknown_language_is_refused(api, administrator, investigator):
    response = send(
        api(administrator),
        "patch",
        f"/api/staff/{investigator.pk}",
        {"language": "de"},
        if_match=tag(investigator),
    )
    assert response.status_code == 422
    assert list(errors(response)) == ["language"]


def test_a_prosecutor_may_not_change_staff(api, prosecutor, investigator):
    response = send(
        api(prosecutor), "patch", f"/api/staff/{investigator.pk}", {"position": "бастық"}
    )
    assert response.status_code == 403
    investigator.refresh_from_db()
    assert investigator.position == ""


def test_changing_a_missing_account_answers_404(api, administrator):
    response = send(api(administrator), "patch", "/api/staff/999999", {"position": "x"})
    assert response.status_code == 404


def test_an_administrator_replaces_roles(api, administrator, investigator):
    response = send(
        api(administrator),
        "put",
        f"/api/staff/{investigator.pk}/roles",
        {"roles": [Role.JUVENILE_POLICE_INSPECTOR, Role.INVESTIGATOR]},
        if_match=tag(investigator),
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["investigator", "juvenile_police_inspector"]
    event = assert_audited("staff.roles", administrator, investigator.pk)
    assert event.changes == {"roles": ["investigator", "investigator,juvenile_police_inspector"]}


def test_roles_cannot_be_emptied(api, administrator, investigator):
    response = send(
        api(administrator),
        "put",
        f"/api/staff/{investigator.pk}/roles",
        {"roles": []},
        if_match=tag(investigator),
    )
    assert response.status_code == 422
    assert list(errors(response)) == ["roles"]
    investigator.refresh_from_db()
    assert investigator.roles == ["investigator"]


def test_a_judge_may_not_change_roles(api, judge, investigator):
    response = send(
        api(judge), "put", f"/api/staff/{investigator.pk}/roles", {"roles": [Role.ADMINISTRATOR]}
    )
    assert response.status_code == 403
    assert investigator.roles == ["investigator"]


def training_payload(**fields):
    data = {
        "course": "Кәмелетке толмағандар ісі бойынша мамандану",
        "completed_on": "2025-10-01",
        "hours": 72,
        "provider": "Құқық қорғау академиясы",
    }
    data.update(fields)
    return data


def test_an_administrator_records_a_training(api, administrator, investigator):
    response = send(
        api(administrator), "post", f"/api/staff/{investigator.pk}/trainings", training_payload()
    )
    assert response.status_code == 201
    assert response.json()["hours"] == 72
    training = Training.objects.get(pk=response.json()["id"])
    assert training.user == investigator
    assert_audited("staff.training", administrator, investigator.pk)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"completed_on": "2099-01-01"},
            "completed_on",
            account_services.MESSAGE_TRAINING_FUTURE,
        ),
        ({"hours": 0}, "hours", account_services.MESSAGE_TRAINING_HOURS),
    ],
)
def test_bad_training_input_is_refused(api, administrator, investigator, change, field, message):
    response = send(
        api(administrator),
        "post",
        f"/api/staff/{investigator.pk}/trainings",
        training_payload(**change),
    )
    assert response.status_code == 422
    assert errors(response) == {field: [translated("kk", message)]}
    assert Training.objects.count() == 0


def test_a_psychologist_may_not_record_a_training(api, psychologist, investigator):
    response = send(
        api(psychologist), "post", f"/api/staff/{investigator.pk}/trainings", training_payload()
    )
    assert response.status_code == 403
    assert Training.objects.count() == 0
