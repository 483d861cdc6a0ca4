"""Family members and legal representatives of a juvenile."""

import datetime

import pytest

from qorgau.core.iin import MESSAGE_CHECKSUM
from qorgau.people import services as people_services
from qorgau.people.models import Relative
from tests import factories
from tests.api.conftest import assert_audited, counts, errors, send, tag, translated


def relative_payload(**fields):
    data = {
        "last_name": "Сейітова",
        "first_name": "Гүлнар",
        "patronymic": "Асқарқызы",
        "relation": "mother",
        "is_legal_representative": True,
        "lives_with_child": True,
        "iin": factories.valid_iin(datetime.date(1985, 4, 12), "female"),
        "birth_date": "1985-04-12",
        "phone": "+7 701 000 00 00",
    }
    data.update(fields)
    return data


@pytest.fixture
def mother(investigator, juvenile) -> Relative:
    return people_services.add_relative(
        actor=investigator,
        juvenile=juvenile,
        last_name="Сейітова",
        first_name="Гүлнар",
        relation="mother",
    )


def test_it_adds_a_legal_representative(api, investigator, juvenile):
    response = send(
        api(investigator), "post", f"/api/juveniles/{juvenile.pk}/relatives", relative_payload()
    )
    assert response.status_code == 201
    body = response.json()
    assert body["full_name"] == "Сейітова Гүлнар Асқарқызы"
    assert body["relation"] == "mother"
    relative = Relative.objects.get(pk=body["id"])
    assert relative.juvenile == juvenile
    event = assert_audited("relative.create", investigator, juvenile.pk)
    assert event.details == {"relative_id": relative.pk}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"iin": "8504124000"}, "iin"),
        ({"birth_date": "1985-04-13"}, "birth_date"),
        ({"relation": "neighbour"}, "relation"),
        ({"last_name": ""}, "last_name"),
        ({"email": "no-at-sign"}, "email"),
    ],
)
def test_bad_input_is_refused_naming_the_field(api, investigator, juvenile, change, field):
    client = api(investigator)
    before = counts()
    response = send(
        client,
        "post",
        f"/api/juveniles/{juvenile.pk}/relatives",
        relative_payload(**change),
    )
    assert response.status_code == 422
    assert list(errors(response)) == [field]
    assert counts() == before


def test_a_wrong_check_digit_is_explained(api, investigator, juvenile):
    iin = relative_payload()["iin"]
    wrong = iin[:-1] + str((int(iin[-1]) + 1) % 10)
    response = send(
        api(investigator),
        "post",
        f"/api/juveniles/{juvenile.pk}/relatives",
        relative_payload(iin=wrong),
    )
    assert errors(response) == {"iin": [translated("kk", MESSAGE_CHECKSUM)]}


def test_the_outsider_cannot_add_to_an_almaty_record(api, outsider, juvenile):
    client = api(outsider)
    before = counts()
    response = send(client, "post", f"/api/juveniles/{juvenile.pk}/relatives", relative_payload())
    assert response.status_code == 404
    assert counts() == before


def test_a_prosecutor_may_not_add_a_relative(api, prosecutor, juvenile):
    client = api(prosecutor)
    before = counts()
    response = send(client, "post", f"/api/juveniles/{juvenile.pk}/relatives", relative_payload())
    assert response.status_code == 403
    assert counts() == before


def test_it_changes_only_the_fields_sent(api, investigator, juvenile, mother):
    response = send(
        api(investigator),
        "patch",
        f"/api/relatives/{mother.pk}",
        {"phone": "+7 777 123 45 67", "is_legal_representative": True},
        if_match=tag(mother),
    )
    assert response.status_code == 200
    mother.refresh_from_db()
    assert mother.phone == "+7 777 123 45 67"
    assert mother.is_legal_representative is True
    assert mother.first_name == "Гүлнар"
    event = assert_audited("relative.update", investigator, juvenile.pk)
    assert event.fields == ["relative.is_legal_representative", "relative.phone"]
    assert event.details == {"relative_id": mother.pk}


def test_a_bad_change_is_refused_naming_the_field(api, investigator, mother):
    client = api(investigator)
    before = counts()
    response = send(
        client, "patch", f"/api/relatives/{mother.pk}", {"relation": "x"}, if_match=tag(mother)
    )
    assert response.status_code == 422
    assert list(errors(response)) == ["relation"]
    assert counts() == before


def test_the_outsider_cannot_change_an_almaty_relative(api, outsider, mother):
    response = send(api(outsider), "patch", f"/api/relatives/{mother.pk}", {"phone": "1"})
    assert response.status_code == 404
    mother.refresh_from_db()
    assert mother.phone == ""


def test_a_prosecutor_may_not_change_a_relative(api, prosecutor, mother):
    response = send(api(prosecutor), "patch", f"/api/relatives/{mother.pk}", {"phone": "1"})
    assert response.status_code == 403
    mother.refresh_from_db()
    assert mother.phone == ""
