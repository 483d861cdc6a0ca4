"""The probation pages: the caseload, the supervision page, each form, Today, who sees what."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from qorgau.probation.models import CheckIn, Release, Status
from tests.factories import PASSWORD
from tests.probation.conftest import D

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


def test_today_shows_the_inspector_the_overdue_check_in(client, planned, inspector):
    text = login(client, inspector).get(reverse("home")).content.decode()
    assert "Overdue check-ins" in text
    assert planned.juvenile.full_name in text
    assert reverse("supervision_detail", args=[planned.pk]) in text


def test_today_shows_a_convict_who_has_not_reported(client, received, inspector):
    text = login(client, inspector).get(reverse("home")).content.decode()
    assert "have not reported yet" in text


def test_the_caseload_lists_the_services_supervisions(
    client, planned, inspector, django_assert_max_num_queries
):
    login(client, inspector)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("probation_caseload"))
    text = response.content.decode()
    assert planned.juvenile.full_name in text
    assert "Overdue" in text


def test_the_supervision_page_and_its_reading_is_audited(
    client, planned, inspector, django_assert_max_num_queries
):
    login(client, inspector)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("supervision_detail", args=[planned.pk]))
    text = response.content.decode()
    assert "Record a check-in" in text
    assert "art. 398" in text


def test_the_inspector_registers_sets_the_plan_and_records_a_check_in(
    client, received, inspector, offence_day
):
    login(client, inspector)
    response = client.post(
        reverse("supervision_register", args=[received.pk]),
        {**date_fields("registered_on", offence_day + D), "inspector": inspector.pk},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("supervision_plan", args=[received.pk]),
        {
            "report_every_days": "7",
            **date_fields("first_check_in_on", offence_day + 2 * D),
            "work_hours": "60",
        },
    )
    assert response.status_code == 302
    response = client.post(
        reverse("supervision_check_in", args=[received.pk]),
        {**date_fields("due_on", offence_day + 2 * D), "attendance": "attended"},
    )
    assert response.url == reverse("supervision_detail", args=[received.pk])
    assert CheckIn.objects.get().attendance == "attended"


def test_hours_beyond_the_sentence_come_back_on_the_field(client, planned, inspector, offence_day):
    login(client, inspector)
    response = client.post(
        reverse("supervision_hours", args=[planned.pk]),
        {**date_fields("worked_on", offence_day + 4 * D), "hours": "61"},
    )
    assert response.status_code == 200
    assert "60 of 60 hours are left" in response.content.decode()


def test_an_end_before_the_start_comes_back_with_the_error(client, planned, inspector, offence_day):
    login(client, inspector)
    response = client.post(
        reverse("supervision_end", args=[planned.pk]),
        {**date_fields("ended_on", offence_day - 2 * D), "reason": "served"},
    )
    assert response.status_code == 200
    assert "cannot end before it began" in response.content.decode()
    planned.refresh_from_db()
    assert planned.status == Status.ACTIVE


def test_another_probation_service_gets_404(client, planned, other_inspector):
    login(client, other_inspector)
    assert client.get(reverse("supervision_detail", args=[planned.pk])).status_code == 404
    assert client.get(reverse("supervision_check_in", args=[planned.pk])).status_code == 404


def test_the_judge_reads_but_may_not_record(client, planned, file):
    login(client, file.team.judge)
    response = client.get(reverse("supervision_detail", args=[planned.pk]))
    assert response.status_code == 200
    assert "Record a check-in" not in response.content.decode()
    assert client.get(reverse("supervision_check_in", args=[planned.pk])).status_code == 403
    assert client.get(reverse("probation_caseload")).status_code == 403


def test_the_case_page_shows_the_supervision(client, planned, file):
    login(client, file.team.judge)
    page = client.get(reverse("case_detail", args=[file.case.pk]) + f"?minor={file.accused.pk}")
    assert reverse("supervision_detail", args=[planned.pk]) in page.content.decode()


def test_the_inspector_records_a_release_and_a_follow_up(client, inspector, juvenile):
    login(client, inspector)
    day = timezone.localdate() - 100 * D
    response = client.post(
        reverse("release_create"),
        {
            "iin": juvenile.iin,
            "institution": "Орташа қауіпсіз мекеме",
            "institution_kind": "medium_security",
            **date_fields("released_on", day),
            "basis": "served",
            "area_housing": "Анасымен тұрады.",
            "area_employment": "Жұмыс іздеу.",
        },
    )
    release = Release.objects.get()
    assert response.url == reverse("release_detail", args=[release.pk])
    text = client.get(response.url).content.decode()
    assert "Open the support plan" in text
    follow_up = release.follow_ups.get(months=3)
    response = client.post(
        reverse("follow_up_record", args=[follow_up.pk]),
        {**date_fields("done_on", timezone.localdate()), "outcome": "settled"},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.outcome == "settled"


def test_a_release_for_an_unknown_iin_is_refused_on_the_field(client, inspector):
    login(client, inspector)
    response = client.post(
        reverse("release_create"),
        {
            "iin": "000000000000",
            "institution": "X",
            "institution_kind": "medium_security",
            **date_fields("released_on", timezone.localdate()),
            "basis": "served",
            "area_housing": "Үй.",
        },
    )
    assert response.status_code == 200
    assert "No minor with this IIN" in response.content.decode()
    assert not Release.objects.exists()


def test_today_reads_the_probation_panel_in_a_fixed_number_of_queries(
    client, planned, received, inspector, juvenile, django_assert_max_num_queries
):
    from qorgau.probation import services

    services.record_release(
        actor=inspector,
        juvenile=juvenile,
        institution="Мекеме",
        institution_kind="medium_security",
        released_on=timezone.localdate() - 100 * D,
        basis="served",
        areas={"housing": "Үй."},
    )
    login(client, inspector)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("home"))
    assert response.status_code == 200
