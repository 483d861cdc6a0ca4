"""Hostile input for the whole API: schemathesis, every operation, all phases, as each role.

The demo installation is built once; then, for every role, schemathesis's engine runs the
examples, coverage, fuzzing and stateful phases over all operations with a small budget,
in-process against the WSGI application, signed in with a session cookie and the CSRF header.
A server error, an answer that breaks its declared schema, an undeclared status code or a
wrong content type fails the test. `bench/fuzz.py` runs the same with a large budget against a
live server.

The engine runs its requests in threads of its own, which see only committed rows: hence the
transactional database (and a flush with the reference data restored at the end).

The coverage phase's invalid requests (negative mode, three in four of its requests) are
refused by the schema's validation before any view looks at the role: the answers are the
same 2,470 422s for every role. On SQLite every role sends them; on PostgreSQL, where a
request costs twice as much, one role does, and every role sends all the rest.
"""

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test import Client
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events as engine_events
from schemathesis.engine import from_schema

from qorgau.accounts.models import User
from qorgau.demo.generator import load_demo
from tests.flushable import audit_trail_flushable, audit_triggers_restored  # noqa: F401

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

# Demo logins: the roles of the issue, each with a different reach.
ROLES = {
    "investigator": "investigator",
    "prosecutor": "prosecutor",
    "defence lawyer": "defender",
    "social psychologist": "psychologist",
    "analyst": "analyst",
    "administrator": "admin",
}
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "response_schema_conformance",
    "content_type_conformance",
)
PHASES = ("examples", "coverage", "fuzzing", "stateful")
# The role that sends the coverage phase's invalid requests on every database (see above).
NEGATIVE_COVERAGE_ROLE = "investigator"
STATUSES: Counter[int] = Counter()


@dataclass(frozen=True)
class Failure:
    role: str
    operation: str
    check: str
    detail: str

    def __str__(self) -> str:
        return f"{self.role}: {self.operation}: {self.check}: {self.detail}"


def session_cookies(user: User) -> dict[str, str]:
    """The cookies of a signed-in session (`sessionid`) with its CSRF cookie (`csrftoken`)."""
    client = Client()
    client.force_login(user)
    assert client.get("/api/me").status_code == 200
    return {name: morsel.value for name, morsel in client.cookies.items()}


def signed_in(schema, cookies: dict[str, str]) -> None:
    """Every generated request carries the session and CSRF cookies and the CSRF header.

    Set through an auth provider, not as a Cookie header: the transport sets the cookies of
    the security scheme itself, and those would replace a Cookie header.
    """

    @schema.auth()
    class Session:
        def get(self, case, context):
            return cookies

        def set(self, case, data, context):
            case.cookies = {**(case.cookies or {}), **data}
            case.headers = {**(case.headers or {}), "X-CSRFToken": data["csrftoken"]}


def config(max_examples: int, negative_coverage: bool = True) -> SchemathesisConfig:
    all_checks = (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
        "positive_data_acceptance",
        "missing_required_header",
        "unsupported_method",
        "use_after_free",
        "ensure_resource_availability",
        "ignored_auth",
    )
    return SchemathesisConfig.from_dict(
        {
            "seed": 2026,
            "workers": 1,
            "generation": {"max-examples": max_examples},
            "phases": {
                **{phase: {"enabled": True} for phase in PHASES},
                # PUT, DELETE and TRACE on every path stand for the methods no route has.
                "coverage": {
                    "unexpected-methods": ["put", "delete", "trace"],
                    "generation": {"mode": "all" if negative_coverage else "positive"},
                },
                "stateful": {"max-steps": 6},
            },
            "checks": {name: {"enabled": name in CHECKS} for name in all_checks},
            "suppress-health-check": ["all"],
            "continue-on-failure": True,
        }
    )


