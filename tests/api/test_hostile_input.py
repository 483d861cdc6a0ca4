"""Hostile input to the API: each answer a clear 4xx in the one error shape, never a 500.

Each case here is one the fuzzing found answering 500 (issue 12): a multipart body in the CSRF
check, null where text cannot be null, a NUL character, dates near year 1, a date before the
law's rule, the two `Status` enumerations under one name, and a 500 that was an HTML page.
"""

import json

import pytest
from django.test import Client
from django.utils import timezone, translation

from qorgau.api.enums import MediationStatus, ViolationStatus
from qorgau.core.dates import MESSAGE_DATE_RANGE
from qorgau.core.rulefiles import MESSAGE_NO_RULE_IN_FORCE
from qorgau.mediation.models import Status as MediationModelStatus
from qorgau.people import services as people_services
from qorgau.people.models import Juvenile, Relative
from qorgau.safeguards.models import Status as ViolationModelStatus
from qorgau.web.errors import MESSAGE_SERVER_ERROR, MESSAGE_UNAVAILABLE
from qorgau.web.guard import MESSAGE_NUL
from tests.api.conftest import counts, errors, send, tag

NUL_MESSAGE_KK = "Бұл мәнде NUL таңбасы (U+0000) бар, оған рұқсат етілмейді."


def kk(message, **params) -> str:
    with translation.override("kk"):
        text = str(message)
    return text % params if params else text


def assert_error_shape(response, status: int) -> dict[str, list[str]]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    return errors(response)


