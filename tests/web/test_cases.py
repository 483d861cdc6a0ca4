"""The case pages as each role meets them: access, every form's happy path and errors, queries."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from qorgau.accounts.models import User
from qorgau.audit.models import AuditEvent
from qorgau.core.models import CriminalArticle
from qorgau.people import services as people_services
from qorgau.proceedings import services
from qorgau.proceedings.models import (
    Accused,
    Charge,
    Participant,
    ProceduralEvent,
    Proceeding,
    Stage,
)
from qorgau.web.forms.fields import TimeInputField
from qorgau.web.views.cases.timeline import duration
from tests import factories

_numbers = itertools.count(1)


# --- Cases built through the services ------------------------------------------------------


def article(number: str, part: str) -> CriminalArticle:
    return CriminalArticle.objects.get(article=number, part=part)


def offence_moment() -> datetime.datetime:
    """10:00 three days ago, Almaty time: every test's events fit between it and now."""
    moment = timezone.localtime() - datetime.timedelta(days=3)
    return moment.replace(hour=10, minute=0, second=0, microsecond=0)


def minor(investigator, years=16, **fields):
    """A juvenile `years` old (and a few months) on the day of the offence."""
    day = offence_moment().date() - datetime.timedelta(days=100)
    if (day.month, day.day) == (2, 29):
        day -= datetime.timedelta(days=1)
    birth = day.replace(year=day.year - years)
    return factories.juvenile(investigator, birth_date=birth, **fields)


def open_case(investigator, prosecutor, juvenile=None, **overrides):
    """A theft in Auezov district, opened by the investigator, supervised by the prosecutor."""
    offence_at = overrides.pop("offence_at", offence_moment())
    data = {
        "number": f"267513010{next(_numbers):06d}",
        "registered_on": offence_at.date(),
        "offence_at": offence_at,
        "offence_place": "Алматы, Абай даңғылы, 10",
        "territory": factories.territory(factories.AUEZOV),
        "juvenile": juvenile or minor(investigator),
        "articles": [article("188", "2")],
        "prosecutor": prosecutor,
    }
    data.update(overrides)
    return services.open_case(actor=investigator, **data)


def at(case, hours=0.0, minutes=0):
    return case.offence_at + datetime.timedelta(hours=hours, minutes=minutes)


def record(actor, accused, kind, when, **fields):
    return services.record_event(actor=actor, accused=accused, kind=kind, started_at=when, **fields)


def minor_of(case) -> Accused:
    return case.accused.select_related("juvenile").first()


def add_person(investigator, case, role, **fields):
    return services.add_participant(actor=investigator, proceeding=case, role=role, **fields)


def refer_to_court(case, investigator, prosecutor, judge):
    accused = minor_of(case)
    record(
        investigator,
        accused,
        "detention",
        at(case, 1),
        place="ИИБ",
        performed_by="Сержант",
        held_separately=True,
    )
    record(investigator, accused, "indictment", at(case, 2))
    record(prosecutor, accused, "indictment_approved", at(case, 3), court=judge.agency)


def counts():
    return (
        Proceeding.objects.count(),
        ProceduralEvent.objects.count(),
        Participant.objects.count(),
        Charge.objects.count(),
        # Signing in is audited, and so is a refusal (access.refused), which writes nothing else.
        AuditEvent.objects.exclude(action__startswith="auth.")
        .exclude(action="access.refused")
        .count(),
    )


def date_fields(name, day):
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        # Content is checked in English; the Kazakh pages are the browser test's.
        User.objects.filter(pk=user.pk).update(language="en")
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def case(investigator, prosecutor):
    return open_case(investigator, prosecutor)


@pytest.fixture
def team_case(case, investigator, prosecutor, judge, defender, psychologist):
    """A case every participating persona takes part in: in court, defender, psychologist."""
    add_person(investigator, case, "defender", user=defender, accused=minor_of(case))
    add_person(investigator, case, "social_psychologist", user=psychologist)
    refer_to_court(case, investigator, prosecutor, judge)
    return case


def error_links(response):
    content = response.content.decode()
    assert "govuk-error-summary" in content
    return content


# --- The list ---------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("case_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "persona", ["investigator", "prosecutor", "defender", "psychologist", "judge"]
)
def test_each_participating_role_sees_the_case_in_the_list_and_its_page(
    persona, request, signed_in, team_case
):
    client = signed_in(request.getfixturevalue(persona))
    listing = client.get(reverse("case_list"))
    assert listing.status_code == 200
    assert team_case.number in listing.content.decode()
    page = client.get(reverse("case_detail", args=[team_case.pk]))
    assert page.status_code == 200
    assert team_case.number in page.content.decode()


