"""The juveniles register: search, read, register and change a child's record."""

import datetime

import pytest
from django.utils import formats, timezone, translation

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED
from qorgau.api.api import MESSAGE_NOT_FOUND
from qorgau.api.common import MESSAGE_NO_PAGE, MESSAGE_UNKNOWN_TERRITORY
from qorgau.audit.models import AuditEvent
from qorgau.core.iin import MESSAGE_CHECKSUM
from qorgau.people import services as people_services
from qorgau.people.models import Juvenile
from tests import factories
from tests.api.conftest import (
    assert_audited,
    counts,
    errors,
    juvenile_payload,
    send,
    tag,
    translated,
)


def with_wrong_check_digit(iin: str) -> str:
    return iin[:-1] + str((int(iin[-1]) + 1) % 10)


def mismatch_message(language: str, iin_date: datetime.date) -> str:
    with translation.override(language):
        date = formats.date_format(iin_date, "SHORT_DATE_FORMAT")
        return str(people_services.MESSAGE_BIRTH_IIN_MISMATCH % {"date": date})


# GET /api/juveniles


def test_it_lists_the_records_the_user_may_see(api, investigator, juvenile):
    response = api(investigator).get("/api/juveniles")
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "more": False,
        "page": 1,
        "pages": 1,
        "results": [
            {
                "id": juvenile.pk,
                "full_name": "Сейітов Нұрлан Қайратұлы",
                "name_latin": "Seyitov Nurlan Qayratuly",
                "iin_masked": "••••••••" + juvenile.iin[-4:],
                "birth_date": "2010-03-05",
                "age": juvenile.age,
                "sex": "male",
                "address_territory": {"kato_code": factories.AUEZOV, "name": "Әуезов ауданы"},
            }
        ],
    }


def test_a_list_without_search_writes_no_audit_event(api, investigator, juvenile):
    api(investigator).get("/api/juveniles")
    assert not AuditEvent.objects.filter(action="juvenile.search").exists()


@pytest.mark.parametrize("query", ["Нұрлан", "Nurlan", "Qairatuly", "сейитов"])
def test_it_finds_a_name_in_either_script(api, investigator, juvenile, query):
    body = api(investigator).get("/api/juveniles", {"q": query}).json()
    assert [row["id"] for row in body["results"]] == [juvenile.pk]


def test_it_finds_iin_digits_from_the_start(api, investigator, juvenile):
    client = api(investigator)
    assert client.get("/api/juveniles", {"q": juvenile.iin[:6]}).json()["count"] == 1
    assert client.get("/api/juveniles", {"q": juvenile.iin[1:7]}).json()["count"] == 0


def test_every_search_is_audited(api, investigator, juvenile):
    api(investigator).get("/api/juveniles", {"q": " Нұрлан "})
    event = assert_audited("juvenile.search", investigator)
    assert event.details == {"query": "Нұрлан", "results": 1}


def test_the_outsider_never_finds_almaty_records(api, outsider, juvenile):
    client = api(outsider)
    assert client.get("/api/juveniles").json()["count"] == 0
    body = client.get("/api/juveniles", {"q": juvenile.iin}).json()
    assert body["count"] == 0
    assert body["results"] == []


def test_it_filters_by_region(api, investigator, juvenile):
    in_karasai = factories.juvenile(
        investigator, address_territory=factories.territory(factories.KARASAI)
    )
    client = api(investigator)
    karasai = client.get("/api/juveniles", {"region": factories.KARASAI}).json()
    assert [row["id"] for row in karasai["results"]] == [in_karasai.pk]
    almaty = client.get("/api/juveniles", {"region": factories.ALMATY_CITY}).json()
    assert [row["id"] for row in almaty["results"]] == [juvenile.pk]


def test_an_unknown_region_is_refused_naming_it(api, investigator):
    response = api(investigator).get("/api/juveniles", {"region": "999"})
    assert response.status_code == 422
    assert errors(response) == {"region": [translated("kk", MESSAGE_UNKNOWN_TERRITORY, code="999")]}


def test_it_pages_by_25(api, investigator):
    for _ in range(30):
        factories.juvenile(investigator)
    client = api(investigator)
    first = client.get("/api/juveniles").json()
    assert (first["count"], first["page"], first["pages"], len(first["results"])) == (30, 1, 2, 25)
    second = client.get("/api/juveniles", {"page": 2}).json()
    assert (second["page"], len(second["results"])) == (2, 5)
    assert not {row["id"] for row in first["results"]} & {row["id"] for row in second["results"]}


def test_a_page_past_the_end_is_refused_naming_the_page(api, investigator, juvenile):
    response = api(investigator).get("/api/juveniles", {"page": 3})
    assert response.status_code == 422
    assert errors(response) == {"page": [translated("kk", MESSAGE_NO_PAGE, page=3, pages=1)]}