@pytest.fixture
def csrf_client(investigator) -> tuple[Client, str]:
    """A client that enforces the CSRF check, as a browser or script meets it."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(investigator)
    client.get("/api/me")
    return client, client.cookies["csrftoken"].value


# Bodies the CSRF check parses before the API does


def test_a_multipart_body_without_boundary_is_a_400_not_a_500(csrf_client):
    client, token = csrf_client
    before = counts()
    response = client.post(
        "/api/juveniles", data=b"x", content_type="multipart/form-data", HTTP_X_CSRFTOKEN=token
    )
    found = assert_error_shape(response, 400)
    assert list(found) == ["__all__"]
    assert "JSON" in found["__all__"][0]
    assert counts() == before


def test_a_well_formed_multipart_body_is_a_400_too(csrf_client):
    client, token = csrf_client
    response = client.post(
        "/api/juveniles", data={"last_name": "Омаров"}, HTTP_X_CSRFTOKEN=token
    )  # the test client encodes a dict as multipart with a boundary
    assert_error_shape(response, 400)


def test_a_form_encoded_body_is_a_400(csrf_client):
    client, token = csrf_client
    response = client.post(
        "/api/juveniles",
        data="last_name=x",
        content_type="application/x-www-form-urlencoded",
        HTTP_X_CSRFTOKEN=token,
    )
    assert_error_shape(response, 400)


def test_a_multipart_body_without_the_csrf_token_is_still_refused_as_csrf(csrf_client):
    client, _ = csrf_client
    response = client.post("/api/juveniles", data={"last_name": "Омаров"})
    assert_error_shape(response, 403)


# NUL characters


def test_a_nul_in_a_query_parameter_names_the_parameter(api, prosecutor):
    response = api(prosecutor).get("/api/audit?subject_type=a%00")
    assert assert_error_shape(response, 422) == {"subject_type": [NUL_MESSAGE_KK]}


def test_a_nul_in_a_query_parameter_is_refused_in_russian_too(api, investigator):
    response = api(investigator).get("/api/juveniles?q=a%00b", HTTP_ACCEPT_LANGUAGE="ru")
    assert assert_error_shape(response, 422)["q"] == [
        "Значение содержит символ NUL (U+0000), который не допускается."
    ]


def test_a_nul_in_a_json_text_names_the_field_and_changes_nothing(api, investigator, juvenile):
    response = send(
        api(investigator), "patch", f"/api/juveniles/{juvenile.pk}", {"school": "№ 41\u0000"}
    )
    assert assert_error_shape(response, 422) == {"school": [kk(MESSAGE_NUL)]}
    juvenile.refresh_from_db()
    assert "\x00" not in juvenile.school


def test_a_nul_deep_in_a_json_body_names_the_nested_field(api, investigator, juvenile):
    response = send(
        api(investigator),
        "post",
        f"/api/juveniles/{juvenile.pk}/relatives",
        {"last_name": "Сейітова", "nested": {"deeper": ["ok", "no\u0000"]}},
    )
    assert assert_error_shape(response, 422) == {"nested.deeper": [kk(MESSAGE_NUL)]}


def test_a_nul_in_a_path_segment_is_refused(api, investigator):
    response = api(investigator).get("/api/instruments/a%00b")
    assert_error_shape(response, 400)


# null where the column cannot be null


def test_null_text_of_a_relative_is_stored_as_empty(api, investigator, juvenile):
    relative = people_services.add_relative(
        actor=investigator,
        juvenile=juvenile,
        last_name="Сейітова",
        first_name="Гүлнар",
        patronymic="Асқарқызы",
        relation="mother",
    )
    response = send(
        api(investigator),
        "patch",
        f"/api/relatives/{relative.pk}",
        {"patronymic": None},
        if_match=tag(relative),
    )
    assert response.status_code == 200, response.content
    relative = Relative.objects.get(pk=relative.pk)
    assert relative.patronymic == ""


def test_null_school_of_a_juvenile_is_stored_as_empty(api, investigator, juvenile):
    response = send(
        api(investigator),
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"school": None},
        if_match=tag(juvenile),
    )
    assert response.status_code == 200, response.content
    assert Juvenile.objects.get(pk=juvenile.pk).school == ""


def test_null_for_a_flag_is_refused_naming_it(api, investigator, juvenile):
    response = send(
        api(investigator),
        "patch",
        f"/api/juveniles/{juvenile.pk}",
        {"large_family": None},
        if_match=tag(juvenile),
    )
    assert assert_error_shape(response, 422) == {
        "large_family": ["Бұл өріс NULL мәнін қабылдамайды."]
    }


# Dates


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("/api/response-times?end=0051-12-29", "end"),
        ("/api/response-times?start=9999-12-31", "start"),
        ("/api/duty-shifts?week=0001-01-01", "week"),
        ("/api/cases?registered_to=0001-01-01", "registered_to"),
    ],
)
def test_a_date_near_year_1_or_9999_is_refused_naming_it(api, investigator, query, field):
    response = api(investigator).get(query)
    assert assert_error_shape(response, 422) == {
        field: [kk(MESSAGE_DATE_RANGE, earliest="1900-01-01", latest="2100-12-31")]
    }


def test_the_oversight_summary_refuses_year_1(api, prosecutor):
    response = api(prosecutor).get("/api/oversight/summary?detected_from=0001-01-01")
    assert list(assert_error_shape(response, 422)) == ["detected_from"]


@pytest.mark.parametrize("value", ["0", "1700000000", "0.5", "true"])
def test_a_number_is_not_a_date(api, investigator, value):
    response = api(investigator).get(f"/api/response-times?end={value}")
    assert assert_error_shape(response, 422) == {"end": ["Дұрыс күнді енгізіңіз."]}


def test_a_number_is_not_a_date_in_a_body_either(api, investigator, juvenile):
    response = send(api(investigator), "patch", f"/api/juveniles/{juvenile.pk}", {"birth_date": 0})
    assert list(assert_error_shape(response, 422)) == ["birth_date"]


def test_a_day_before_the_rule_was_in_force_is_a_clear_422(api, investigator):
    response = api(investigator).get("/api/response-times?end=2000-01-01")
    assert assert_error_shape(response, 422) == {
        "__all__": [kk(MESSAGE_NO_RULE_IN_FORCE, date="01.01.2000")]
    }


def test_an_ordinary_period_still_answers(api, investigator):
    today = timezone.localdate()
    response = api(investigator).get(f"/api/response-times?end={today.isoformat()}")
    assert response.status_code == 200


# The schema


@pytest.fixture
def schema(client, db):
    return json.loads(client.get("/api/openapi.json").content)


def test_the_two_status_enumerations_have_names_of_their_own(schema):
    components = schema["components"]["schemas"]
    assert "Status" not in components
    assert components["ViolationStatus"]["enum"] == [s.value for s in ViolationModelStatus]
    assert components["MediationStatus"]["enum"] == [s.value for s in MediationModelStatus]
    assert [s.value for s in ViolationStatus] == list(ViolationModelStatus.values)
    assert [s.value for s in MediationStatus] == list(MediationModelStatus.values)
    violation = components["ViolationRow"]["properties"]["status"]
    assert violation == {"$ref": "#/components/schemas/ViolationStatus"}


def test_every_operation_declares_the_shared_error_answers(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            declared = set(operation["responses"])
            expected = {"400", "401", "422", "503"} | ({"404"} if "{" in path else set())
            if method != "get":
                expected.add("403")
            assert expected <= declared, (method, path, sorted(declared))
            for code in expected:
                content = operation["responses"][code]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


def test_no_two_enumerations_share_a_schema_name():
    """Each enum class used by the API has its own component name (the cause of the status
    mix-up): collect the classes from every schema and compare names."""
    from enum import Enum

    from ninja import Schema

    import qorgau.api.api  # noqa: F401 - loads every schema module

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    seen: dict[str, type] = {}
    for model in subclasses(Schema):
        if not model.__module__.startswith("qorgau."):
            continue
        for field in model.model_fields.values():
            candidates = [field.annotation, *getattr(field.annotation, "__args__", ())]
            for kind in candidates:
                if isinstance(kind, type) and issubclass(kind, Enum):
                    assert seen.setdefault(kind.__name__, kind) is kind, kind.__name__


# Server errors keep the shape


def test_an_unexpected_error_answers_500_in_the_api_shape(api, investigator, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("qorgau.api.reference.acting_user", crash)
    client = api(investigator)
    client.raise_request_exception = False
    response = client.get("/api/territories")
    assert assert_error_shape(response, 500) == {"__all__": [kk(MESSAGE_SERVER_ERROR)]}
    assert "boom" not in response.content.decode()


def test_an_unknown_api_path_answers_404_in_the_api_shape(api, investigator):
    response = api(investigator).get("/api/no-such-thing")
    assert list(assert_error_shape(response, 404)) == ["__all__"]


def test_a_request_too_large_answers_400_in_the_api_shape(api, investigator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = send(api(investigator), "post", "/api/juveniles", {"notes": "я" * 2000})
    assert list(assert_error_shape(response, 400)) == ["__all__"]


def test_the_unavailable_message_is_translated():
    with translation.override("en"):
        english = str(MESSAGE_UNAVAILABLE)
    with translation.override("ru"):
        russian = str(MESSAGE_UNAVAILABLE)
    assert len({kk(MESSAGE_UNAVAILABLE), russian, english}) == 3