def test_the_outsider_does_not_see_the_case_anywhere(signed_in, outsider, case):
    client = signed_in(outsider)
    assert case.number not in client.get(reverse("case_list")).content.decode()
    accused = minor_of(case)
    for url in (
        reverse("case_detail", args=[case.pk]),
        reverse("event_choose", args=[case.pk, accused.pk]),
        reverse("event_form", args=[case.pk, accused.pk, "detention"]),
        reverse("participant_choose", args=[case.pk]),
        reverse("accused_add", args=[case.pk]),
        reverse("charge_requalify", args=[case.pk, accused.pk]),
        reverse("prosecutor_set", args=[case.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_analyst_has_no_case_list_and_no_cases_menu(signed_in, analyst, investigator):
    client = signed_in(analyst)
    assert client.get(reverse("case_list")).status_code == 403
    assert reverse("case_list") not in client.get(reverse("home")).content.decode()
    assert reverse("case_list") in signed_in(investigator).get(reverse("home")).content.decode()


def test_only_investigators_get_the_open_a_case_button(signed_in, investigator, prosecutor, case):
    assert (
        reverse("case_create") in signed_in(investigator).get(reverse("case_list")).content.decode()
    )
    assert (
        reverse("case_create")
        not in signed_in(prosecutor).get(reverse("case_list")).content.decode()
    )


def test_the_list_row_shows_the_minor_with_the_stage(signed_in, investigator, case):
    content = signed_in(investigator).get(reverse("case_list")).content.decode()
    assert minor_of(case).juvenile.full_name in content
    assert str(Stage.REGISTERED.label) in content
    assert investigator.get_full_name() in content


@pytest.fixture
def two_cases(investigator, prosecutor, judge, outsider):
    """A theft in court and a hooliganism (grave) under investigation, registered apart."""
    theft = open_case(investigator, prosecutor, minor(investigator, first_name="Ерлан"))
    refer_to_court(theft, investigator, prosecutor, judge)
    other = factories.staff("investigator", investigator.agency, username="second")
    hooliganism = open_case(
        other,
        prosecutor,
        minor(other, first_name="Дәурен"),
        articles=[article("293", "2")],
        registered_on=theft.registered_on + datetime.timedelta(days=1),
        offence_at=theft.offence_at,
    )
    return theft, hooliganism, other


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "in_court"}, "theft"),
        ({"stage": "registered"}, "hooliganism"),
        ({"gravity": "grave"}, "hooliganism"),
        ({"gravity": "medium"}, "theft"),
        ({"investigator": "other"}, "hooliganism"),
        ({"q": "number:hooliganism"}, "hooliganism"),
        ({"q": "iin:theft"}, "theft"),
        ({"registered_from": "day+1"}, "hooliganism"),
        ({"registered_to": "day"}, "theft"),
    ],
)
def test_list_filters(signed_in, investigator, two_cases, params, expected):
    theft, hooliganism, other = two_cases
    cases = {"theft": theft, "hooliganism": hooliganism}
    query = {}
    for name, value in params.items():
        if value == "other":
            query[name] = other.pk
        elif value.startswith("number:"):
            query[name] = cases[value.split(":")[1]].number[-6:]
        elif value.startswith("iin:"):
            query[name] = minor_of(cases[value.split(":")[1]]).juvenile.iin
        elif value.startswith("day"):
            day = theft.registered_on + datetime.timedelta(days=1 if value == "day+1" else 0)
            query.update(date_fields(name, day))
        else:
            query[name] = value
    content = signed_in(investigator).get(reverse("case_list"), query).content.decode()
    shown = {name for name, case in cases.items() if case.number in content}
    assert shown == {expected}


def test_region_filter_keeps_cases_of_its_districts(signed_in, investigator, case):
    almaty = factories.territory(factories.ALMATY_CITY)
    astana = factories.territory(factories.ASTANA)
    client = signed_in(investigator)
    assert case.number in client.get(reverse("case_list"), {"region": almaty.pk}).content.decode()
    assert (
        case.number not in client.get(reverse("case_list"), {"region": astana.pk}).content.decode()
    )


def test_an_empty_result_names_the_filter_to_remove(signed_in, investigator, case):
    response = signed_in(investigator).get(reverse("case_list"), {"stage": "closed"})
    content = response.content.decode()
    assert case.number not in content
    assert "No case matches these filters" in content
    assert f"Stage: {Stage.CLOSED.label}" in content
    assert 'href="?"' in content  # removing the only filter leads back to the whole list


def test_a_wrong_date_filter_is_named_and_the_other_filters_still_apply(
    signed_in, investigator, case
):
    query = {"stage": "closed", "registered_from_day": "31", "registered_from_month": "2",
             "registered_from_year": "2026"}  # fmt: skip
    response = signed_in(investigator).get(reverse("case_list"), query)
    content = response.content.decode()
    assert response.context["has_errors"] is True
    assert "Enter a real date" in content
    assert case.number not in content  # the stage filter still applies


def test_htmx_gets_only_the_results_region(signed_in, investigator, case):
    response = signed_in(investigator).get(reverse("case_list"), HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "<html" not in content
    assert 'role="status"' in content
    assert case.number in content


# --- Opening a case ----------------------------------------------------------------------------


def case_post(investigator, prosecutor, person, **overrides):
    day = offence_moment().date()
    data = {
        "number": "267513010999999",
        **date_fields("registered_on", day),
        **date_fields("offence_on", day),
        "offence_time": "16:40",
        "offence_place": "Алматы, Абай даңғылы, 10",
        "territory": factories.territory(factories.AUEZOV).pk,
        "juvenile": person.pk,
        "articles": [article("188", "2").pk, article("191", "1").pk],
        "prosecutor": prosecutor.pk,
        "summary": "Ұрлық.",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("typed", ["16:40", "16.40", "1640"])
def test_open_a_case_through_the_form(signed_in, investigator, prosecutor, typed):
    juvenile = minor(investigator)
    response = signed_in(investigator).post(
        reverse("case_create"), case_post(investigator, prosecutor, juvenile, offence_time=typed)
    )
    case = Proceeding.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.pk])
    offence = timezone.localtime(case.offence_at)
    assert (offence.hour, offence.minute, str(offence.tzinfo)) == (16, 40, "Asia/Almaty")
    assert case.investigator == investigator
    assert case.prosecutor == prosecutor
    assert minor_of(case).juvenile == juvenile
    assert minor_of(case).charges.count() == 2


