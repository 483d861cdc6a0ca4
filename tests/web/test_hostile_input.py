"""Hostile input to the web pages: a clear 400 or a form error, never a 500; script stays text."""

import pytest
from django.urls import reverse

from qorgau.people.models import Juvenile
from tests import factories
from tests.web.test_pages import juvenile_post

NUL_KK = "Бұл мәнде NUL таңбасы (U+0000) бар, оған рұқсат етілмейді."
SCRIPT = '<script>alert("x")</script>'


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_a_nul_in_the_search_is_a_clear_400_page(signed_in, investigator):
    response = signed_in(investigator).get("/juveniles/?q=a%00b")
    assert response.status_code == 400
    page = response.content.decode()
    assert NUL_KK in page
    assert "q" in page
    assert "<h1" in page


def test_the_400_page_is_in_russian_when_asked(signed_in, investigator):
    response = signed_in(investigator).get("/juveniles/?q=a%00b", HTTP_ACCEPT_LANGUAGE="ru")
    assert "Значение содержит символ NUL (U+0000)" in response.content.decode()


def test_a_nul_in_a_form_field_is_a_form_error_and_nothing_is_saved(signed_in, investigator):
    before = Juvenile.objects.count()
    response = signed_in(investigator).post(
        reverse("juvenile_create"), juvenile_post(school="№ 52\x00 мектеп")
    )
    assert response.status_code in {200, 422}
    assert response.context["form"].errors["school"]
    assert Juvenile.objects.count() == before


def test_oversized_text_is_a_form_error(signed_in, investigator):
    before = Juvenile.objects.count()
    response = signed_in(investigator).post(
        reverse("juvenile_create"), juvenile_post(school="я" * 5000)
    )
    assert response.status_code in {200, 422}
    assert response.context["form"].errors["school"]
    assert Juvenile.objects.count() == before


def test_a_body_over_the_upload_limit_is_a_400_page_not_a_500(signed_in, investigator, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = signed_in(investigator).post(
        reverse("juvenile_create"), juvenile_post(family_notes="я" * 20_000)
    )
    assert response.status_code == 400
    assert "<h1" in response.content.decode()


def test_a_year_1_date_in_a_form_is_a_form_error(signed_in, investigator):
    response = signed_in(investigator).post(
        reverse("juvenile_create"), juvenile_post(iin="", birth_date=("1", "1", "1001"))
    )
    assert response.status_code in {200, 422}
    assert response.context["form"].errors["birth_date"]


def test_a_year_1_period_of_response_times_is_a_form_error_not_a_500(signed_in, investigator):
    client = signed_in(investigator)
    response = client.get(reverse("response_times"), {"end": "0001-01-01"})
    assert response.status_code == 200
    assert "1900-01-01" in response.context["form"].errors["end"][0]
    response = client.get(reverse("response_times"), {"end": "2000-01-01"})
    assert response.status_code == 200
    assert "01.01.2000" in response.context["form"].errors["end"][0]


def test_script_in_a_text_field_is_shown_as_text(signed_in, investigator):
    juvenile = factories.juvenile(investigator, school=SCRIPT, address=SCRIPT)
    page = signed_in(investigator).get(reverse("juvenile_detail", args=[juvenile.pk]))
    html = page.content.decode()
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_script_in_an_api_answer_is_json_text_not_markup(client, investigator):
    juvenile = factories.juvenile(investigator, school=SCRIPT)
    client.force_login(investigator)
    response = client.get(f"/api/juveniles/{juvenile.pk}")
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["school"] == SCRIPT
    assert response["X-Content-Type-Options"] == "nosniff"
