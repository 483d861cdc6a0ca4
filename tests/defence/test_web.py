"""The defence pages as each role meets them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from qorgau.defence.models import Duty, DutyShift, OnDutyAssignment
from qorgau.proceedings.models import EventKind
from tests.defence.conftest import shift

H = datetime.timedelta(hours=1)


@pytest.fixture
def now_shifts(lawyer, bar_psychologist):
    start = timezone.now().replace(microsecond=0) - 2 * H
    return (
        shift(lawyer, lawyer, Duty.DEFENDER, start),
        shift(lawyer, bar_psychologist, Duty.PSYCHOLOGIST, start),
    )


@pytest.fixture
def detained_now(bare):
    bare.record(EventKind.DETENTION, at=timezone.now().replace(microsecond=0) - H)
    return bare


def test_the_roster_week_shows_who_is_on_duty_now(client, investigator, now_shifts):
    client.force_login(investigator)
    response = client.get(reverse("duty_roster"))
    assert response.status_code == 200
    text = response.content.decode()
    assert now_shifts[0].member.get_full_name() in text
    assert any(row["now"] for day in response.context["days"] for row in day["defenders"])
    assert reverse("shift_create") not in text  # investigators do not keep the roster


def test_the_roster_warns_of_gaps_and_moves_by_weeks(client, lawyer, now_shifts):
    client.force_login(lawyer)
    response = client.get(reverse("duty_roster"), {"region": "750000000", "week": "2026-12-07"})
    assert response.status_code == 200
    assert response.context["gaps"]
    assert "week=2026-11-30" in response.context["previous_url"]
    assert "week=2026-12-14" in response.context["next_url"]


def test_outsiders_without_the_permission_get_403(client, court_social_worker):
    client.force_login(court_social_worker)
    assert client.get(reverse("duty_roster")).status_code == 403


def test_staff_of_a_closed_agency_see_no_roster(client, investigator, now_shifts):
    """A closed agency's staff see nothing, as for cases and juveniles: pages and API."""
    agency = investigator.agency
    agency.is_active = False
    agency.save()
    client.force_login(investigator)
    for url in (
        reverse("duty_roster"),
        reverse("consultation_list"),
        reverse("consultation_detail", args=[now_shifts[0].consultation_id]),
        "/api/duty-shifts?region=750000000",
        "/api/consultations",
    ):
        assert client.get(url).status_code == 403, url


def test_consultation_pages_list_members(client, investigator, lawyer, bar_psychologist, intern):
    client.force_login(investigator)
    response = client.get(reverse("consultation_list"))
    assert response.status_code == 200
    response = client.get(reverse("consultation_detail", args=[lawyer.agency_id]))
    text = response.content.decode()
    for person in (lawyer, bar_psychologist, intern):
        assert person.get_full_name() in text


