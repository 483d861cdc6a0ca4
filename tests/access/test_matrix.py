"""The access matrix as tests: every page and API operation, asked by every persona.

tests/access/matrix.yaml says, per endpoint, what each role answers in each relation to the
child's case and which identifying things it may show; tests/access/world.py builds the
world once per module. A page or operation missing from the matrix fails the first test.

`QORGAU_MATRIX_OBSERVE=1 pytest tests/access/test_matrix.py -k observe -s` prints what each
persona gets from every endpoint: a start for the line of a new page.
"""

import os
from collections import defaultdict
from collections.abc import Iterator

import pytest
from django.test import Client

from qorgau.accounts.models import Role
from qorgau.core.versioning import current_version
from tests.access import harness
from tests.access.world import RELATIONS, World, built_once

RELATIONS_PLUS = [*RELATIONS, "case+"]
WEB = sorted(harness.matrix()["web"])
API = sorted(harness.matrix()["api"])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with built_once(django_db_blocker) as built:
        yield built


@pytest.fixture(scope="module")
def clients(world: World, django_db_blocker) -> dict[str, Client]:
    result = {}
    with django_db_blocker.unblock():
        for persona, user in world.personas.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            result[persona] = client
    return result


def test_every_endpoint_is_in_the_matrix():
    found = {"web": set(harness.web_patterns()), "api": set(harness.api_operations())}
    problems = []
    for section, endpoints in found.items():
        listed = set(harness.matrix()[section])
        if endpoints - listed:
            problems.append(f"missing from matrix.yaml ({section}): {sorted(endpoints - listed)}")
        if listed - endpoints:
            problems.append(f"in matrix.yaml ({section}), gone: {sorted(listed - endpoints)}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_the_matrix_is_well_formed(world):
    """Every word, id, status and token is known, and a rule answers every persona."""
    known = {"*", harness.ANONYMOUS, *Role.values, *harness.matrix()["groups"]}
    tokens = {"count", *world.secrets}
    problems = []
    for section in ("web", "api"):
        for name, entry in harness.matrix()[section].items():
            entry = entry if isinstance(entry, dict) else {"like": entry}
            if "like" in entry and entry["like"] not in harness.matrix()["templates"]:
                problems.append(f"{section} {name}: no template {entry['like']!r}")
                continue
            for arg in (entry.get("args") or {}).values():
                if arg not in world.ids:
                    problems.append(f"{section} {name}: no id {arg!r} in the world")
            selectors = [selector for selector, _ in harness.rules(section, name)]
            for word in " ".join([*selectors, str(entry.get("without_if_match", ""))]).split():
                who, _, relation = word.partition("@")
                if (who and who not in known) or (relation and relation not in RELATIONS_PLUS):
                    problems.append(f"{section} {name}: unknown word {word!r}")
            for _selector, outcome in harness.rules(section, name):
                status, *shows = str(outcome).split()
                if not status.isdigit() or set(shows) - tokens:
                    problems.append(f"{section} {name}: bad outcome {outcome!r}")
            for persona in world.personas:
                harness.expected(section, name, persona)
            problems += _conditional_problems(world, section, name, entry)
    assert not problems, "\n".join(problems)


def _conditional_problems(world: World, section: str, name: str, entry: dict) -> list[str]:
    """A PATCH or PUT names its versioned record and who gets 428 without If-Match, and
    everyone it lets write (2xx) is among them: no change goes through without If-Match."""
    if "method" in entry and (section != "web" or entry["method"] not in ("GET", "POST")):
        return [f"{section} {name}: method is GET (default) or POST, for pages only"]
    try:
        record = harness.versioned_record(world, section, name)
    except AssertionError as error:
        return [str(error)]
    if record is None:
        extra = {"if_match", "without_if_match"} & set(entry)
        return [f"{section} {name}: {sorted(extra)} only for PATCH and PUT"] if extra else []
    if "without_if_match" not in entry:
        return [f"{section} {name}: say who gets 428 without If-Match (`without_if_match`)"]
    refused = str(entry["without_if_match"]).split()
    return [
        f"{section} {name}: {persona} may write (2xx) but is not in without_if_match"
        for persona in world.personas
        if 200 <= harness.expected(section, name, persona).status < 300
        and not any(harness.matches(term, persona) for term in refused)
    ]


# What an analyst may be shown: figures, and the consultations' contact list (staff names).
ANALYST_MAY_SEE = {"count", "staff"}


@pytest.mark.django_db
def test_analysts_see_figures_only(world):
    """The issue's rule as a check of the data: no line lets an analyst see a record."""
    analyst = next(p for p in world.personas if p.startswith("analyst@"))
    for section in ("web", "api"):
        for name in harness.matrix()[section]:
            want = harness.expected(section, name, analyst)
            assert want.shows <= ANALYST_MAY_SEE, f"{section} {name} shows {set(want.shows)}"


def _check(world: World, clients: dict[str, Client], section: str, name: str) -> None:
    method, url = harness.request(world, section, name)
    failures = []
    for persona, client in clients.items():
        want = harness.expected(section, name, persona)
        # A change of a versioned record sends the version stored now, as a client that has
        # just read it would: the answer then says who may write, not whether they read first.
        headers = harness.if_match(world, section, name)
        status, body = harness.ask(client, method, url, headers)
        user = world.personas[persona]
        own = user.get_full_name() if user is not None else ""
        leaked = harness.leaks(world, body, want.shows, own)
        if status != want.status or leaked:
            shown = f", shows {leaked} not allowed" if leaked else ""
            failures.append(
                f"  {persona}: {status} (matrix: {want.status} by '{want.rule}'){shown}"
            )
    assert not failures, f"{method} {url} ({section} {name}):\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", WEB)
