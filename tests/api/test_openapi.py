"""The OpenAPI schema and the Swagger page that reads it."""

import json
from html.parser import HTMLParser

import pytest
from ninja import NinjaAPI

from qorgau.api.api import api as ninja_api

PATHS = {
    "/api/me": {"get"},
    "/api/territories": {"get"},
    "/api/articles": {"get"},
    "/api/agencies": {"get", "post"},
    "/api/agencies/{agency_id}": {"get", "patch"},
    "/api/staff": {"get", "post"},
    "/api/staff/{user_id}": {"get", "patch"},
    "/api/staff/{user_id}/roles": {"put"},
    "/api/staff/{user_id}/trainings": {"post"},
    "/api/juveniles": {"get", "post"},
    "/api/juveniles/{juvenile_id}": {"get", "patch"},
    "/api/juveniles/{juvenile_id}/export": {"get"},
    "/api/juveniles/{juvenile_id}/relatives": {"post"},
    "/api/relatives/{relative_id}": {"patch"},
    "/api/audit": {"get"},
    "/api/juveniles/{juvenile_id}/audit": {"get"},
    "/api/cases": {"get", "post"},
    "/api/cases/{case_id}": {"get"},
    "/api/cases/{case_id}/minors": {"post"},
    "/api/cases/{case_id}/minors/{accused_id}/events": {"post"},
    "/api/cases/{case_id}/participants": {"post"},
    "/api/cases/{case_id}/prosecutor": {"put"},
    "/api/charges/{charge_id}/requalify": {"post"},
    "/api/rules": {"get"},
    "/api/safeguards/rules": {"get"},
    "/api/violations": {"get"},
    "/api/violations/red-flags": {"get"},
    "/api/violations/{violation_id}": {"get"},
    "/api/violations/{violation_id}/acknowledge": {"post"},
    "/api/violations/{violation_id}/remedy": {"post"},
    "/api/violations/{violation_id}/dispute": {"post"},
    "/api/violations/{violation_id}/act": {"post"},
    "/api/oversight/summary": {"get"},
    "/api/instruments/{code}": {"get"},
    "/api/instruments/{code}/versions/{version}": {"get"},
    "/api/juveniles/{juvenile_id}/assessments": {"get", "post"},
    "/api/assessments/{assessment_id}": {"get", "patch"},
    "/api/assessments/{assessment_id}/complete": {"post"},
    "/api/assessments/{assessment_id}/reassess": {"post"},
    "/api/juveniles/{juvenile_id}/plans": {"get"},
    "/api/plans": {"post"},
    "/api/plans/{plan_id}": {"get"},
    "/api/plans/{plan_id}/needs": {"post"},
    "/api/plans/{plan_id}/tasks": {"post"},
    "/api/plans/{plan_id}/close": {"post"},
    "/api/plan-tasks": {"get"},
    "/api/plan-tasks/{task_id}/accept": {"post"},
    "/api/plan-tasks/{task_id}/decline": {"post"},
    "/api/plan-tasks/{task_id}/done": {"post"},
    "/api/plan-tasks/{task_id}/cancel": {"post"},
    "/api/consultations": {"get"},
    "/api/duty-shifts": {"get", "post"},
    "/api/duty-shifts/{shift_id}/cancel": {"post"},
    "/api/cases/{case_id}/minors/{accused_id}/on-duty": {"get"},
    "/api/cases/{case_id}/minors/{accused_id}/on-duty-assignment": {"post"},
    "/api/response-times": {"get"},
    "/api/mediations": {"post"},
    "/api/mediations/{mediation_id}": {"get"},
    "/api/mediations/{mediation_id}/consent": {"post"},
    "/api/mediations/{mediation_id}/withdrawal": {"post"},
    "/api/mediations/{mediation_id}/sessions": {"post"},
    "/api/mediations/{mediation_id}/agreement": {"post"},
    "/api/mediations/{mediation_id}/payments": {"post"},
    "/api/cases/{case_id}/mediations": {"get"},
    "/api/mediation-rules": {"get"},
    "/api/court-cases": {"get", "post"},
    "/api/court-cases/{case_id}": {"get"},
    "/api/court-cases/{case_id}/hearings": {"post"},
    "/api/court-cases/{case_id}/report": {"post"},
    "/api/court-cases/{case_id}/judgment": {"post"},
    "/api/hearings/{hearing_id}/adjournment": {"post"},
    "/api/hearings/{hearing_id}/summonses": {"post"},
    "/api/hearings/{hearing_id}/presence": {"post"},
    "/api/courts/{court_id}/hearings": {"get"},
    "/api/court-rules": {"get"},
    "/api/probation/caseload": {"get"},
    "/api/supervisions/{supervision_id}": {"get"},
    "/api/supervisions/{supervision_id}/registration": {"post"},
    "/api/supervisions/{supervision_id}/plan": {"post"},
    "/api/supervisions/{supervision_id}/check-ins": {"post"},
    "/api/supervisions/{supervision_id}/breaches": {"post"},
    "/api/supervisions/{supervision_id}/hours": {"post"},
    "/api/supervisions/{supervision_id}/end": {"post"},
    "/api/probation/follow-ups": {"get"},
    "/api/releases": {"post"},
    "/api/releases/{release_id}": {"get"},
    "/api/follow-ups/{follow_up_id}": {"post"},
    "/api/probation-rules": {"get"},
    "/api/cases/{case_id}/minors/{accused_id}/portrait": {"get", "post"},
    "/api/portraits/{portrait_id}/interviews": {"get", "post"},
    "/api/portraits/{portrait_id}/documents": {"get", "post"},
    "/api/portraits/{portrait_id}/notes": {"get", "post"},
    "/api/portraits/{portrait_id}/disclosures": {"get", "post"},
    "/api/portraits/{portrait_id}/reports": {"get", "post"},
    "/api/portrait-reports/{report_id}": {"get", "patch"},
    "/api/portrait-reports/{report_id}/sign": {"post"},
    "/api/portrait-reports/{report_id}/pdf": {"get"},
}
ERROR_REF = "#/components/schemas/ErrorOut"
STALE_REF = "#/components/schemas/StaleOut"