@contextmanager
def kept_connections() -> Iterator[object]:
    """A WSGI application whose threads keep their database connection from one request to the
    next, as production does with DATABASE_CONN_MAX_AGE; all are closed when the run is done.

    With the default of 0 every request opened a connection of its own, which on PostgreSQL
    took a third of the run's time.
    """
    handler = get_wsgi_application()
    settings_dict = connections.settings[DEFAULT_DB_ALIAS]
    own = connections[DEFAULT_DB_ALIAS]  # the test's: as it was
    opened = []

    def app(environ, start_response):
        connection = connections[DEFAULT_DB_ALIAS]
        if connection is not own and connection not in opened:
            connection.inc_thread_sharing()  # closed below, from this thread
            opened.append(connection)
        return handler(environ, start_response)

    before = settings_dict["CONN_MAX_AGE"]
    settings_dict["CONN_MAX_AGE"] = None
    try:
        yield app
    finally:
        settings_dict["CONN_MAX_AGE"] = before
        for connection in opened:
            connection.close()
            connection.dec_thread_sharing()


def fuzz(
    role: str,
    user: User,
    max_examples: int,
    only: str | None = None,
    negative_coverage: bool = True,
) -> tuple[int, set[str], list[Failure]]:
    """Run all phases over all operations (or the paths matching `only`) as the user:
    (requests, operations, failures)."""
    with kept_connections() as app:
        return _fuzz(app, role, user, config(max_examples, negative_coverage), only)


def _fuzz(
    app, role: str, user: User, run_config: SchemathesisConfig, only: str | None
) -> tuple[int, set[str], list[Failure]]:
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, config=run_config)
    signed_in(schema, session_cookies(user))
    if only is not None:
        schema = schema.include(path_regex=only)
    requests, operations, failures = 0, set(), []
    for event in from_schema(schema).execute():
        if isinstance(event, engine_events.ScenarioFinished):
            recorder = event.recorder
            operations.add(recorder.label)
            requests += len(recorder.interactions)
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    STATUSES[interaction.response.status_code] += 1
            for checks in recorder.checks.values():
                for check in checks:
                    if check.status.name == "FAILURE":
                        info = check.failure_info
                        detail = info.failure.title if info is not None else ""
                        failures.append(Failure(role, recorder.label, check.name, detail))
        elif isinstance(event, engine_events.NonFatalError | engine_events.FatalError):
            failures.append(Failure(role, getattr(event, "label", "-"), "error", str(event)))
    return requests, operations, failures


@pytest.mark.long
@pytest.mark.usefixtures("audit_trail_flushable")
def test_no_operation_fails_for_any_role(settings):
    settings.ALLOWED_HOSTS = ["*"]
    load_demo()
    operation_count = len(
        [
            o
            for methods in Client().get("/api/openapi.json").json()["paths"].values()
            for o in methods
        ]
    )
    failures: list[Failure] = []
    every_role_negative = connection.vendor == "sqlite"
    for role, username in ROLES.items():
        negative = every_role_negative or role == NEGATIVE_COVERAGE_ROLE
        user = User.objects.get(username=username)
        requests, operations, found = fuzz(role, user, 2, negative_coverage=negative)
        # Every operation was exercised as this role, and not only by a handful of requests.
        assert len([o for o in operations if o.startswith(("GET", "POST", "PATCH", "PUT"))]) >= (
            operation_count
        ), role
        assert requests > 5 * operation_count, (role, requests)
        failures.extend(found)
    assert not failures, "\n".join(str(f) for f in sorted(set(failures), key=str))


@pytest.mark.usefixtures("audit_trail_flushable")
def test_a_server_error_would_fail_the_run(settings, monkeypatch, analyst):
    """The harness itself: an operation that crashes is reported, with the check that saw it."""
    settings.ALLOWED_HOSTS = ["*"]

    def crash(request):
        raise RuntimeError("boom")

    monkeypatch.setattr("qorgau.api.reference.acting_user", crash)
    requests, _, failures = fuzz("analyst", analyst, 1, only="^/api/territories$")
    assert requests > 0
    assert {(f.operation, f.check) for f in failures} >= {
        ("GET /api/territories", "not_a_server_error")
    }
