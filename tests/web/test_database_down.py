"""The database going away: 503 for every request, with or without a session, then recovery.

Two ways to lose it: every connection attempt refused (simulated, both backends), and, on
PostgreSQL, the connection pointed at a port where nothing listens. The shared server is never
stopped.
"""

import socket

import pytest
from django.db import OperationalError, connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from qorgau.accounts.models import User
from tests.flushable import audit_trail_flushable, audit_triggers_restored  # noqa: F401

UNAVAILABLE_KK = "Қызмет уақытша қолжетімсіз: оның дерекқоры жауап бермейді."
UNAVAILABLE_RU = "Сервис временно недоступен: его база данных не отвечает."


@pytest.fixture
def signed_in(investigator: User) -> Client:
    """A client holding a session cookie, made while the database still answered."""
    client = Client(raise_request_exception=False)
    client.force_login(investigator)
    return client


@pytest.fixture
def anonymous(db) -> Client:
    return Client(raise_request_exception=False)


class Outage:
    """Every connection attempt refused, as by a stopped server, until `end()`."""

    def __init__(self) -> None:
        self.real = BaseDatabaseWrapper.ensure_connection

        def refused(wrapper):
            raise OperationalError("connection refused (the test stopped the database)")

        # Also for the test's own open connection, which the requests below share.
        BaseDatabaseWrapper.ensure_connection = refused  # type: ignore[method-assign]

    def end(self) -> None:
        BaseDatabaseWrapper.ensure_connection = self.real  # type: ignore[method-assign]


@pytest.fixture
def database_down(db):
    """Set up after the test database, so the outage ends before its rollback."""
    outage = Outage()
    yield outage
    outage.end()


def assert_api_unavailable(response) -> None:
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert [item["field"] for item in detail] == ["__all__"]
    assert detail[0]["message"].startswith(UNAVAILABLE_KK)
    assert response["Retry-After"]


def test_healthz_answers_503_with_or_without_a_session(signed_in, anonymous, database_down):
    for client in (signed_in, anonymous):
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "database": "unreachable"}


def test_the_api_answers_503_in_its_error_shape(signed_in, database_down):
    assert_api_unavailable(signed_in.get("/api/me"))
    assert_api_unavailable(signed_in.get("/api/juveniles"))


def test_an_api_write_answers_503_and_writes_nothing(signed_in, database_down):
    response = signed_in.post("/api/juveniles", data="{}", content_type="application/json")
    assert_api_unavailable(response)


def test_a_page_answers_503_with_a_translated_page(signed_in, database_down):
    response = signed_in.get("/juveniles/")
    assert response.status_code == 503
    page = response.content.decode()
    assert "<h1" in page and UNAVAILABLE_KK in page
    russian = signed_in.get("/juveniles/", HTTP_ACCEPT_LANGUAGE="ru")
    assert UNAVAILABLE_RU in russian.content.decode()


def test_the_sign_in_page_answers_503_without_a_session(anonymous, database_down):
    assert anonymous.post("/login/", {"username": "x", "password": "y"}).status_code == 503


def test_it_recovers_when_the_database_returns(signed_in, database_down):
    assert signed_in.get("/api/me").status_code == 503
    database_down.end()
    assert signed_in.get("/healthz").status_code == 200
    assert signed_in.get("/api/me").status_code == 200
    assert signed_in.get("/juveniles/").status_code == 200


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # free once closed: nothing listens there


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("audit_trail_flushable")
def test_postgresql_at_a_closed_port_gives_503_then_recovers(investigator):
    client = Client(raise_request_exception=False)
    client.force_login(investigator)
    settings_dict = connection.settings_dict
    saved = (settings_dict["HOST"], settings_dict["PORT"])
    connection.close()
    settings_dict["HOST"], settings_dict["PORT"] = "127.0.0.1", closed_port()
    try:
        assert client.get("/healthz").status_code == 503
        assert_api_unavailable(client.get("/api/me"))
        assert client.get("/juveniles/").status_code == 503
    finally:
        connection.close()
        settings_dict["HOST"], settings_dict["PORT"] = saved
    assert client.get("/healthz").status_code == 200
    assert client.get("/api/me").status_code == 200