@pytest.mark.parametrize("persona", ["administrator", "analyst"])
def test_roles_without_access_to_records_are_refused(api, request, juvenile, persona):
    response = api(request.getfixturevalue(persona)).get("/api/juveniles")
    assert response.status_code == 403
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_ALLOWED)]}


@pytest.mark.parametrize("query", ["", "Сейітов"])
def test_the_list_takes_the_same_queries_for_3_and_30_rows(
    api, investigator, juvenile, django_assert_max_num_queries, query
):
    for _ in range(2):
        factories.juvenile(investigator)
    client = api(investigator)
    with django_assert_max_num_queries(16) as few:
        assert client.get("/api/juveniles", {"q": query}).json()["count"] == 3
    for _ in range(27):
        factories.juvenile(investigator)
    with django_assert_max_num_queries(16) as many:
        assert len(client.get("/api/juveniles", {"q": query}).json()["results"]) == 25
    assert len(many) == len(few)


# GET /api/juveniles/{id}


def test_it_reads_a_full_record_and_audits_the_reading(api, investigator, juvenile):
    relative = people_services.add_relative(
        actor=investigator,
        juvenile=juvenile,
        last_name="Сейітова",
        first_name="Гүлнар",
        relation="mother",
        is_legal_representative=True,
    )
    people_services.update_juvenile(
        actor=investigator, juvenile=juvenile, incomplete_family=True, family_notes="Әкесі жоқ."
    )
    response = api(investigator).get(f"/api/juveniles/{juvenile.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["full_name"] == "Сейітов Нұрлан Қайратұлы"
    assert body["registered_by_agency"] == {"id": investigator.agency_id, "name": "Әуезов ТБ"}
    assert body["family"]["incomplete_family"] is True
    assert body["family"]["family_notes"] == "Әкесі жоқ."
    label = Juvenile._meta.get_field("incomplete_family").verbose_name
    assert body["family"]["risk_factors"] == [translated("kk", label)]
    assert [r["id"] for r in body["relatives"]] == [relative.pk]
    assert body["relatives"][0]["relation"] == "mother"
    assert body["relatives"][0]["is_legal_representative"] is True
    assert_audited("juvenile.view", investigator, juvenile.pk)


def test_the_outsider_gets_404_for_an_almaty_record(api, outsider, juvenile):
    response = api(outsider).get(f"/api/juveniles/{juvenile.pk}")
    assert response.status_code == 404
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_FOUND)]}
    assert not AuditEvent.objects.filter(action="juvenile.view").exists()


def test_a_prosecutor_of_the_region_reads_the_record(api, prosecutor, juvenile):
    assert api(prosecutor).get(f"/api/juveniles/{juvenile.pk}").status_code == 200
    assert_audited("juvenile.view", prosecutor, juvenile.pk)


def test_an_administrator_may_not_read_records(api, administrator, juvenile):
    response = api(administrator).get(f"/api/juveniles/{juvenile.pk}")
    assert response.status_code == 403


def test_a_missing_record_answers_404(api, investigator):
    assert api(investigator).get("/api/juveniles/999999").status_code == 404


def test_a_record_takes_the_same_queries_with_1_or_6_relatives(
    api, investigator, juvenile, django_assert_max_num_queries
):
    def add_relative():
        people_services.add_relative(
            actor=investigator,
            juvenile=juvenile,
            last_name="Сейітова",
            first_name="Гүлнар",
            relation="grandparent",
        )

    add_relative()
    client = api(investigator)
    with django_assert_max_num_queries(16) as few:
        client.get(f"/api/juveniles/{juvenile.pk}")
    for _ in range(5):
        add_relative()
    with django_assert_max_num_queries(16) as many:
        assert len(client.get(f"/api/juveniles/{juvenile.pk}").json()["relatives"]) == 6
    assert len(many) == len(few)


# POST /api/juveniles


def test_it_registers_a_juvenile(api, investigator):
    payload = juvenile_payload()
    response = send(api(investigator), "post", "/api/juveniles", payload)
    assert response.status_code == 201
    body = response.json()
    juvenile = Juvenile.objects.get(pk=body["id"])
    assert juvenile.iin == payload["iin"]
    assert juvenile.registered_by_agency == investigator.agency
    assert juvenile.address_territory.kato_code == factories.AUEZOV
    assert body["name_latin"] == "Zhumabekov Erlan Serikuly"
    assert body["family"]["low_income_family"] is True
    assert body["relatives"] == []
    assert_audited("juvenile.create", investigator, juvenile.pk)


def test_birth_date_and_sex_are_read_from_the_iin(api, investigator):
    payload = juvenile_payload(iin=factories.valid_iin(datetime.date(2012, 2, 29), "female"))
    del payload["birth_date"], payload["sex"]
    body = send(api(investigator), "post", "/api/juveniles", payload).json()
    assert (body["birth_date"], body["sex"]) == ("2012-02-29", "female")


