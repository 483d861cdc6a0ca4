"""Helpers for calling the JSON API as one of the personas."""

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from qorgau.accounts.models import User
from qorgau.audit.models import AuditEvent
from qorgau.people.models import Juvenile, Relative
from tests import factories


def send(
    client: Client,
    method: str,
    path: str,
    payload: Any = None,
    *,
    if_match: str | None = None,
    headers: dict[str, str] | None = None,
):
    """An API call with a JSON body; `method` is get, post, patch or put."""
    call = getattr(client, method)
    headers = dict(headers or {})
    if if_match is not None:
        headers["If-Match"] = if_match
    if method == "get":
        return call(path, headers=headers)
    return call(
        path, data=json.dumps(payload or {}), content_type="application/json", headers=headers
    )


def tag(record: Any) -> str:
    """The ETag a client holds after reading `record` as it is stored now."""
    record.refresh_from_db()
    return f'W/"{record.version}"'


def errors(response) -> dict[str, list[str]]:
    """The error detail of a response as {field: [messages]}."""
    found: dict[str, list[str]] = {}
    for item in response.json()["detail"]:
        found.setdefault(item["field"], []).append(item["message"])
    return found


def translated(language: str, message: Any, **params: Any) -> str:
    """A message as the API gives it in `language` (whatever the catalogues hold today)."""
    with translation.override(language):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
        return text % params if params else text


def latest(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).first()
    assert event is not None, f"no {action} event"
    return event


def assert_audited(action: str, actor: User, subject_id: object = "") -> AuditEvent:
    event = latest(action)
    assert event.actor_id == actor.pk
    assert event.subject_id == str(subject_id)
    assert event.channel == "api"
    return event


def counts() -> tuple[int, int, int]:
    """Rows that a refused write must leave as they were (its own `access.refused` row aside)."""
    events = AuditEvent.objects.exclude(action="access.refused")
    return Juvenile.objects.count(), Relative.objects.count(), events.count()


def juvenile_payload(**fields: Any) -> dict[str, Any]:
    birth_date = datetime.date(2011, 6, 15)
    data: dict[str, Any] = {
        "last_name": "Жұмабеков",
        "first_name": "Ерлан",
        "patronymic": "Серікұлы",
        "iin": factories.valid_iin(birth_date, "male"),
        "birth_date": birth_date.isoformat(),
        "sex": "male",
        "address_territory": factories.AUEZOV,
        "school": "№ 41 мектеп",
        "low_income_family": True,
    }
    data.update(fields)
    return data


@pytest.fixture
def api(client: Client):
    """`api(user)` gives the test client signed in as that user."""

    def signed_in(user: User) -> Client:
        client.force_login(user)
        return client

    return signed_in