def test_the_minor_list_shows_name_birth_date_and_masked_iin(signed_in, investigator):
    juvenile = minor(investigator)
    content = signed_in(investigator).get(reverse("case_create")).content.decode()
    masked = juvenile.iin_masked
    assert f"{juvenile.full_name} — {juvenile.birth_date:%d.%m.%Y} — {masked}" in content
    assert juvenile.iin not in content  # a list: the whole IIN is on the record (issue 12)
    assert 'name="articles"' in content and "multiple" in content
    assert "188" in content


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"offence_time": "25:00"}, "offence_time"),
        ({"offence_time": ""}, "offence_time"),
        ({"articles": []}, "articles"),
        ({"offence_on_year": "2099", "registered_on_year": "2099"}, "offence_on"),
        ({"registered_on_year": "2000"}, "registered_on"),
        ({"offence_place": ""}, "offence_place"),
        ({"number": ""}, "number"),
        ({"juvenile": "999999"}, "juvenile"),
    ],
)
def test_open_case_errors_name_the_field_and_write_nothing(
    signed_in, investigator, prosecutor, overrides, field
):
    juvenile = minor(investigator)
    before = counts()
    response = signed_in(investigator).post(
        reverse("case_create"), case_post(investigator, prosecutor, juvenile, **overrides)
    )
    assert response.status_code == 200
    assert f'href="#id_{field}' in error_links(response)
    assert response.context["has_errors"] is True
    assert counts() == before


def test_open_case_refuses_a_duplicate_number_on_its_field(
    signed_in, investigator, prosecutor, case
):
    data = case_post(investigator, prosecutor, minor(investigator), number=case.number)
    before = counts()
    response = signed_in(investigator).post(reverse("case_create"), data)
    assert 'href="#id_number' in error_links(response)
    assert counts() == before


def test_open_case_refuses_a_child_under_the_age_for_the_article(
    signed_in, investigator, prosecutor
):
    fifteen = minor(investigator, years=15)
    before = counts()
    response = signed_in(investigator).post(
        reverse("case_create"),
        case_post(investigator, prosecutor, fifteen, articles=[article("191", "1").pk]),
    )
    content = error_links(response)
    assert 'href="#id_articles' in content
    assert "starts at 16" in content
    assert counts() == before


def test_a_prosecutor_may_not_open_a_case(signed_in, prosecutor, investigator):
    client = signed_in(prosecutor)
    assert client.get(reverse("case_create")).status_code == 403
    data = case_post(investigator, prosecutor, minor(investigator))
    assert client.post(reverse("case_create"), data).status_code == 403
    assert Proceeding.objects.count() == 0


# --- The case page -----------------------------------------------------------------------------


@pytest.fixture
def lived_case(case, investigator, prosecutor, defender):
    """A detention, an interrogation 14:10–16:40 with a break 15:20–15:35, a requalification."""
    accused = minor_of(case)
    lawyer = add_person(investigator, case, "defender", user=defender, state_paid=True)
    add_person(
        investigator, case, "adult_coparticipant", full_name="Ересек Адам", tried_in="general_court"
    )
    add_person(investigator, case, "victim", full_name="Жәбірленуші Бала", is_minor=True)
    record(
        investigator,
        accused,
        "detention",
        at(case, 2),
        place="Әуезов ИІБ",
        performed_by="Сержант Сапаров",
        held_separately=True,
        attendees=[lawyer],
    )
    start = at(case, 4, 10)
    record(
        investigator,
        accused,
        "interrogation",
        start,
        ended_at=start + datetime.timedelta(hours=2, minutes=30),
        breaks=[(start + datetime.timedelta(minutes=70), start + datetime.timedelta(minutes=85))],
        attendees=[lawyer],
    )
    charge = accused.charges.get()
    services.requalify_charge(
        actor=prosecutor, charge=charge, article=article("188", "1"), reason="Зиян аз."
    )
    return case


def test_the_case_page_shows_the_minor_the_stage_and_the_timeline(
    signed_in, investigator, lived_case
):
    accused = minor_of(lived_case)
    response = signed_in(investigator).get(reverse("case_detail", args=[lived_case.pk]))
    content = response.content.decode().replace("\N{NO-BREAK SPACE}", " ")
    assert lived_case.number in content and lived_case.offence_place in content
    assert accused.juvenile.full_name in content
    assert "16 years old on the day of the offence" in content
    assert str(Stage.INVESTIGATION.label) in content
    # The timeline: newest first, with the facts computed from the recorded times.
    assert content.index("Interrogation") < content.index("Actual detention")
    assert "14:10–16:40, 2 h 30 min, breaks: 15:20–15:35 (net 2 h 15 min)" in content
    assert "Әуезов ИІБ" in content and "Сержант Сапаров" in content
    assert "Held separately from adults" in content
    assert f"by {investigator.get_full_name()} (investigator, {investigator.agency})" in content
    start = timezone.localtime(at(lived_case, 4, 10))
    assert f'<time datetime="{start.isoformat()}">{start:%d.%m.%Y} 14:10</time>' in content


