"""Who saw this record: a child's trail for prosecutors and child-rights specialists."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qorgau.accounts.models import AgencyType, Role
from qorgau.audit.models import AuditEvent
from qorgau.audit.sealer import seal_all
from qorgau.audit.services import record
from qorgau.people import services as people_services
from qorgau.people.trail import PAGE_SIZE, subjects_of, view_record_trail
from qorgau.proceedings import services as case_services
from tests import factories
from tests.api.test_cases import open_case


@pytest.fixture
def child_rights(db):
    body = factories.agency(AgencyType.CHILD_RIGHTS_BODY, factories.ALMATY_CITY)
    return factories.staff(Role.CHILD_RIGHTS_SPECIALIST, body, username="childrights")


@pytest.fixture
def astana_prosecutor(db):
    office = factories.agency(AgencyType.PROSECUTOR_OFFICE, factories.ASTANA)
    return factories.staff(Role.PROSECUTOR, office, username="astanaprosecutor")


@pytest.fixture
def history(client, investigator, prosecutor, outsider, juvenile):
    """Readings, a change, a case, a refusal and a search about the child, and about another."""
    people_services.update_juvenile(actor=investigator, juvenile=juvenile, school="№ 7 мектеп")
    people_services.view_juvenile(actor=investigator, juvenile_id=juvenile.pk)
    case = open_case(investigator, juvenile, prosecutor=prosecutor)
    case_services.view_case(actor=prosecutor, pk=case.pk)
    client.force_login(outsider)
    client.get(reverse("juvenile_detail", args=[juvenile.pk]))  # refused: 404
    client.get("/api/juveniles", {"q": juvenile.iin})  # the outsider looks the child up
    client.logout()
    other = factories.juvenile(investigator, last_name="Басқа", first_name="Бала")
    people_services.view_juvenile(actor=investigator, juvenile_id=other.pk)
    return {"case": case, "other": other}


def trail_actions(rows):
    return [(row.action, row.subject_type) for row in rows]


def test_the_trail_gathers_the_childs_records_newest_first(prosecutor, juvenile, history):
    page = view_record_trail(actor=prosecutor, juvenile_id=juvenile.pk)
    actions = trail_actions(page.events)
    assert ("juvenile.create", "people.juvenile") in actions
    assert ("juvenile.update", "people.juvenile") in actions
    assert ("juvenile.view", "people.juvenile") in actions
    assert ("case.open", "proceedings.proceeding") in actions
    assert ("case.view", "proceedings.proceeding") in actions
    assert ("access.refused", "people.juvenile") in actions
    assert ("juvenile.search", "people.juvenile") in actions
    other = str(history["other"].pk)
    assert all(
        row.subject_id != other or row.subject_type != "people.juvenile" for row in page.events
    )
    keys = [(row.at, row.pk) for row in page.events]
    assert keys == sorted(keys, reverse=True)
    assert page.next_before is None
    reading = AuditEvent.objects.filter(action="audit.record_trail").get()
    assert (reading.actor, reading.subject_id) == (prosecutor, str(juvenile.pk))


def test_the_subjects_include_the_childs_case_and_family(investigator, juvenile, history):
    relative = people_services.add_relative(
        actor=investigator,
        juvenile=juvenile,
        last_name="Сейітова",
        first_name="Гүлнар",
        relation="mother",
    )
    subjects = subjects_of(juvenile)
    assert subjects["people.juvenile"] == {str(juvenile.pk)}
    assert subjects["people.relative"] == {str(relative.pk)}
    assert subjects["proceedings.proceeding"] == {str(history["case"].pk)}
    accused = history["case"].accused.get()
    assert subjects["proceedings.accused"] == {str(accused.pk)}


def test_pages_of_25_by_keyset_without_gaps_or_repeats(prosecutor, investigator, juvenile):
    for _ in range(PAGE_SIZE + 5):
        record(actor=investigator, action="juvenile.view", subject=juvenile)
    first = view_record_trail(actor=prosecutor, juvenile_id=juvenile.pk)
    assert len(first.events) == PAGE_SIZE
    assert first.next_before == first.events[-1].pk
    second = view_record_trail(actor=prosecutor, juvenile_id=juvenile.pk, before=first.next_before)
    assert second.next_before is None
    seen = [row.pk for row in first.events + second.events]
    expected = AuditEvent.objects.about(juvenile).exclude(action="audit.record_trail")
    assert sorted(seen) == sorted(expected.values_list("pk", flat=True))


def test_the_period_filters_by_local_dates(prosecutor, juvenile, history):
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert view_record_trail(actor=prosecutor, juvenile_id=juvenile.pk, since=tomorrow).events == []
    kept = view_record_trail(actor=prosecutor, juvenile_id=juvenile.pk, since=today, until=today)
    assert len(kept.events) >= 7


# Web


def test_the_prosecutor_sees_the_page_linked_from_the_childs_record(
    client, prosecutor, outsider, juvenile, history
):
    client.force_login(prosecutor)
    detail = client.get(reverse("juvenile_detail", args=[juvenile.pk])).content.decode()
    url = reverse("juvenile_trail", args=[juvenile.pk])
    assert f'href="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert juvenile.full_name in text
    assert str(history["case"]) in text
    assert outsider.get_full_name() in text  # the refused attempt and the search
    assert str(history["other"]) not in text
    assert len(page.context["rows"]) >= 7


def test_the_child_rights_specialist_sees_the_page(client, child_rights, juvenile, history):
    client.force_login(child_rights)
    assert client.get(reverse("juvenile_trail", args=[juvenile.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["investigator", "defender", "judge", "administrator"])
def test_other_roles_are_refused_and_the_refusal_is_audited(client, request, persona, juvenile):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    detail = client.get(reverse("juvenile_detail", args=[juvenile.pk]))
    url = reverse("juvenile_trail", args=[juvenile.pk])
    assert f'href="{url}"' not in detail.content.decode()
    assert client.get(url).status_code == 403
    row = AuditEvent.objects.filter(action="access.refused", details__view="juvenile_trail").get()
    assert (row.actor, row.subject_type, row.subject_id) == (
        user,
        "people.juvenile",
        str(juvenile.pk),
    )
    assert not AuditEvent.objects.filter(action="audit.record_trail").exists()


def test_a_prosecutor_of_another_region_gets_404(client, astana_prosecutor, juvenile):
    client.force_login(astana_prosecutor)
    assert client.get(reverse("juvenile_trail", args=[juvenile.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="access.refused", actor=astana_prosecutor).exists()


def test_a_wrong_period_on_the_web_names_the_field(client, prosecutor, juvenile):
    client.force_login(prosecutor)
    response = client.get(
        reverse("juvenile_trail", args=[juvenile.pk]),
        {
            "since_day": "10",
            "since_month": "5",
            "since_year": "2026",
            "until_day": "1",
            "until_month": "5",
            "until_year": "2026",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["until"]


def test_the_web_page_offers_the_older_entries(client, prosecutor, investigator, juvenile):
    for _ in range(PAGE_SIZE + 2):
        record(actor=investigator, action="juvenile.view", subject=juvenile)
    client.force_login(prosecutor)
    url = reverse("juvenile_trail", args=[juvenile.pk])
    first = client.get(url)
    assert first.context["older"].startswith("before=")
    second = client.get(f"{url}?{first.context['older']}")
    assert second.status_code == 200
    assert not second.context["older"]
    assert len(second.context["rows"]) == 3  # the 28th row is the first page's own reading


# API


def test_the_api_gives_the_same_trail(client, prosecutor, juvenile, history):
    client.force_login(prosecutor)
    sealed = seal_all().rows
    body = client.get(f"/api/juveniles/{juvenile.pk}/audit").json()
    assert body["juvenile"] == juvenile.pk
    assert body["next_before"] is None
    actions = {row["action"] for row in body["results"]}
    assert {"juvenile.view", "case.open", "access.refused", "juvenile.search"} <= actions
    assert all(len(row["row_hash"]) == 64 for row in body["results"])
    assert all(1 <= row["chain_seq"] <= sealed for row in body["results"])
    # A row not sealed yet (seconds after its commit; in a test transaction, never) shows nulls.
    record(actor=prosecutor, action="juvenile.view", subject=juvenile)
    newest = client.get(f"/api/juveniles/{juvenile.pk}/audit").json()["results"][0]
    assert newest["action"] == "juvenile.view"
    assert (newest["chain_seq"], newest["prev_hash"], newest["row_hash"]) == (None, None, None)


def test_the_api_refuses_an_investigator_and_audits_it(client, investigator, juvenile):
    client.force_login(investigator)
    assert client.get(f"/api/juveniles/{juvenile.pk}/audit").status_code == 403
    row = AuditEvent.objects.filter(action="access.refused").get()
    assert (row.channel, row.subject_id) == ("api", str(juvenile.pk))


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"since": "2026-05-10", "until": "2026-05-01"}, "until"),
        ({"before": "999999999"}, "before"),
        ({"since": "not a date"}, "since"),
        ({"before": "0"}, "before"),
    ],
)
def test_the_api_names_the_wrong_field(client, prosecutor, juvenile, query, field):
    client.force_login(prosecutor)
    response = client.get(f"/api/juveniles/{juvenile.pk}/audit", query)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["detail"]] == [field]
