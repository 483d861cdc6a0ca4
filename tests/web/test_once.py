"""One record per creating form: the same POST sent twice (double click, resend) creates one row."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from qorgau.people.models import Juvenile, Relative
from qorgau.proceedings.models import Proceeding
from qorgau.web import once
from qorgau.web.models import FormSubmission
from tests import factories
from tests.web.test_cases import case_post, minor
from tests.web.test_pages import juvenile_post

TOKEN = re.compile(r'name="_once" value="([0-9a-f]{32})"')


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def token_of(response) -> str:
    found = TOKEN.findall(response.content.decode())
    assert len(found) == 1, "the form carries exactly one one-time token"
    return found[0]


def shown(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_each_showing_of_a_creating_form_carries_a_new_token(signed_in, investigator):
    client = signed_in(investigator)
    first = token_of(client.get(reverse("juvenile_create")))
    second = token_of(client.get(reverse("juvenile_create")))
    assert first != second


def test_registering_a_juvenile_twice_with_one_form_creates_one(signed_in, investigator):
    client = signed_in(investigator)
    data = juvenile_post(_once=token_of(client.get(reverse("juvenile_create"))))

    first = client.post(reverse("juvenile_create"), data)
    second = client.post(reverse("juvenile_create"), data)

    juvenile = Juvenile.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == reverse("juvenile_detail", args=[juvenile.pk])
    with translation.override("kk"):
        expected = str(once.MESSAGE_ALREADY_SENT)
    assert expected in shown(second)
    assert FormSubmission.objects.get().location == first["Location"]


def test_a_form_that_came_back_with_errors_may_be_sent_again(signed_in, investigator):
    client = signed_in(investigator)
    token = token_of(client.get(reverse("juvenile_create")))

    refused = client.post(reverse("juvenile_create"), juvenile_post(last_name="", _once=token))
    assert refused.status_code == 200
    assert not FormSubmission.objects.exists()  # nothing was created: the token was given back
    assert token_of(refused) != token  # the form shown again has its own token

    corrected = client.post(reverse("juvenile_create"), juvenile_post(_once=token))
    assert corrected.status_code == 302
    assert Juvenile.objects.count() == 1


def test_without_a_token_the_form_still_works(signed_in, investigator):
    response = signed_in(investigator).post(reverse("juvenile_create"), juvenile_post())
    assert response.status_code == 302
    assert Juvenile.objects.count() == 1
    assert not FormSubmission.objects.exists()


def test_a_token_is_the_users_own(client, investigator, auezov_investigation):
    colleague = factories.staff("investigator", auezov_investigation, username="colleague")
    token = "0" * 32
    client.force_login(investigator)
    client.post(reverse("juvenile_create"), juvenile_post(_once=token))
    client.force_login(colleague)
    other = juvenile_post(_once=token, iin=factories.valid_iin(datetime.date(2011, 5, 9)))
    response = client.post(reverse("juvenile_create"), other)
    assert response.status_code == 302
    assert Juvenile.objects.count() == 2


def test_opening_a_case_twice_with_one_form_creates_one(signed_in, investigator, prosecutor):
    client = signed_in(investigator)
    data = case_post(investigator, prosecutor, minor(investigator))
    data["_once"] = token_of(client.get(reverse("case_create")))

    first = client.post(reverse("case_create"), data)
    second = client.post(reverse("case_create"), data)

    case = Proceeding.objects.get()
    assert first.status_code == second.status_code == 302
    assert second["Location"] == reverse("case_detail", args=[case.pk])


def test_adding_a_relative_twice_with_one_form_adds_one(signed_in, investigator, juvenile):
    client = signed_in(investigator)
    url = reverse("relative_create", args=[juvenile.pk])
    data = {
        "relation": "mother",
        "last_name": "Сейітова",
        "first_name": "Гүлмира",
        "phone": "+7 701 123 45 67",
        "_once": token_of(client.get(url)),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Relative.objects.filter(juvenile=juvenile).count() == 1


def test_a_resend_while_the_first_is_still_saving_creates_nothing(
    signed_in, investigator, monkeypatch
):
    client = signed_in(investigator)
    token = "1" * 32
    FormSubmission.objects.create(user=investigator, token=token, path="/juveniles/new/")
    monkeypatch.setattr(once, "WAIT_SECONDS", 0.2)

    response = client.post(reverse("juvenile_create"), juvenile_post(_once=token))

    assert response.status_code == 302
    assert response["Location"] == reverse("juvenile_create")
    assert not Juvenile.objects.exists()
    with translation.override("kk"):
        expected = str(once.MESSAGE_STILL_SAVING)
    assert expected in shown(response)