def test_the_case_page_shows_charges_with_their_requalification(
    signed_in, investigator, prosecutor, lived_case
):
    content = (
        signed_in(investigator).get(reverse("case_detail", args=[lived_case.pk])).content.decode()
    )
    assert "<s>art. 188 part 2" in content
    assert "Requalified to art. 188 part 1 on" in content
    assert f"by {prosecutor.get_full_name()} because: Зиян аз." in content


def test_the_case_page_groups_the_people_around_the_child(
    signed_in, investigator, defender, lived_case
):
    content = (
        signed_in(investigator).get(reverse("case_detail", args=[lived_case.pk])).content.decode()
    )
    assert defender.get_full_name() in content
    assert "Paid by the state" in content
    assert "separately, in a general court" in content
    assert "Жәбірленуші Бала" in content


def test_reading_the_case_is_audited(signed_in, investigator, case):
    signed_in(investigator).get(reverse("case_detail", args=[case.pk]))
    assert (
        AuditEvent.objects.filter(
            action="case.view", actor=investigator, subject_id=str(case.pk)
        ).count()
        == 1
    )


def test_a_case_with_two_minors_links_each_timeline(signed_in, investigator, case):
    second = services.add_accused(
        actor=investigator,
        proceeding=case,
        juvenile=minor(investigator, first_name="Дәурен"),
        articles=[article("188", "2")],
    )
    add_person(
        investigator, case, "defender", user=factories.staff("defence_lawyer"), accused=second
    )
    client = signed_in(investigator)
    content = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "moj-sub-navigation" in content
    assert f'href="?minor={second.pk}"' in content
    assert "for the minor " + second.juvenile.full_name in content
    chosen = client.get(reverse("case_detail", args=[case.pk]), {"minor": second.pk})
    assert "<h1" in chosen.content.decode()
    assert chosen.context["selected"] == second
    assert client.get(reverse("case_detail", args=[case.pk]), {"minor": 999999}).status_code == 404


def test_what_you_can_do_now_follows_the_role(signed_in, investigator, prosecutor, defender, case):
    accused = minor_of(case)
    add_person(investigator, case, "defender", user=defender)
    page = signed_in(investigator).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("event_form", args=[case.pk, accused.pk, "detention"]) in page
    assert reverse("participant_choose", args=[case.pk]) in page
    assert reverse("accused_add", args=[case.pk]) in page
    page = signed_in(prosecutor).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("event_form", args=[case.pk, accused.pk, "detention"]) not in page
    assert reverse("prosecutor_set", args=[case.pk]) in page
    assert reverse("charge_requalify", args=[case.pk, accused.pk]) in page
    assert reverse("participant_choose", args=[case.pk]) not in page
    page = signed_in(defender).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert reverse("event_form", args=[case.pk, accused.pk, "defender_arrived"]) in page
    assert reverse("prosecutor_set", args=[case.pk]) not in page


def test_a_pending_decision_is_shown(signed_in, investigator, prosecutor, case):
    accused = minor_of(case)
    record(
        investigator,
        accused,
        "detention",
        at(case, 1),
        place="ИІБ",
        performed_by="Сержант",
        held_separately=False,
    )
    record(investigator, accused, "termination", at(case, 2), ground="reconciliation")
    content = signed_in(prosecutor).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Awaiting approval" in content
    assert "reconciliation with the victim" in content
    assert reverse("event_form", args=[case.pk, accused.pk, "termination_approved"]) in content


# --- Recording an event ------------------------------------------------------------------------


def kinds_offered(client, case, accused):
    response = client.get(reverse("event_choose", args=[case.pk, accused.pk]))
    assert response.status_code == 200
    return [value for value, _label in response.context["form"].fields["kind"].choices]


def test_the_question_page_offers_only_what_the_role_may_record_now(
    signed_in, investigator, prosecutor, judge, defender, case
):
    accused = minor_of(case)
    add_person(investigator, case, "defender", user=defender)
    offered = kinds_offered(signed_in(investigator), case, accused)
    assert "detention" in offered and "interrogation" in offered
    assert "judgment" not in offered and "indictment" not in offered  # not before investigation
    assert kinds_offered(signed_in(defender), case, accused) == ["defender_arrived"]
    assert (
        signed_in(prosecutor).get(reverse("event_choose", args=[case.pk, accused.pk])).status_code
        == 403
    )
    refer_to_court(case, investigator, prosecutor, judge)
    assert "judgment" in kinds_offered(signed_in(judge), case, accused)
    assert (
        signed_in(investigator).get(reverse("event_choose", args=[case.pk, accused.pk])).status_code
        == 403
    )


def test_the_question_page_leads_to_the_kind_form(signed_in, investigator, case):
    accused = minor_of(case)
    client = signed_in(investigator)
    response = client.post(
        reverse("event_choose", args=[case.pk, accused.pk]), {"kind": "detention"}
    )
    assert response["Location"] == reverse("event_form", args=[case.pk, accused.pk, "detention"])
    response = client.post(
        reverse("event_choose", args=[case.pk, accused.pk]), {"kind": "judgment"}
    )
    assert 'href="#id_kind_0"' in error_links(response)