def test_a_lawyer_adds_and_cancels_a_shift(client, lawyer):
    client.force_login(lawyer)
    page = client.get(reverse("shift_create"))
    assert page.status_code == 200
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {
        "consultation": lawyer.agency_id,
        "duty": "defender",
        "member": lawyer.pk,
        "start_time": "08:00",
        "end_time": "0700",
    }
    for prefix in ("start_day", "end_day"):
        data |= {f"{prefix}_day": tomorrow.day, f"{prefix}_month": tomorrow.month,
                 f"{prefix}_year": tomorrow.year}  # fmt: skip
    refused = client.post(reverse("shift_create"), data)
    assert refused.status_code == 200
    assert refused.context["form"].errors["end_time"]
    data["end_time"] = "20:00"
    response = client.post(reverse("shift_create"), data)
    assert response.status_code == 302
    added = DutyShift.objects.get()
    assert timezone.localtime(added.starts_at).hour == 8
    url = reverse("shift_cancel", args=[added.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 200
    assert client.post(url, {"reason": "Ауырып қалды"}).status_code == 302
    added.refresh_from_db()
    assert added.is_cancelled


@pytest.mark.parametrize("year", [1, 1990, 9999])
def test_a_shift_years_away_is_refused_on_the_form(client, lawyer, year):
    client.force_login(lawyer)
    data = {
        "consultation": lawyer.agency_id, "duty": "defender", "member": lawyer.pk,
        "start_time": "08:00", "end_time": "20:00",
    }  # fmt: skip
    for prefix in ("start_day", "end_day"):
        data |= {f"{prefix}_day": 1, f"{prefix}_month": 1, f"{prefix}_year": year}
    response = client.post(reverse("shift_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not DutyShift.objects.exists()


def test_an_investigator_cannot_add_shifts(client, investigator):
    client.force_login(investigator)
    assert client.get(reverse("shift_create")).status_code == 403


def test_case_panel_proposes_and_assigns_in_one_step(client, detained_now, now_shifts):
    file = detained_now
    client.force_login(file.team.investigator)
    case_url = reverse("case_detail", args=[file.case.pk])
    page = client.get(case_url).content.decode()
    assign_url = reverse("assign_on_duty", args=[file.case.pk, file.accused.pk])
    assert assign_url in page
    assert now_shifts[0].member.get_full_name() in page
    check = client.get(assign_url)
    assert check.status_code == 200
    refused = client.post(assign_url, {})
    assert refused.context["form"].errors["state_paid"]
    response = client.post(assign_url, {"state_paid": "yes", "with_psychologist": "on"})
    assert response.status_code == 302
    assignment = OnDutyAssignment.objects.get()
    assert assignment.state_paid and assignment.psychologist is not None
    page = client.get(response["Location"]).content.decode()
    assert assign_url not in page
    assert "govuk-notification-banner--success" in page


def test_a_defender_cannot_open_the_assignment_page(client, detained_now, now_shifts, lawyer):
    client.force_login(lawyer)
    url = reverse("assign_on_duty", args=[detained_now.case.pk, detained_now.accused.pk])
    assert client.get(url).status_code in (403, 404)


def test_home_panel_shows_the_shift_and_awaited_arrival(client, detained_now, now_shifts, lawyer):
    from qorgau.defence import services

    services.assign_on_duty(
        actor=detained_now.team.investigator, accused=detained_now.accused, defender=lawyer,
        psychologist=None, state_paid=False,
    )  # fmt: skip
    client.force_login(lawyer)
    response = client.get(reverse("home"))
    text = response.content.decode()
    assert detained_now.case.number in text
    assert (
        reverse(
            "event_form", args=[detained_now.case.pk, detained_now.accused.pk, "defender_arrived"]
        )
        in text
    )


def test_response_times_page(client, detained_now, now_shifts, lawyer, analyst):
    from qorgau.defence import services

    services.assign_on_duty(
        actor=detained_now.team.investigator, accused=detained_now.accused, defender=lawyer,
        psychologist=None, state_paid=True,
    )  # fmt: skip
    client.force_login(analyst)
    response = client.get(reverse("response_times"))
    assert response.status_code == 200
    assert response.context["total"]["count"] == 1
    # Figures only (issue 12): no case number, no defender's name, no row per assignment.
    page = response.content.decode()
    assert detained_now.case.number not in page and lawyer.get_full_name() not in page
    assert response.context["rows"] == [] and response.context["figures_only"]
    with translation.override("kk"):
        notice = translation.gettext(
            "You see the figures only. Each assignment, with its case, times and the people "
            "assigned, is shown to those who take part in the cases."
        )
    assert notice.startswith("Сіз тек сандарды") and notice in page
    client.force_login(detained_now.team.investigator)
    response = client.get(reverse("response_times"))
    assert detained_now.case.number in response.content.decode()
    assert [row["case"] for row in response.context["rows"]] == [detained_now.case.number]
    client.force_login(analyst)
    response = client.get(reverse("response_times"), {"start": "bad"})
    assert response.status_code == 200
