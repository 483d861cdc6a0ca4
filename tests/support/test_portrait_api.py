"""The portrait endpoints: the consultation's working material, reports, signing, the PDF."""

import json

import pytest
from django.utils import timezone

from qorgau.support.models import Disclosure, PortraitReport, ReportStatus
from qorgau.support.services import portrait as services
from tests.factories import PASSWORD
from tests.support.portrait_fixtures import *  # noqa: F403


def api(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def post(client, url, body, method="post", if_match=None):
    headers = {"If-Match": if_match} if if_match else {}
    call = getattr(client, method)
    return call(url, json.dumps(body), content_type="application/json", headers=headers)


def test_the_psychologist_builds_and_signs_a_report(client, file, psychologist):
    web = api(client, psychologist)
    base = f"/api/cases/{file.case.pk}/minors/{file.accused.pk}/portrait"
    answer = post(web, base, {})
    assert answer.status_code == 201, answer.content
    portrait = answer.json()
    assert [r["code"] for r in portrait["missing_interviews"]] == [
        "minor",
        "parent_or_representative",
    ]
    pid = portrait["id"]
    now = timezone.localtime().isoformat()
    for who in ("minor", "father"):
        answer = post(web, f"/api/portraits/{pid}/interviews", {
            "with_whom": who, "name": "Сейітов", "held_at": now, "summary": "Әңгіме.",
        })  # fmt: skip
        assert answer.status_code == 201, answer.content
    naive = post(web, f"/api/portraits/{pid}/interviews", {
        "with_whom": "teacher", "name": "А", "held_at": "2026-01-01T10:00:00", "summary": "x",
    })  # fmt: skip
    assert naive.status_code == 422 and naive.json()["detail"][0]["field"] == "held_at"
    report = post(web, f"/api/portraits/{pid}/reports", {"language": "kk"}).json()
    names = [s["name"] for s in report["sections"]]
    changed = post(web, f"/api/portrait-reports/{report['id']}", {
        "sections": dict.fromkeys(names, "Мәтін # * _ $ [x]"),
        "completed": dict.fromkeys(names, True),
        "alternatives": ["community_works"],
    }, method="patch", if_match=f'W/"{report["revision"]}"')  # fmt: skip
    assert changed.status_code == 200, changed.content
    refused = post(web, f"/api/portrait-reports/{report['id']}/sign", {"declaration": False})
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "declaration"
    signed = post(web, f"/api/portrait-reports/{report['id']}/sign", {"declaration": True})
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert len(signed.json()["pdf_sha256"]) == 64
    pdf = web.get(f"/api/portrait-reports/{report['id']}/pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    frozen = post(
        web,
        f"/api/portrait-reports/{report['id']}",
        {"sections": {"family": "x"}},
        method="patch",
        if_match=f'W/"{signed.json()["revision"]}"',
    )
    assert frozen.status_code == 422


def test_signing_without_interviews_names_them(client, portrait, psychologist):
    report = services.start_report_version(actor=psychologist, portrait=portrait)
    answer = post(
        api(client, psychologist), f"/api/portrait-reports/{report.pk}/sign", {"declaration": True}
    )
    assert answer.status_code == 422
    fields = [error["field"] for error in answer.json()["detail"]]
    assert fields.count("interviews") == 2
    assert PortraitReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT


@pytest.mark.parametrize("who", ["investigator", "prosecutor", "judge", "defender", "outsider"])
def test_working_material_answers_404_outside_the_consultation(client, ready_report, who, request):
    web = api(client, request.getfixturevalue(who))
    pid = ready_report.portrait_id
    for path in ("interviews", "documents", "notes", "disclosures"):
        assert web.get(f"/api/portraits/{pid}/{path}").status_code == 404, path
        assert post(web, f"/api/portraits/{pid}/{path}", {}).status_code in (404, 422), path
    assert web.get(f"/api/portrait-reports/{ready_report.pk}").status_code == 404  # a draft
    assert web.get(f"/api/portrait-reports/{ready_report.pk}/pdf").status_code == 404


def test_participants_read_the_signed_report_and_it_is_recorded(
    client, file, ready_report, psychologist, judge, outsider
):
    services.sign_report(actor=psychologist, report=ready_report, declaration=True)
    web = api(client, judge)
    # The judge's court is not yet in the case: it sees nothing.
    assert web.get(f"/api/portrait-reports/{ready_report.pk}").status_code == 404
    web = api(client, file.team.investigator)
    body = web.get(f"/api/cases/{file.case.pk}/minors/{file.accused.pk}/portrait").json()
    assert body["member"] is False and body["missing_interviews"] == []
    assert [r["version"] for r in body["reports"]] == [1]
    assert web.get(f"/api/portrait-reports/{ready_report.pk}/pdf").content.startswith(b"%PDF")
    assert Disclosure.objects.filter(recipient=file.team.investigator, kind="downloaded").exists()
    web = api(client, outsider)
    assert web.get(f"/api/portrait-reports/{ready_report.pk}").status_code == 404
    web = api(client, psychologist)
    rows = web.get(f"/api/portraits/{ready_report.portrait_id}/disclosures").json()
    assert {row["kind"] for row in rows} == {"issued", "downloaded"}