def test_a_wrong_role_gets_403_and_nothing_is_written(signed_in, prosecutor, judge, case):
    accused = minor_of(case)
    url = reverse("event_form", args=[case.pk, accused.pk, "detention"])
    before = counts()
    assert signed_in(prosecutor).get(url).status_code == 403
    assert signed_in(judge).get(url).status_code == 404  # the court is not in the case yet
    data = event_post(case, "12:00", place="ИІБ", performed_by="Сержант", held_separately="yes")
    assert signed_in(prosecutor).post(url, data).status_code == 403
    assert counts() == before


def test_an_unknown_kind_is_not_found(signed_in, investigator, case):
    url = reverse("event_form", args=[case.pk, minor_of(case).pk, "coffee"])
    assert signed_in(investigator).get(url).status_code == 404


def event_post(case, time, day=None, **fields):
    data = {**date_fields("started_on", day or case.offence_at.date()), "started_time": time}
    data.update(fields)
    return data


def test_record_a_detention(signed_in, investigator, defender, case):
    accused = minor_of(case)
    lawyer = add_person(investigator, case, "defender", user=defender)
    url = reverse("event_form", args=[case.pk, accused.pk, "detention"])
    client = signed_in(investigator)
    form = client.get(url).content.decode()
    assert 'name="held_separately"' in form and 'name="attendees"' in form
    assert 'name="verdict"' not in form and 'name="ended_time"' not in form
    data = event_post(
        case,
        "12.30",
        place="Әуезов ИІБ",
        performed_by="Сержант Сапаров",
        held_separately="no",
        attendees=[lawyer.pk],
        document_number="12",
    )
    response = client.post(url, data, follow=True)
    event = ProceduralEvent.objects.get()
    assert (
        response.redirect_chain[-1][0]
        == reverse("case_detail", args=[case.pk]) + f"?minor={accused.pk}"
    )
    assert "Event recorded" in response.content.decode()
    assert timezone.localtime(event.started_at).strftime("%H:%M") == "12:30"
    assert (event.place, event.held_separately, event.document_number) == (
        "Әуезов ИІБ",
        False,
        "12",
    )
    assert list(event.attendees.all()) == [lawyer]
    accused.refresh_from_db()
    assert accused.stage == Stage.INVESTIGATION


def test_record_an_interrogation_with_breaks(signed_in, investigator, case):
    accused = minor_of(case)
    url = reverse("event_form", args=[case.pk, accused.pk, "interrogation"])
    data = event_post(
        case,
        "14:10",
        ended_time="16:40",
        break_1_start="15:20",
        break_1_end="15.35",
        break_2_start="1600",
        break_2_end="1605",
    )
    response = signed_in(investigator).post(url, data, follow=True)
    event = ProceduralEvent.objects.get()
    assert event.duration_minutes == 150
    assert len(event.breaks) == 2
    content = response.content.decode().replace("\N{NO-BREAK SPACE}", " ")
    assert "14:10–16:40, 2 h 30 min, breaks: 15:20–15:35, 16:00–16:05 (net 2 h 10 min)" in content


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ended_time": "13:00"}, "ended_time"),  # ends before it starts (the service)
        ({"break_1_start": "13:00", "break_1_end": "13:30"}, "break_1_start"),  # outside
        ({"break_1_start": "15:20", "break_1_end": "15:10"}, "break_1_end"),
        ({"break_1_start": "15:20"}, "break_1_end"),
        ({"ended_time": "4 pm"}, "ended_time"),
        ({"ended_time": ""}, "ended_time"),
    ],
)
def test_interrogation_errors_name_the_field_and_write_nothing(
    signed_in, investigator, case, fields, field
):
    accused = minor_of(case)
    url = reverse("event_form", args=[case.pk, accused.pk, "interrogation"])
    before = counts()
    response = signed_in(investigator).post(
        url, event_post(case, "14:10", **{"ended_time": "16:40", **fields})
    )
    assert response.status_code == 200
    assert f'href="#id_{field}"' in error_links(response)
    assert response.context["has_errors"] is True
    assert counts() == before


@pytest.mark.parametrize(
    ("day", "fields", "field"),
    [
        ("future", {}, "started_on"),
        ("before", {}, "started_on"),
        ("offence", {"place": ""}, "place"),
        ("offence", {"held_separately": ""}, "held_separately"),
        ("offence", {"started_time": "9"}, "started_time"),
    ],
)
def test_detention_errors_name_the_field_and_write_nothing(
    signed_in, investigator, case, day, fields, field
):
    accused = minor_of(case)
    days = {"future": 10, "before": -10, "offence": 0}
    when = case.offence_at.date() + datetime.timedelta(days=days[day])
    data = event_post(
        case, "12:00", day=when, place="ИІБ", performed_by="Сержант", held_separately="yes"
    )
    data.update(fields)
    before = counts()
    response = signed_in(investigator).post(
        reverse("event_form", args=[case.pk, accused.pk, "detention"]), data
    )
    assert f'href="#id_{field}' in error_links(response)
    assert counts() == before


def test_a_refusal_without_a_field_goes_to_the_summary(signed_in, investigator, case, monkeypatch):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("The case changed meanwhile.")

    monkeypatch.setattr(services, "record_event", refuse)
    accused = minor_of(case)
    response = signed_in(investigator).post(
        reverse("event_form", args=[case.pk, accused.pk, "release"]), event_post(case, "12:00")
    )
    content = error_links(response)
    assert "<li>The case changed meanwhile.</li>" in content


