"""Session authentication, CSRF on unsafe methods, and errors in the user's language."""

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from qorgau.accounts.services import set_language
from qorgau.api.api import MESSAGE_CSRF, MESSAGE_UNAUTHENTICATED
from qorgau.people import services as people_services
from tests.api.conftest import counts, errors, juvenile_payload, send, translated

# Every operation of the API, with ids that need not exist: authentication comes first.
OPERATIONS = [
    ("get", "/api/me"),
    ("get", "/api/territories"),
    ("get", "/api/articles"),
    ("get", "/api/agencies"),
    ("post", "/api/agencies"),
    ("patch", "/api/agencies/1"),
    ("get", "/api/staff"),
    ("post", "/api/staff"),
    ("patch", "/api/staff/1"),
    ("put", "/api/staff/1/roles"),
    ("post", "/api/staff/1/trainings"),
    ("get", "/api/juveniles"),
    ("get", "/api/juveniles/1"),
    ("post", "/api/juveniles"),
    ("patch", "/api/juveniles/1"),
    ("post", "/api/juveniles/1/relatives"),
    ("patch", "/api/relatives/1"),
    ("get", "/api/audit"),
]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_it_refuses_an_anonymous_caller_with_401(client, db, method, path):
    """Without a session every operation answers 401 with the message in the browser's language."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = send(client, method, path, {})
    assert response.status_code == 401
    assert errors(response) == {"__all__": [translated("en", MESSAGE_UNAUTHENTICATED)]}


def test_an_anonymous_caller_gets_the_default_language(client, db):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_UNAUTHENTICATED)]}


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def test_it_refuses_a_write_without_the_csrf_token(csrf_client, investigator):
    """A signed-in session alone does not let another site post on the user's behalf."""
    csrf_client.force_login(investigator)
    before = counts()
    response = send(csrf_client, "post", "/api/juveniles", juvenile_payload())
    assert response.status_code == 403
    assert errors(response) == {"__all__": [translated("kk", MESSAGE_CSRF)]}
    assert counts() == before


def test_it_refuses_a_change_without_the_csrf_token(csrf_client, investigator, juvenile):
    csrf_client.force_login(investigator)
    response = send(csrf_client, "patch", f"/api/juveniles/{juvenile.pk}", {"school": "№ 1"})
    assert response.status_code == 403
    juvenile.refresh_from_db()
    assert juvenile.school == ""


def test_it_accepts_a_write_with_the_token_from_the_me_cookie(csrf_client, investigator):
    """GET /api/me sets the csrftoken cookie; sending it back in X-CSRFToken lets the write in."""
    csrf_client.force_login(investigator)
    assert csrf_client.get("/api/me").status_code == 200
    token = csrf_client.cookies[settings.CSRF_COOKIE_NAME].value
    response = csrf_client.post(
        "/api/juveniles",
        data=juvenile_payload(),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_reads_need_no_csrf_token(csrf_client, investigator, juvenile):
    csrf_client.force_login(investigator)
    assert csrf_client.get(f"/api/juveniles/{juvenile.pk}").status_code == 200


REQUIRED = "This field is required."


def test_a_required_field_message_is_the_english_source_in_english(api, investigator):
    set_language(actor=investigator, language="en")
    payload = juvenile_payload()
    del payload["last_name"]
    response = send(api(investigator), "post", "/api/juveniles", payload)
    assert response.status_code == 422
    assert errors(response) == {"last_name": [REQUIRED]}


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_a_required_field_message_follows_the_users_language(api, investigator, language):
    """The message is the catalogue's text for the user's language.

    It differs from the English source exactly when the catalogue translates the string, so the
    test holds before and after translators fill the Kazakh catalogue. Russian is complete in
    Django's catalogue, so that case always proves a translation reaches the response.
    """
    set_language(actor=investigator, language=language)
    payload = juvenile_payload()
    del payload["last_name"]
    response = send(api(investigator), "post", "/api/juveniles", payload)
    assert response.status_code == 422
    assert list(errors(response)) == ["last_name"]
    message = errors(response)["last_name"][0]
    with translation.override(language):
        catalogue_text = translation.gettext(REQUIRED)
    if catalogue_text != REQUIRED:
        assert message == catalogue_text
        assert message != REQUIRED
    else:
        assert message == REQUIRED
    if language == "ru":
        assert message == "Обязательное поле."


def test_a_service_message_comes_back_in_english_for_an_english_user(api, investigator, juvenile):
    set_language(actor=investigator, language="en")
    payload = juvenile_payload(iin=juvenile.iin, birth_date=juvenile.birth_date.isoformat())
    response = send(api(investigator), "post", "/api/juveniles", payload)
    assert response.status_code == 422
    assert errors(response) == {"iin": ["A juvenile with this IIN is already registered."]}
    assert str(people_services.MESSAGE_DUPLICATE_IIN) == (
        "A juvenile with this IIN is already registered."
    )


def test_a_body_that_is_not_json_is_refused_with_400(api, investigator):
    client = api(investigator)
    before = counts()
    response = client.post("/api/juveniles", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert list(errors(response)) == ["__all__"]
    assert counts() == before


def test_an_unknown_field_is_named_and_refused(api, investigator):
    client = api(investigator)
    before = counts()
    response = send(client, "post", "/api/juveniles", juvenile_payload(registered_by_agency=1))
    assert response.status_code == 422
    assert list(errors(response)) == ["registered_by_agency"]
    assert counts() == before


def test_json_keeps_kazakh_letters_unescaped(api, investigator, juvenile):
    response = api(investigator).get(f"/api/juveniles/{juvenile.pk}")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    body = response.content.decode("utf-8")
    assert "Сейітов Нұрлан Қайратұлы" in body
    assert "\\u" not in body
