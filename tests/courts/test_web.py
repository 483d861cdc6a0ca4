"""The court pages: calendar, caseload, the case page with the report beside it, each form,
Today for a judge and for a court social worker, and who may open what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qorgau.courts import services
from qorgau.courts.models import CourtCase, Hearing, HearingStatus
from qorgau.proceedings.models import EventKind
from tests.courts.conftest import D, hearing_day, schedule, summon_all
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, user):
    user.language = "en"  # the pages are read in English here
    user.save(update_fields=["language"])
    assert client.login(username=user.username, password=PASSWORD)
    return client


def date_fields(prefix: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}_day": str(day.day),
        f"{prefix}_month": str(day.month),
        f"{prefix}_year": str(day.year),
    }


def moment() -> dict[str, str]:
    """A date and time an hour ago, as the form asks for them."""
    earlier = timezone.localtime() - datetime.timedelta(hours=1)
    return {**date_fields("on", earlier.date()), "time": earlier.strftime("%H:%M")}


def test_the_judge_schedules_a_hearing_from_the_case_page(client, file, in_court, courtroom):
    login(client, file.team.judge)
    page = client.get(reverse("court_case_detail", args=[in_court.pk])).content.decode()
    url = reverse("court_schedule", args=[in_court.pk])
    assert url in page
    start = hearing_day(file)
    response = client.post(url, {
        **date_fields("on", start.date()), "time": "10:00", "minutes": "60",
        "courtroom": courtroom.pk, "judge": file.team.judge.pk,
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    hearing = Hearing.objects.get()
    assert hearing.starts_at == start


def test_an_overlapping_hearing_shows_the_error_on_the_form(
    client, file, in_court, hearing, courtroom_two
):
    login(client, file.team.judge)
    response = client.post(reverse("court_schedule", args=[in_court.pk]), {
        **date_fields("on", hearing.starts_at.date()), "time": "10:30", "minutes": "30",
        "courtroom": courtroom_two.pk, "judge": file.team.judge.pk,
    })  # fmt: skip
    assert response.status_code == 200
    assert "already has a hearing at this time" in response.content.decode()
    assert Hearing.objects.count() == 1


def test_summon_presence_and_judgment_through_the_pages(
    client, file, in_court, hearing, court_social_worker
):
    login(client, file.team.judge)
    response = client.post(reverse("court_summon", args=[hearing.pk]), {
        "summoned_as": "defender", "participant": file.defender.pk, "method": "phone",
        **date_fields("sent_on", timezone.localdate(hearing.starts_at) - D),
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    summons = hearing.summonses.get()
    response = client.post(
        reverse("court_presence", args=[hearing.pk]), {f"present_{summons.pk}": "yes"}
    )
    assert response.status_code == 302, response.content.decode()
    page = client.get(reverse("court_case_detail", args=[in_court.pk])).content.decode()
    assert "legal representative takes part" in page  # the absent representative's safeguard
    client.logout()
    login(client, court_social_worker)
    response = client.post(reverse("court_report", args=[in_court.pk]), {
        "family_situation": "Анасымен тұрады.", "alternatives": "Пробациялық бақылау.",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    client.logout()
    login(client, file.team.judge)
    page = client.get(reverse("court_case_detail", args=[in_court.pk])).content.decode()
    assert "Пробациялық бақылау." in page  # the report beside the case
    decided = hearing.ends_at
    response = client.post(reverse("court_judgment", args=[in_court.pk]), {
        **date_fields("on", timezone.localdate(decided)),
        "time": timezone.localtime(decided).strftime("%H:%M"),
        "verdict": "conviction", "punishment": "community_works", "term_months": "4",
        "report_followed": "yes",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    in_court.refresh_from_db()
    assert in_court.judgment == file.accused.events.get(kind=EventKind.JUDGMENT)
    assert in_court.report_followed is True


def test_the_judgment_form_asks_about_the_report(client, file, in_court, held, court_social_worker):
    services.file_report(
        actor=court_social_worker, case=in_court, family_situation="а", alternatives="б"
    )
    login(client, file.team.judge)
    response = client.post(reverse("court_judgment", args=[in_court.pk]), {
        **date_fields("on", timezone.localdate(held.ends_at)), "time": "11:30",
        "verdict": "acquittal",
    })  # fmt: skip
    assert response.status_code == 200
    assert "followed the social worker" in response.content.decode()


def test_adjourn_through_the_page(client, file, hearing):
    login(client, file.team.judge)
    response = client.post(reverse("court_adjourn", args=[hearing.pk]), {"reason": "Сараптама"})
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.ADJOURNED


def test_register_a_civil_case_without_the_child_is_refused_on_the_form(client, judge):
    login(client, judge)
    url = reverse("court_register", args=["civil"])
    response = client.post(url, {
        **moment(), "matter": "residence",
        "party_1_role": "claimant", "party_1_name": "Сейітова А.",
    })  # fmt: skip
    assert response.status_code == 200
    assert "Choose the child the case concerns." in response.content.decode()
    assert not CourtCase.objects.exists()


def test_register_a_civil_case(client, judge, juvenile):
    login(client, judge)
    response = client.post(reverse("court_register", args=["civil"]), {
        "juvenile": juvenile.pk, **moment(),
        "matter": "adoption", "foreign_adoption": "on",
        "party_1_role": "claimant", "party_1_name": "Smith John",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    assert CourtCase.objects.get().foreign_adoption is True


def test_calendar_and_caseload(client, file, in_court, hearing, django_assert_max_num_queries):
    login(client, file.team.judge)
    week = timezone.localdate(hearing.starts_at).isoformat()
    with django_assert_max_num_queries(20):
        page = client.get(reverse("court_calendar") + f"?week={week}").content.decode()
    assert in_court.number in page
    with django_assert_max_num_queries(25):
        page = client.get(reverse("court_cases")).content.decode()
    assert in_court.number in page


def test_the_case_page_costs_the_same_with_more_hearings(
    client, file, in_court, courtroom, django_assert_max_num_queries
):
    for days in range(3, 7):
        hearing = schedule(file.team.judge, in_court, courtroom, hearing_day(file, days))
        summon_all(file, hearing)
    login(client, file.team.judge)
    with django_assert_max_num_queries(30):
        client.get(reverse("court_case_detail", args=[in_court.pk]))


def test_today_for_the_judge_and_the_social_worker(
    client, file, in_court, courtroom, court_social_worker
):
    now = timezone.localtime()
    if now.hour >= 22:
        pytest.skip("no room for a hearing later today")
    start = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(hours=1)
    schedule(file.team.judge, in_court, courtroom, start)
    text = login(client, file.team.judge).get("/").content.decode()
    assert "Your hearings today" in text and in_court.number in text
    assert "Social worker&#x27;s report missing" in text or "report missing" in text
    client.logout()
    text = login(client, court_social_worker).get("/").content.decode()
    assert "Reports due" in text and in_court.number in text


def test_the_proceeding_page_shows_the_court_case(client, file, in_court):
    login(client, file.team.investigator)
    page = client.get(
        reverse("case_detail", args=[file.case.pk]) + f"?minor={file.accused.pk}"
    ).content.decode()
    assert in_court.number in page


def test_the_prosecutor_may_not_open_a_civil_case(client, civil, prosecutor):
    login(client, prosecutor)
    assert client.get(reverse("court_case_detail", args=[civil.pk])).status_code == 404


def test_only_the_court_opens_its_calendar(client, prosecutor, other_judge, judge):
    login(client, prosecutor)
    assert client.get(reverse("court_calendar")).status_code == 403
    client.logout()
    login(client, other_judge)
    assert client.get(reverse("court_calendar")).status_code == 200  # their own court's


def test_the_social_worker_may_not_schedule(client, in_court, court_social_worker):
    login(client, court_social_worker)
    assert client.get(reverse("court_schedule", args=[in_court.pk])).status_code == 403


def test_the_judge_may_not_file_the_report(client, file, in_court):
    login(client, file.team.judge)
    assert client.get(reverse("court_report", args=[in_court.pk])).status_code == 403


def test_the_reports_due_page(client, in_court, court_social_worker):
    page = login(client, court_social_worker).get(reverse("court_reports")).content.decode()
    assert in_court.number in page