def test_record_a_preventive_measure(signed_in, investigator, case):
    accused = minor_of(case)
    url = reverse("event_form", args=[case.pk, accused.pk, "preventive_measure"])
    client = signed_in(investigator)
    before = counts()
    response = client.post(
        url, event_post(case, "12:00", measure="custody", court_sanctioned="yes")
    )
    assert 'href="#id_term_days"' in error_links(response)  # custody needs its term
    assert counts() == before
    response = client.post(
        url,
        event_post(case, "12:00", measure="custody", term_days="30", court_sanctioned="yes"),
        follow=True,
    )
    event = ProceduralEvent.objects.get()
    assert (event.measure, event.term_days, event.court_sanctioned) == ("custody", 30, True)
    content = response.content.decode()
    assert "custody (pre-trial detention)" in content and "30 days" in content


def test_terminate_then_the_prosecutor_approves(signed_in, investigator, prosecutor, case):
    accused = minor_of(case)
    record(investigator, accused, "release", at(case, 1))
    url = reverse("event_form", args=[case.pk, accused.pk, "termination"])
    response = signed_in(investigator).post(url, event_post(case, "13:00"))
    assert 'href="#id_ground_0"' in error_links(response)
    assert (
        signed_in(investigator)
        .post(url, event_post(case, "13:00", ground="reconciliation"))
        .status_code
        == 302
    )
    approve = reverse("event_form", args=[case.pk, accused.pk, "termination_approved"])
    assert signed_in(prosecutor).post(approve, event_post(case, "14:00")).status_code == 302
    accused.refresh_from_db()
    assert accused.stage == Stage.TERMINATED


def test_the_prosecutor_refers_the_case_to_a_juvenile_court(
    signed_in, investigator, prosecutor, judge, case
):
    accused = minor_of(case)
    record(investigator, accused, "release", at(case, 1))
    record(investigator, accused, "indictment", at(case, 2))
    url = reverse("event_form", args=[case.pk, accused.pk, "indictment_approved"])
    client = signed_in(prosecutor)
    assert judge.agency.name in client.get(url).content.decode()
    response = client.post(url, event_post(case, "15:00"))
    assert 'href="#id_court"' in error_links(response)
    assert client.post(url, event_post(case, "15:00", court=judge.agency.pk)).status_code == 302
    case.refresh_from_db()
    assert case.court == judge.agency


@pytest.fixture
def in_court(case, investigator, prosecutor, judge):
    refer_to_court(case, investigator, prosecutor, judge)
    return case


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"verdict": "conviction"}, "punishment"),
        ({"verdict": "conviction", "punishment": "fine"}, "fine_amount"),
        ({"verdict": "conviction", "punishment": "community_works"}, "term_months"),
        ({"verdict": "acquittal", "punishment": "fine"}, "punishment"),
        ({"verdict": "conviction", "punishment": "fine", "fine_amount": "сто"}, "fine_amount"),
        ({}, "verdict"),
    ],
)
def test_judgment_errors(signed_in, judge, in_court, fields, field):
    accused = minor_of(in_court)
    before = counts()
    response = signed_in(judge).post(
        reverse("event_form", args=[in_court.pk, accused.pk, "judgment"]),
        event_post(in_court, "16:00", **fields),
    )
    assert f'href="#id_{field}' in error_links(response)
    assert counts() == before


def test_record_a_conditional_conviction(signed_in, judge, in_court):
    accused = minor_of(in_court)
    response = signed_in(judge).post(
        reverse("event_form", args=[in_court.pk, accused.pk, "judgment"]),
        event_post(
            in_court,
            "16:00",
            verdict="conviction",
            punishment="restriction_of_freedom",
            term_months="12",
            conditional="on",
            probation_months="18",
        ),
        follow=True,
    )
    event = ProceduralEvent.objects.get(kind="judgment")
    assert (event.term_months, event.conditional, event.probation_months) == (12, True, 18)
    content = response.content.decode()
    assert "restriction of freedom" in content and "18 months" in content


def test_record_a_fine_typed_with_spaces(signed_in, judge, in_court):
    accused = minor_of(in_court)
    signed_in(judge).post(
        reverse("event_form", args=[in_court.pk, accused.pk, "judgment"]),
        event_post(
            in_court, "16:00", verdict="conviction", punishment="fine", fine_amount="150 000"
        ),
    )
    assert ProceduralEvent.objects.get(kind="judgment").fine_amount == 150000


def test_appeal_and_decision(signed_in, judge, prosecutor, in_court):
    accused = minor_of(in_court)
    record(judge, accused, "judgment", at(in_court, 5), verdict="acquittal")
    url = reverse("event_form", args=[in_court.pk, accused.pk, "appeal"])
    response = signed_in(prosecutor).post(url, event_post(in_court, "18:00"))
    assert 'href="#id_performed_by"' in error_links(response)
    response = signed_in(prosecutor).post(
        url, event_post(in_court, "18:00", performed_by="Прокурор")
    )
    assert response.status_code == 302
    decision = reverse("event_form", args=[in_court.pk, accused.pk, "appeal_decision"])
    response = signed_in(judge).post(
        decision, event_post(in_court, "19:00", appeal_outcome="upheld")
    )
    assert response.status_code == 302
    accused.refresh_from_db()
    assert accused.stage == Stage.CLOSED