@pytest.fixture
def schema(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_it_lists_every_operation(schema):
    found = {path: set(methods) for path, methods in schema["paths"].items()}
    assert found == PATHS


def test_operation_ids_are_the_view_names_and_unique(schema):
    ids = [operation["operationId"] for _, _, operation in operations(schema)]
    assert len(ids) == len(set(ids)) == sum(len(methods) for methods in PATHS.values())
    assert "list_juveniles" in ids


def test_every_operation_says_who_may_call_it(schema):
    for path, method, operation in operations(schema):
        assert operation.get("summary"), (method, path)
        assert len(operation.get("description", "")) > 40, (method, path)


def test_every_operation_documents_its_errors_with_the_error_schema(schema):
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        expected = {"401"}
        if "{" in path:
            expected.add("404")
        if method != "get":
            expected |= {"403", "422"}
        assert expected <= set(responses), (method, path, sorted(responses))
        for code, response in responses.items():
            if code.startswith("4"):
                content = response["content"]["application/json"]["schema"]
                ref = STALE_REF if code == "412" else ERROR_REF
                assert content == {"$ref": ref}, (method, path, code)


def test_the_session_cookie_is_the_security_scheme(schema):
    schemes = schema["components"]["securitySchemes"]
    assert [scheme["in"] for scheme in schemes.values()] == ["cookie"]
    for path, method, operation in operations(schema):
        assert operation.get("security"), (method, path)


class AssetCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.inline_scripts = 0

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "script":
            if values.get("src"):
                self.urls.append(values["src"])
            elif values.get("type") != "application/json":
                self.inline_scripts += 1
        if tag == "link" and values.get("href"):
            self.urls.append(values["href"])


def test_the_docs_page_loads_only_local_assets(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = AssetCollector()
    page.feed(response.content.decode())
    assert page.urls
    assert all(url.startswith("/static/") for url in page.urls), page.urls
    assert page.inline_scripts == 0
    assert "http://" not in response.content.decode()
    assert "https://" not in response.content.decode()
    for url in page.urls:
        assert client.get(url).status_code == 200, url


def test_the_docs_page_answers_a_signed_in_user_too(api, investigator):
    assert api(investigator).get("/api/docs").status_code == 200


def test_the_schema_is_built_once(client, db, monkeypatch):
    """GET /api/openapi.json is public: the schema is built once, not on every request."""
    built = []
    build = NinjaAPI.get_openapi_schema

    def counting(self, **kwargs):
        built.append(kwargs)
        return build(self, **kwargs)

    monkeypatch.setattr(NinjaAPI, "get_openapi_schema", counting)
    monkeypatch.setitem(ninja_api.__dict__, "_qorgau_schemas", {})
    first = client.get("/api/openapi.json")
    second = client.get("/api/openapi.json")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(built) == 1
    assert "Idempotency-Key" in {
        p["name"] for p in first.json()["paths"]["/api/cases"]["post"]["parameters"]
    }