def test_web(world, clients, name):
    _check(world, clients, "web", name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", API)
def test_api(world, clients, name):
    _check(world, clients, "api", name)


CONDITIONAL = sorted(
    name for name in API if harness.api_operations()[name][0] in harness.CONDITIONAL
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", CONDITIONAL)
def test_api_without_if_match(world, clients, name):
    """A PATCH or PUT without If-Match: 428 and nothing written for those the line's
    `without_if_match` names; everyone else gets what they get with it (the version check
    tells nobody about a record they may not see or change)."""
    method, url = harness.api_request(world, name)
    model, pk = harness.versioned_record(world, "api", name)  # type: ignore[misc]
    refused = str(harness.entry_of("api", name)["without_if_match"]).split()
    failures = []
    for persona, client in clients.items():
        want = harness.expected("api", name, persona)
        if any(harness.matches(term, persona) for term in refused):
            expected, rule = 428, "without_if_match"
        else:
            expected, rule = want.status, want.rule
        before = current_version(model, pk)
        status, _body = harness.ask(client, method, url)
        if status != expected or current_version(model, pk) != before:
            failures.append(f"  {persona}: {status} (matrix: {expected} by '{rule}')")
    assert not failures, f"{method} {url} without If-Match (api {name}):\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.skipif(not os.environ.get("QORGAU_MATRIX_OBSERVE"), reason="a tool, not a test")
def test_observe(world, clients):
    """Print, for every endpoint of the resolver and the schema, who gets what (and, for a
    PATCH or PUT, who gets what without If-Match)."""
    every = [("web", n) for n in sorted(harness.web_patterns())]
    every += [("api", n) for n in sorted(harness.api_operations())]
    only = os.environ["QORGAU_MATRIX_OBSERVE"].split(",")
    for section, name in every:
        if only != ["1"] and name not in only:
            continue
        try:
            method, url = harness.request(world, section, name)
            conditional = harness.versioned_record(world, section, name) is not None
        except Exception as error:
            print(f"\n{section} {name}: cannot build the request ({error!r})")
            continue
        for with_tag in (True, False) if conditional else (True,):
            outcomes: dict[str, list[str]] = defaultdict(list)
            for persona, client in clients.items():
                headers = harness.if_match(world, section, name) if with_tag else {}
                try:
                    status, body = harness.ask(client, method, url, headers)
                except Exception as error:
                    outcomes[f"ERROR {error!r}"[:120]].append(persona)
                    continue
                user = world.personas[persona]
                own = user.get_full_name() if user is not None else ""
                shown = harness.leaks(world, body, frozenset(), own)
                outcomes[" ".join([str(status), *shown])].append(persona)
            how = "" if with_tag else " (without If-Match)"
            print(f"\n{section} {name}: {method} {url}{how}")
            for outcome, personas in sorted(outcomes.items()):
                print(f"  {outcome}: {' '.join(personas)}")
