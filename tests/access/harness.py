"""Reading the access matrix (matrix.yaml) and asking one endpoint as one persona.

The format is described at the top of matrix.yaml and in docs/access.md.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from qorgau.api.api import api
from qorgau.core.versioning import current_version
from tests.access.world import World

MATRIX_FILE = Path(__file__).with_name("matrix.yaml")
# Keys of an entry that are not rules (see the top of matrix.yaml).
RESERVED = {"args", "query", "note", "like", "method", "if_match", "without_if_match"}
# API methods that change a versioned record: they must send If-Match (428 without it).
CONDITIONAL = {"PATCH", "PUT"}
ANONYMOUS = "anonymous"
CASE_PLUS = {"case", "agency"}


@functools.cache
def matrix() -> dict[str, Any]:
    with MATRIX_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


@dataclass(frozen=True)
class Expected:
    status: int
    shows: frozenset[str]
    rule: str  # the selector that matched, for the failure message


def role_of(persona: str) -> str:
    return persona.split("@")[0] if persona != ANONYMOUS else ""


def relation_of(persona: str) -> str:
    return persona.split("@")[1] if persona != ANONYMOUS else ANONYMOUS


def matches(term: str, persona: str) -> bool:
    """One word of a selector: `*`, `anonymous`, a role, a group, `@relation`, or a role or a
    group in a relation (`judge@case`, `case_readers@elsewhere`); `@case+` is `@case` or
    `@agency` (on the case, or a colleague in the same agency)."""
    if term in ("*", persona):
        return True
    if "@" in term:
        who, relation = term.split("@", 1)
        relations = CASE_PLUS if relation == "case+" else {relation}
        return relation_of(persona) in relations and (not who or matches(who, persona))
    groups: dict[str, list[str]] = matrix().get("groups", {})
    if term in groups:
        members = groups[term]
        return any(matches(m, persona) for m in members if not m.startswith("-")) and not any(
            matches(m[1:], persona) for m in members if m.startswith("-")
        )
    return role_of(persona) == term


def rules(section: str, name: str) -> list[tuple[str, Any]]:
    """The endpoint's rules in order, then those of the template it is `like`."""
    entry = entry_of(section, name)
    templates: dict[str, Any] = matrix().get("templates", {})
    own = [(key, value) for key, value in entry.items() if key not in RESERVED]
    if "like" in entry:
        own += rules_of_template(templates[entry["like"]])
    return own


def rules_of_template(template: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(key, value) for key, value in template.items() if key not in RESERVED]


def expected(section: str, name: str, persona: str) -> Expected:
    for selector, outcome in rules(section, name):
        if any(matches(term, persona) for term in str(selector).split()):
            words = str(outcome).split()
            return Expected(int(words[0]), frozenset(words[1:]), str(selector))
    raise AssertionError(f"{section} {name}: no rule matches {persona} (end with '*')")


# Enumerating the endpoints


def web_patterns() -> dict[str, str]:
    """Every named URL pattern outside the API, by name (namespaced names as `ns:name`)."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace)
            elif isinstance(pattern, URLPattern):
                name = pattern.name or (prefix + str(pattern.pattern))
                found[f"{namespace}:{name}" if namespace else name] = prefix + str(pattern.pattern)

    walk(get_resolver().url_patterns, "", None)
    # The API's own patterns are its operations (the `api` section), less its root.
    operations = {f"{api.urls_namespace}:{op}" for op in api_operations()}
    operations.add(f"{api.urls_namespace}:api-root")
    return {name: route for name, route in found.items() if name not in operations}


@functools.cache
def api_operations() -> dict[str, tuple[str, str]]:
    """Every API operation by its operation id: (method, path template)."""
    schema = api.get_openapi_schema()
    return {
        operation["operationId"]: (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }


# Asking


def entry_of(section: str, name: str) -> dict[str, Any]:
    """The entry's own keys (a bare template name is `{like: name}`)."""
    entry = matrix()[section][name] or {}
    return entry if isinstance(entry, dict) else {"like": entry}


def _args(world: World, spec: dict[str, str] | None) -> dict[str, Any]:
    return {key: world.ids[value] for key, value in (spec or {}).items()}


def _query(world: World, entry: dict[str, Any]) -> str:
    """The query string, with `{id}` replaced by the world's id (`before={audit_head}`)."""
    query = entry.get("query")
    return "?" + str(query).format(**world.ids) if query else ""


def web_request(world: World, name: str) -> tuple[str, str]:
    """GET, or `method: POST` for a view that only answers POST (its target must be harmless)."""
    entry = entry_of("web", name)
    route = web_patterns()[name]
    # A pattern without a name (favicon.ico) is listed by its route.
    kwargs = _args(world, entry.get("args")) or None
    url = "/" + route if name == route else reverse(name, kwargs=kwargs)
    return str(entry.get("method", "GET")), url + _query(world, entry)


def api_request(world: World, operation: str) -> tuple[str, str]:
    entry = entry_of("api", operation)
    method, path = api_operations()[operation]
    values = _args(world, entry.get("args"))
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    return method, url + _query(world, entry)


def request(world: World, section: str, name: str) -> tuple[str, str]:
    return web_request(world, name) if section == "web" else api_request(world, name)


def versioned_record(world: World, section: str, name: str) -> tuple[type[Any], Any] | None:
    """The record whose version a PATCH or PUT must send in If-Match: `if_match: <id>`, or the
    entry's only arg; None for every other request."""
    if section != "api" or api_operations()[name][0] not in CONDITIONAL:
        return None
    entry = entry_of(section, name)
    ids = list((entry.get("args") or {}).values())
    key = entry.get("if_match") or (ids[0] if len(ids) == 1 else None)
    if key not in world.versioned:
        raise AssertionError(f"api {name}: name its record with `if_match: <id>` ({ids})")
    return world.versioned[key], world.ids[key]


def if_match(world: World, section: str, name: str) -> dict[str, str]:
    """The If-Match header with the record's version as stored now (a reading just before)."""
    record = versioned_record(world, section, name)
    if record is None:
        return {}
    return {"If-Match": f'W/"{current_version(*record)}"'}


def ask(
    client: Client, method: str, url: str, headers: dict[str, str] | None = None
) -> tuple[int, str]:
    if method == "GET":
        response = client.get(url, headers=headers)
    elif url.startswith("/api/"):
        response = client.generic(
            method, url, "{}", content_type="application/json", headers=headers
        )
    else:
        response = client.post(url, headers=headers)  # a form posted empty
    streamed = response.streaming
    body = b"".join(response.streaming_content) if streamed else response.content  # type: ignore[arg-type]
    return response.status_code, body.decode("utf-8", errors="replace")


def leaks(world: World, body: str, shows: frozenset[str], own_name: str) -> list[str]:
    """The tokens the body shows although the matrix does not allow them."""
    found = []
    for token, strings in world.secrets.items():
        if token in shows:
            continue
        if any(s and s != own_name and s in body for s in strings):
            found.append(token)
    return found