def test_notify_the_legal_representative(signed_in, investigator, case):
    accused = minor_of(case)
    mother = people_services.add_relative(
        actor=investigator,
        juvenile=accused.juvenile,
        relation="mother",
        last_name="Сейітова",
        first_name="Гүлмира",
        is_legal_representative=True,
    )
    representative = add_person(
        investigator, case, "legal_representative", relative=mother, accused=accused
    )
    add_person(investigator, case, "victim", full_name="Басқа Адам")
    url = reverse("event_form", args=[case.pk, accused.pk, "representative_notified"])
    client = signed_in(investigator)
    form = client.get(url)
    assert [p.pk for p in form.context["form"].fields["participant"].queryset] == [
        representative.pk
    ]
    response = client.post(url, event_post(case, "11:00", method="phone"))
    assert 'href="#id_participant"' in error_links(response)
    response = client.post(
        url, event_post(case, "11:00", method="phone", participant=representative.pk)
    )
    assert response.status_code == 302
    assert ProceduralEvent.objects.get().participant == representative


def test_a_defender_records_only_their_own_arrival(signed_in, investigator, defender, case):
    accused = minor_of(case)
    mine = add_person(investigator, case, "defender", user=defender)
    add_person(investigator, case, "defender", user=factories.staff("defence_lawyer"))
    url = reverse("event_form", args=[case.pk, accused.pk, "defender_arrived"])
    client = signed_in(defender)
    assert list(client.get(url).context["form"].fields["participant"].queryset) == [mine]
    response = client.post(url, event_post(case, "11:00", participant=mine.pk))
    assert response.status_code == 302


# --- People, minors, charges, prosecutor -------------------------------------------------------


def test_add_a_person_starts_with_the_role(signed_in, investigator, case):
    client = signed_in(investigator)
    url = reverse("participant_choose", args=[case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"role": "victim"})
    assert response["Location"] == reverse("participant_form", args=[case.pk, "victim"])
    assert 'href="#id_role_0"' in error_links(client.post(url, {}))
    assert client.get(reverse("participant_form", args=[case.pk, "nobody"])).status_code == 404


def test_add_a_state_paid_defender(signed_in, investigator, defender, case):
    url = reverse("participant_form", args=[case.pk, "defender"])
    client = signed_in(investigator)
    assert defender.get_full_name() in client.get(url).content.decode()
    before = counts()
    assert 'href="#id_user"' in error_links(client.post(url, {"state_paid": "on"}))
    assert counts() == before
    response = client.post(url, {"user": defender.pk, "state_paid": "on"})
    assert response.status_code == 302
    person = Participant.objects.get()
    assert (person.user, person.state_paid, person.accused) == (defender, True, minor_of(case))


def test_a_staff_member_of_another_role_is_not_offered(signed_in, investigator, psychologist, case):
    url = reverse("participant_form", args=[case.pk, "defender"])
    client = signed_in(investigator)
    response = client.post(url, {"user": psychologist.pk})
    assert 'href="#id_user"' in error_links(response)
    assert Participant.objects.count() == 0


def test_add_the_legal_representative_from_the_minors_family(signed_in, investigator, case):
    accused = minor_of(case)
    father = people_services.add_relative(
        actor=investigator,
        juvenile=accused.juvenile,
        relation="father",
        last_name="Сейітов",
        first_name="Қайрат",
        is_legal_representative=True,
        phone="+7 701 000 00 00",
    )
    url = reverse("participant_form", args=[case.pk, "legal_representative"])
    client = signed_in(investigator)
    assert 'href="#id_relative"' in error_links(client.post(url, {}))
    assert client.post(url, {"relative": father.pk}).status_code == 302
    person = Participant.objects.get()
    assert (person.relative, person.accused, person.phone) == (father, accused, "+7 701 000 00 00")


@pytest.mark.parametrize(
    ("role", "data", "expected"),
    [
        ("victim", {"full_name": "Жәбірленуші", "is_minor": "on"}, {"is_minor": True}),
        (
            "adult_coparticipant",
            {"full_name": "Ересек", "tried_in": "juvenile_court"},
            {"tried_in": "juvenile_court"},
        ),
        ("pedagogue", {"full_name": "Мұғалім"}, {"full_name": "Мұғалім"}),
    ],
)
def test_add_a_person_by_name(signed_in, investigator, case, role, data, expected):
    url = reverse("participant_form", args=[case.pk, role])
    client = signed_in(investigator)
    before = counts()
    assert 'href="#id_full_name"' in error_links(client.post(url, {**data, "full_name": ""}))
    assert counts() == before
    assert client.post(url, data).status_code == 302
    person = Participant.objects.get()
    for name, value in expected.items():
        assert getattr(person, name) == value


def test_only_the_investigator_and_the_judge_add_people(
    signed_in, prosecutor, defender, investigator, case
):
    add_person(investigator, case, "defender", user=defender)
    for user in (prosecutor, defender):
        client = signed_in(user)
        assert client.get(reverse("participant_choose", args=[case.pk])).status_code == 403
        response = client.post(
            reverse("participant_form", args=[case.pk, "victim"]), {"full_name": "X"}
        )
        assert response.status_code == 403
    assert Participant.objects.count() == 1