def test_a_child_without_iin_is_registered_with_the_reason(api, investigator):
    payload = juvenile_payload(iin=None, no_iin_reason="not_identified", sex="female")
    response = send(api(investigator), "post", "/api/juveniles", payload)
    assert response.status_code == 201
    assert response.json()["iin"] is None
    assert response.json()["no_iin_reason"] == "not_identified"


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


BAD_INPUTS = {
    "an IIN with a wrong check digit": (
        lambda p, existing: {"iin": with_wrong_check_digit(p["iin"])},
        "iin",
        lambda lang, p: translated(lang, MESSAGE_CHECKSUM),
    ),
    "a birth date in the future": (
        lambda p, existing: {"iin": None, "no_iin_reason": "not_issued", "birth_date": tomorrow()},
        "birth_date",
        lambda lang, p: translated(lang, people_services.MESSAGE_BIRTH_FUTURE),
    ),
    "a birth date the IIN contradicts": (
        lambda p, existing: {"birth_date": "2011-06-16"},
        "birth_date",
        lambda lang, p: mismatch_message(lang, datetime.date(2011, 6, 15)),
    ),
    "an IIN already registered": (
        lambda p, existing: {
            "iin": existing.iin,
            "birth_date": existing.birth_date.isoformat(),
        },
        "iin",
        lambda lang, p: translated(lang, people_services.MESSAGE_DUPLICATE_IIN),
    ),
    "an empty surname": (
        lambda p, existing: {"last_name": "  "},
        "last_name",
        lambda lang, p: translated(lang, "Enter the surname."),
    ),
    "an unknown territory code": (
        lambda p, existing: {"address_territory": "123456789"},
        "address_territory",
        lambda lang, p: translated(lang, MESSAGE_UNKNOWN_TERRITORY, code="123456789"),
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_refused_naming_the_field_and_writes_nothing(
    api, investigator, juvenile, case
):
    change, field, message = BAD_INPUTS[case]
    payload = juvenile_payload()
    payload.update(change(payload, juvenile))
    client = api(investigator)
    before = counts()
    response = send(client, "post", "/api/juveniles", payload)
    assert response.status_code == 422
    assert errors(response) == {field: [message("kk", payload)]}
    assert counts() == before


@pytest.mark.parametrize("persona", ["prosecutor", "judge", "defender", "administrator"])
def test_roles_that_do_not_register_are_refused(api, db, request, persona):
    client = api(request.getfixturevalue(persona))
    before = counts()
    response = send(client, "post", "/api/juveniles", juvenile_payload())
    assert response.status_code == 403
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_NOT_ALLOWED)]}
    assert counts() == before


# PATCH /api/juveniles/{id}


def test_it_changes_only_the_fields_sent(api, investigator, juvenile):
    response = send(
        api(investigator),
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"school": "№ 12 гимназия", "address_territory": factories.KARASAI},
        if_match=tag(juvenile),
    )
    assert response.status_code == 200
    assert response.json()["school"] == "№ 12 гимназия"
    juvenile.refresh_from_db()
    assert juvenile.school == "№ 12 гимназия"
    assert juvenile.address_territory.kato_code == factories.KARASAI
    assert juvenile.last_name == "Сейітов"
    event = assert_audited("juvenile.update", investigator, juvenile.pk)
    assert event.fields == ["address_territory", "school"]


def test_a_new_surname_is_searchable_in_latin(api, investigator, juvenile):
    client = api(investigator)
    send(
        client,
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"last_name": "Қасымов"},
        if_match=tag(juvenile),
    )
    assert client.get("/api/juveniles", {"q": "Kasymov"}).json()["count"] == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"iin": "123456789012"}, "iin"),
        ({"birth_date": "2010-03-06"}, "birth_date"),
        ({"last_name": ""}, "last_name"),
        ({"address_territory": "0"}, "address_territory"),
        ({"birth_date": "5 March"}, "birth_date"),
    ],
)
def test_a_bad_change_is_refused_naming_the_field(api, investigator, juvenile, change, field):
    client = api(investigator)
    before = counts()
    response = send(
        client, "patch", f"/api/juveniles/{juvenile.pk}", change, if_match=tag(juvenile)
    )
    assert response.status_code == 422
    assert list(errors(response)) == [field]
    assert counts() == before
    juvenile.refresh_from_db()
    assert (juvenile.last_name, str(juvenile.birth_date)) == ("Сейітов", "2010-03-05")


def test_the_outsider_cannot_change_an_almaty_record(api, outsider, juvenile):
    response = send(api(outsider), "patch", f"/api/juveniles/{juvenile.pk}", {"school": "x"})
    assert response.status_code == 404
    juvenile.refresh_from_db()
    assert juvenile.school == ""


def test_a_prosecutor_may_not_change_a_record(api, prosecutor, juvenile):
    response = send(api(prosecutor), "patch", f"/api/juveniles/{juvenile.pk}", {"school": "x"})
    assert response.status_code == 403
    juvenile.refresh_from_db()
    assert juvenile.school == ""
