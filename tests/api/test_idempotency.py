"""Idempotency-Key: a creating request sent again after a lost answer creates nothing twice."""

import datetime
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from qorgau.api.idempotency import MESSAGE_KEY_INVALID, MESSAGE_KEY_REUSED
from qorgau.api.models import IdempotentRequest
from qorgau.api.services import purge_expired
from qorgau.people.models import Juvenile
from tests.api.conftest import errors, juvenile_payload, send, translated


def register(client, payload, key):
    return send(client, "post", "/api/juveniles", payload, headers={"Idempotency-Key": key})


def test_a_retry_with_the_same_key_gets_the_first_answer_and_creates_nothing(api, investigator):
    client = api(investigator)
    payload = juvenile_payload()

    first = register(client, payload, "3f1c-retry")
    again = register(client, payload, "3f1c-retry")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Juvenile.objects.count() == 1


def test_the_same_body_written_differently_is_the_same_request(api, investigator):
    client = api(investigator)
    payload = juvenile_payload()
    first = register(client, payload, "k1")
    reordered = dict(reversed(list(payload.items())))
    raw = json.dumps(reordered, indent=2)
    again = client.post(
        "/api/juveniles", raw, content_type="application/json", headers={"Idempotency-Key": "k1"}
    )
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert Juvenile.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(api, investigator):
    client = api(investigator)
    register(client, juvenile_payload(), "k2")
    other = register(
        client, juvenile_payload(first_name="Асан", iin=None, no_iin_reason="not_issued"), "k2"
    )
    assert other.status_code == 422
    assert errors(other) == {"Idempotency-Key": [translated("kk", MESSAGE_KEY_REUSED)]}
    assert Juvenile.objects.count() == 1


def test_without_a_key_each_request_stands_alone(api, investigator):
    client = api(investigator)
    payload = juvenile_payload(iin=None, no_iin_reason="not_issued")
    assert send(client, "post", "/api/juveniles", payload).status_code == 201
    assert send(client, "post", "/api/juveniles", payload).status_code == 201
    assert Juvenile.objects.count() == 2


def test_keys_are_per_user(api, investigator, auezov_investigation):
    from tests import factories

    colleague = factories.staff("investigator", auezov_investigation, username="colleague")
    payload = juvenile_payload()
    assert register(api(investigator), payload, "shared").status_code == 201
    # The colleague's same key is their own: their request runs (and meets the duplicate IIN).
    answer = register(api(colleague), payload, "shared")
    assert answer.status_code == 422
    assert "Idempotent-Replayed" not in answer


def test_a_refused_request_frees_its_key(api, investigator):
    client = api(investigator)
    bad = register(client, juvenile_payload(last_name=""), "k3")
    assert bad.status_code == 422
    assert not IdempotentRequest.objects.exists()
    good = register(client, juvenile_payload(last_name=""), "k3")
    assert good.status_code == 422  # ran again, not replayed
    fixed = register(client, juvenile_payload(), "k3")
    assert fixed.status_code == 201


@pytest.mark.parametrize("key", ["", " padded ", "x" * 256, "кілт"])
def test_an_unusable_key_is_refused_and_nothing_is_created(api, investigator, key):
    response = register(api(investigator), juvenile_payload(), key)
    assert response.status_code == 422
    assert errors(response) == {"Idempotency-Key": [translated("kk", MESSAGE_KEY_INVALID)]}
    assert Juvenile.objects.count() == 0


def test_a_key_in_use_by_a_running_request_answers_409(api, investigator):
    client = api(investigator)
    payload = juvenile_payload()
    first = register(client, payload, "k4")
    IdempotentRequest.objects.filter(key="k4").update(status=None)  # as if still running
    again = register(client, payload, "k4")
    assert again.status_code == 409
    assert first.status_code == 201
    assert Juvenile.objects.count() == 1


def test_kept_answers_expire(api, investigator, settings):
    settings.QORGAU_IDEMPOTENCY_HOURS = 24
    client = api(investigator)
    register(client, juvenile_payload(), "old")
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(hours=25))
    assert purge_expired() == 1
    assert not IdempotentRequest.objects.exists()


def test_the_cleanup_command_deletes_expired_answers(api, investigator):
    register(api(investigator), juvenile_payload(), "old")
    IdempotentRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    call_command("purge_idempotency_keys", verbosity=0)
    assert not IdempotentRequest.objects.exists()


def test_every_post_declares_the_key_and_its_answers(client, db):
    schema = client.get("/api/openapi.json").json()
    posts = [(path, m["post"]) for path, m in schema["paths"].items() if "post" in m]
    assert posts
    for path, operation in posts:
        names = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
        assert "Idempotency-Key" in names, path
        assert {"409", "422"} <= set(operation["responses"]), path