def test_add_another_minor(signed_in, investigator, prosecutor, case):
    url = reverse("accused_add", args=[case.pk])
    client = signed_in(investigator)
    second = minor(investigator, first_name="Дәурен")
    adult = minor(investigator, years=18, first_name="Ересек")
    before = counts()
    assert 'href="#id_articles' in error_links(client.post(url, {"juvenile": second.pk}))
    response = client.post(url, {"juvenile": adult.pk, "articles": [article("188", "2").pk]})
    assert 'href="#id_juvenile' in error_links(response)
    assert counts() == before
    response = client.post(url, {"juvenile": second.pk, "articles": [article("188", "2").pk]})
    added = case.accused.get(juvenile=second)
    assert response["Location"] == reverse("case_detail", args=[case.pk]) + f"?minor={added.pk}"
    assert signed_in(prosecutor).get(url).status_code == 403


def test_requalify_a_charge(signed_in, investigator, prosecutor, case):
    accused = minor_of(case)
    charge = accused.charges.get()
    url = reverse("charge_requalify", args=[case.pk, accused.pk])
    client = signed_in(prosecutor)
    before = counts()
    response = client.post(
        url, {"charge": charge.pk, "article": charge.article_id, "reason": "Жоқ"}
    )
    assert 'href="#id_article"' in error_links(response)
    response = client.post(
        url, {"charge": charge.pk, "article": article("188", "1").pk, "reason": ""}
    )
    assert 'href="#id_reason"' in error_links(response)
    assert counts() == before
    response = client.post(
        url, {"charge": charge.pk, "article": article("188", "1").pk, "reason": "Зиян аз."}
    )
    assert response.status_code == 302
    assert accused.charges.get(ended_at=None).requalified_from == charge


def test_a_defender_may_not_requalify(signed_in, investigator, defender, case):
    add_person(investigator, case, "defender", user=defender)
    accused = minor_of(case)
    assert (
        signed_in(defender).get(reverse("charge_requalify", args=[case.pk, accused.pk])).status_code
        == 403
    )


def test_set_the_prosecutor(signed_in, investigator, prosecutor, defender):
    case = open_case(investigator, None)
    url = reverse("prosecutor_set", args=[case.pk])
    client = signed_in(investigator)
    before = counts()
    assert 'href="#id_prosecutor"' in error_links(client.post(url, {}))
    assert 'href="#id_prosecutor"' in error_links(client.post(url, {"prosecutor": defender.pk}))
    assert counts() == before
    assert client.post(url, {"prosecutor": prosecutor.pk}).status_code == 302
    case.refresh_from_db()
    assert case.prosecutor == prosecutor


def test_a_defender_may_not_set_the_prosecutor(signed_in, investigator, defender, case):
    add_person(investigator, case, "defender", user=defender)
    assert signed_in(defender).get(reverse("prosecutor_set", args=[case.pk])).status_code == 403


# --- Small pieces ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["16:40", "16.40", "1640", " 16:40 "])
def test_the_time_field_accepts_the_usual_ways_of_typing(typed):
    assert TimeInputField().clean(typed) == datetime.time(16, 40)


@pytest.mark.parametrize("typed", ["24:00", "16:60", "16", "4 pm", "16-40"])
def test_the_time_field_refuses_what_is_not_a_time(typed):
    from django.core.exceptions import ValidationError

    with translation.override("en"), pytest.raises(ValidationError, match="24-hour"):
        TimeInputField().clean(typed)


@pytest.mark.parametrize(("minutes", "text"), [(150, "2 h 30 min"), (120, "2 h"), (15, "15 min")])
def test_durations_read_as_hours_and_minutes(minutes, text):
    with translation.override("en"):
        assert duration(minutes) == text.replace(" ", "\N{NO-BREAK SPACE}")


# --- Queries do not grow with the rows ---------------------------------------------------------


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_case_list_takes_the_same_queries_for_3_and_15_cases(
    signed_in, investigator, prosecutor
):
    client = signed_in(investigator)
    for _ in range(3):
        open_case(investigator, prosecutor)
    few = queries(client, reverse("case_list"), gravity="medium")
    for _ in range(12):
        case = open_case(investigator, prosecutor)
        services.add_accused(
            actor=investigator,
            proceeding=case,
            juvenile=minor(investigator),
            articles=[article("188", "2")],
        )
    many = queries(client, reverse("case_list"), gravity="medium")
    assert few == many
    assert many <= 15


def test_the_case_page_takes_the_same_queries_for_3_and_20_events(
    signed_in, investigator, prosecutor, defender, case
):
    accused = minor_of(case)
    lawyer = add_person(investigator, case, "defender", user=defender)
    client = signed_in(investigator)

    def add_events(count, offset):
        for i in range(count):
            start = at(case, 1, offset + i * 3)
            if i % 3 == 0:
                record(
                    investigator,
                    accused,
                    "detention",
                    start,
                    place="ИІБ",
                    performed_by="С",
                    held_separately=True,
                    attendees=[lawyer],
                )
            elif i % 3 == 1:
                record(
                    investigator,
                    accused,
                    "interrogation",
                    start,
                    ended_at=start + datetime.timedelta(minutes=2),
                    attendees=[lawyer],
                )
            else:
                record(defender, accused, "defender_arrived", start, participant=lawyer)

    add_events(3, 0)
    url = reverse("case_detail", args=[case.pk])
    few = queries(client, url)
    add_events(17, 100)
    for i in range(5):
        add_person(investigator, case, "victim", full_name=f"Жәбірленуші {i}")
    many = queries(client, url)
    assert ProceduralEvent.objects.count() == 20
    assert few == many
    assert many <= 26  # the audit row is one INSERT: it is sealed after the commit
