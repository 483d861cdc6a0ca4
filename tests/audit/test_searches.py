"""Searches by IIN are audited, juveniles' and cases', on web and API; the IIN as a keyed digest."""

import hashlib

from django.test import override_settings
from django.urls import reverse

from qorgau.audit.models import AuditEvent
from qorgau.audit.searches import iin_digest, search_details
from qorgau.people import services as people_services
from tests.api.test_cases import open_case


def last(action: str) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, f"no {action} row"
    return event


def test_a_web_search_by_full_iin_is_audited_under_the_child(client, investigator, juvenile):
    client.force_login(investigator)
    response = client.get(reverse("juvenile_list"), {"q": juvenile.iin})
    assert response.status_code == 200
    row = last("juvenile.search")
    assert row.actor == investigator
    assert row.channel == "web"
    assert (row.subject_type, row.subject_id) == ("people.juvenile", str(juvenile.pk))
    assert row.details == {"iin_digest": iin_digest(juvenile.iin), "iin_digits": 12, "results": 1}
    assert juvenile.iin not in str(row.details)


def test_an_api_search_by_iin_digits_keeps_only_their_digest(client, investigator, juvenile):
    client.force_login(investigator)
    prefix = juvenile.iin[:6]
    assert client.get("/api/juveniles", {"q": prefix}).json()["count"] == 1
    row = last("juvenile.search")
    assert row.channel == "api"
    assert row.details == {"iin_digest": iin_digest(prefix), "iin_digits": 6, "results": 1}
    assert (row.subject_type, row.subject_id) == ("", "")


def test_looking_for_a_child_outside_the_scope_is_filed_under_the_child(client, outsider, juvenile):
    client.force_login(outsider)
    assert client.get("/api/juveniles", {"q": juvenile.iin}).json()["count"] == 0
    row = last("juvenile.search")
    assert row.actor == outsider
    assert row.details["results"] == 0
    assert (row.subject_type, row.subject_id) == ("people.juvenile", str(juvenile.pk))


def test_a_name_search_keeps_the_name_as_typed(investigator, juvenile):
    people_services.log_search(actor=investigator, query="Сейітов", result_count=1)
    assert last("juvenile.search").details == {"query": "Сейітов", "results": 1}


def test_a_case_search_by_iin_is_audited_on_web_and_api(client, investigator, prosecutor, juvenile):
    case = open_case(investigator, juvenile, prosecutor=prosecutor)
    client.force_login(investigator)
    assert client.get(reverse("case_list"), {"q": juvenile.iin}).status_code == 200
    web = last("case.search")
    assert web.channel == "web"
    assert web.details == {"iin_digest": iin_digest(juvenile.iin), "iin_digits": 12, "results": 1}
    assert (web.subject_type, web.subject_id) == ("people.juvenile", str(juvenile.pk))
    body = client.get("/api/cases", {"q": juvenile.iin}).json()
    assert [row["id"] for row in body["results"]] == [case.pk]
    api = last("case.search")
    assert (api.channel, api.details["iin_digest"]) == ("api", iin_digest(juvenile.iin))


def test_a_case_search_by_number_or_name_keeps_the_text(client, investigator, juvenile):
    client.force_login(investigator)
    client.get("/api/cases", {"q": "247510031000123"})  # a registration number, 15 digits
    assert last("case.search").details == {"query": "247510031000123", "results": 0}
    client.get(reverse("case_list"), {"q": "Сейітов"})
    assert last("case.search").details["query"] == "Сейітов"


def test_a_case_list_without_search_writes_no_search_row(client, investigator):
    client.force_login(investigator)
    client.get(reverse("case_list"))
    client.get("/api/cases")
    assert not AuditEvent.objects.filter(action="case.search").exists()


def test_the_digest_is_keyed_not_a_plain_hash():
    iin = "100305500123"
    assert iin_digest(iin) != hashlib.sha256(iin.encode()).hexdigest()
    with override_settings(QORGAU_AUDIT_IIN_KEY="another key"):
        other = iin_digest(iin)
    assert other != iin_digest(iin)
    assert search_details(" 1003 05 ") == {"iin_digest": iin_digest("100305"), "iin_digits": 6}
    assert search_details("Қайрат 10") == {"query": "Қайрат 10"}
