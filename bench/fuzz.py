"""The full hostile-input run: schemathesis against a live Qorgau, once per role.

    .venv/bin/python bench/fuzz.py --url http://127.0.0.1:8000 --max-examples 100

Signs in through the web login form as each demo user (password `qorgau-demo-2026` unless
`--password`), then runs `st run` on /api/openapi.json with the session cookie and the CSRF
header, all phases, the checks the suite runs (no server error, response schema, status code
conformance, content type). Reports go to `var/fuzz/<role>/`; the summary lists per role the
operations, the requests and the failures found. Exit status 1 when any role found one.

Start the server yourself (`make demo` or `manage.py runserver --noreload`) on a database with
the demo data: the run writes into it.
"""

import argparse
import json
import re
import subprocess
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROLES = {
    "investigator": "investigator",
    "prosecutor": "prosecutor",
    "defence lawyer": "defender",
    "social psychologist": "psychologist",
    "judge": "judge",
    "analyst": "analyst",
    "administrator": "admin",
}
CHECKS = (
    "not_a_server_error,status_code_conformance,response_schema_conformance,"
    "content_type_conformance"
)


class PlainHTTPPolicy(DefaultCookiePolicy):
    """Sends Secure cookies over plain HTTP too: the bench server listens on loopback."""

    def return_ok_secure(self, cookie, request):  # type: ignore[no-untyped-def]
        return True


def sign_in(base: str, username: str, password: str) -> dict[str, str]:
    """The cookies of a session signed in through the login form."""
    jar = CookieJar(PlainHTTPPolicy())
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise SystemExit("the login page carries no CSRF token")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(f"{base}/login/", data=data, headers={"Referer": base})
    opener.open(request).read()
    opener.open(f"{base}/api/me").read()  # sets the csrftoken cookie for the API
    cookies = {cookie.name: cookie.value for cookie in jar if cookie.value is not None}
    if "sessionid" not in cookies:
        raise SystemExit(f"could not sign in as {username}")
    return cookies


def run_role(base: str, role: str, cookies: dict[str, str], args: argparse.Namespace) -> dict:
    report_dir = ROOT / "var" / "fuzz" / role.replace(" ", "-")
    report_dir.mkdir(parents=True, exist_ok=True)
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    command = [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{base}/api/openapi.json",
        "--checks",
        CHECKS,
        "--phases",
        args.phases,
        "--max-examples",
        str(args.max_examples),
        "--workers",
        str(args.workers),
        "--suppress-health-check",
        "all",
        "--continue-on-failure",
        "-H",
        f"Cookie: {cookie}",
        "-H",
        f"X-CSRFToken: {cookies.get('csrftoken', '')}",
        "-H",
        f"Referer: {base}/",
        "--report",
        "ndjson,junit",
        "--report-dir",
        str(report_dir),
        "--output-truncate",
        "false",
    ]
    if args.seed is not None:
        command += ["--seed", str(args.seed)]
    if args.max_time:
        command += ["--max-time", str(args.max_time)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    (report_dir / "output.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
    return summarise(report_dir, result.returncode, result.stdout)


def summarise(report_dir: Path, returncode: int, output: str) -> dict:
    operations: set[str] = set()
    failures: set[tuple[str, str]] = set()
    requests = 0
    for path in report_dir.glob("*.ndjson"):
        for line in path.read_text(encoding="utf-8").splitlines():
            event = json.loads(line)
            for kind, body in event.items():
                if kind == "ScenarioFinished":
                    recorder = body.get("recorder", {})
                    label = recorder.get("label", "")
                    if label:
                        operations.add(label)
                    requests += len(recorder.get("interactions", {}))
                    for checks in recorder.get("checks", {}).values():
                        for check in checks:
                            if check.get("status") == "FAILURE":
                                failures.add((label, check.get("name", "")))
    return {
        "returncode": returncode,
        "operations": len(operations),
        "requests": requests,
        "failures": sorted(failures),
        "tail": output.strip().splitlines()[-12:],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", default="qorgau-demo-2026")
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--phases", default="examples,coverage,fuzzing,stateful")
    parser.add_argument("--workers", default="1")
    parser.add_argument("--max-time", type=int, default=0)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--role", action="append", choices=sorted(ROLES), help="repeatable")
    args = parser.parse_args()
    base = args.url.rstrip("/")
    found = 0
    for role in args.role or list(ROLES):
        cookies = sign_in(base, ROLES[role], args.password)
        summary = run_role(base, role, cookies, args)
        found += len(summary["failures"])
        print(
            f"== {role}: {summary['operations']} operations, {summary['requests']} requests, "
            f"{len(summary['failures'])} failing (operation, check) pairs"
        )
        for label, check in summary["failures"]:
            print(f"   {check}: {label}")
        for line in summary["tail"]:
            print(f"   | {line}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
