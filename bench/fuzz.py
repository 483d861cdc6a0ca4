"""The full hostile-input run: schemathesis against a live Qorgau, once per role.

    .venv/bin/python bench/fuzz.py --url http://127.0.0.1:8000 --max-examples 100

Signs in through the web login form as each demo user (password `qorgau-demo-2026` unless
`--password`), then runs schemathesis's engine over /api/openapi.json: every operation, all
phases (examples, coverage, fuzzing, stateful), with the checks the suite runs (no server
error, response schema, status code and content type conformance). The session and CSRF
cookies and the CSRF header go on every request. Prints, per role, the operations, the
requests, the status codes and every failure; exit status 1 when any role found one.

Start the server yourself (`make demo`, or `manage.py runserver --noreload` with the demo data
loaded): the run writes into its database.
"""

import argparse
import re
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import schemathesis
from schemathesis.config import SchemathesisConfig
from schemathesis.engine import events, from_schema

ROLES = {
    "investigator": "investigator",
    "juvenile police inspector": "police",
    "prosecutor": "prosecutor",
    "defence lawyer": "defender",
    "social psychologist": "psychologist",
    "psychology intern": "intern",
    "judge": "judge",
    "court social worker": "courtsocial",
    "probation inspector": "probation",
    "institution staff": "institution",
    "child-rights specialist": "childrights",
    "analyst": "analyst",
    "administrator": "admin",
}
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "response_schema_conformance",
    "content_type_conformance",
)
OTHER_CHECKS = (
    "response_headers_conformance",
    "negative_data_rejection",
    "positive_data_acceptance",
    "missing_required_header",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
)
PHASES = ("examples", "coverage", "fuzzing", "stateful")


class PlainHTTPPolicy(DefaultCookiePolicy):
    """Sends Secure cookies over plain HTTP too: the bench server listens on loopback."""

    def return_ok_secure(self, cookie: Any, request: Any) -> bool:
        return True


def sign_in(base: str, username: str, password: str) -> dict[str, str]:
    """The cookies of a session signed in through the login form, with the CSRF cookie."""
    jar = CookieJar(PlainHTTPPolicy())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("the login page carries no CSRF token")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
    ).encode()
    opener.open(urllib.request.Request(f"{base}/login/", data=data, headers={"Referer": base}))
    opener.open(f"{base}/api/me").read()  # sets the csrftoken cookie
    cookies = {cookie.name: cookie.value for cookie in jar if cookie.value is not None}
    if "sessionid" not in cookies or "csrftoken" not in cookies:
        raise SystemExit(f"could not sign in as {username}")
    return cookies


@dataclass
class Result:
    operations: set[str] = field(default_factory=set)
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    failures: set[tuple[str, str, str]] = field(default_factory=set)
    seconds: float = 0.0


def run(base: str, cookies: dict[str, str], args: argparse.Namespace) -> Result:
    config = SchemathesisConfig.from_dict(
        {
            "seed": args.seed,
            "workers": args.workers,
            "generation": {"max-examples": args.max_examples},
            "phases": {phase: {"enabled": phase in args.phases} for phase in PHASES},
            "checks": {name: {"enabled": name in CHECKS} for name in CHECKS + OTHER_CHECKS},
            "suppress-health-check": ["all"],
            "continue-on-failure": True,
            "request-timeout": 60,
        }
    )
    schema = schemathesis.openapi.from_url(f"{base}/api/openapi.json", config=config)

    @schema.auth()
    class Session:
        # Cookies through the auth provider: a Cookie header would be replaced by the cookie
        # the transport sets for the schema's security scheme.
        def get(self, case: Any, context: Any) -> dict[str, str]:
            return cookies

        def set(self, case: Any, data: dict[str, str], context: Any) -> None:
            case.cookies = {**(case.cookies or {}), **data}
            case.headers = {**(case.headers or {}), "X-CSRFToken": data["csrftoken"]}

    result = Result()
    started = time.monotonic()
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            result.operations.add(recorder.label)
            result.requests += len(recorder.interactions)
            for interaction in recorder.interactions.values():
                if interaction.response is not None:
                    result.statuses[interaction.response.status_code] += 1
            for checks in recorder.checks.values():
                for check in checks:
                    if check.status.name == "FAILURE":
                        info = check.failure_info
                        title = info.failure.title if info is not None else ""
                        result.failures.add((recorder.label, check.name, title))
        elif isinstance(event, events.NonFatalError | events.FatalError):
            result.failures.add((getattr(event, "label", "-"), "error", str(event)[:300]))
    result.seconds = time.monotonic() - started
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="qorgau-demo-2026")
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--phases", default=",".join(PHASES))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--role", action="append", choices=sorted(ROLES), help="repeatable")
    args = parser.parse_args()
    args.phases = set(args.phases.split(","))
    base = args.url.rstrip("/")
    total_requests, total_failures, operations = 0, 0, set()
    for role in args.role or list(ROLES):
        result = run(base, sign_in(base, ROLES[role], args.password), args)
        total_requests += result.requests
        total_failures += len(result.failures)
        operations |= {label for label in result.operations if " /api/" in label}
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(result.statuses.items()))
        print(
            f"== {role}: {len(result.operations)} scenarios, {result.requests} requests in "
            f"{result.seconds:.0f} s, {len(result.failures)} failures; statuses {statuses}",
            flush=True,
        )
        for label, check, title in sorted(result.failures):
            print(f"   {check}: {label}: {title}", flush=True)
    print(
        f"== all roles: {len(operations)} operations, {total_requests} requests, "
        f"{total_failures} failures"
    )
    return 1 if total_failures else 0


if __name__ == "__main__":
    sys.exit(main())
