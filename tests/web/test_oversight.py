"""The prosecutor's oversight workspace and the flags on the case page, as each role meets them.

Violations are never made by hand: the tests record real steps through the proceedings
services, and the safeguards are evaluated with each of them (an interrogation with no defender
fires `defender_at_interrogation`, a detention with adults fires `held_with_adults`).
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from qorgau.accounts import services as account_services
from qorgau.accounts.models import AgencyType, Role, User
from qorgau.audit.models import AuditEvent
from qorgau.proceedings.services import add_participant
from qorgau.safeguards import services as safeguard_services
from qorgau.safeguards.models import ActType, Status, Violation
from tests import factories
from tests.proceedings import factories as cases
from tests.proceedings.factories import CaseFile, Team

MINUTE = datetime.timedelta(minutes=1)


# --- Cases with violations, built through the services -----------------------------------------


@pytest.fixture
def team(investigator, prosecutor, judge, defender, psychologist) -> Team:
    return Team(investigator, prosecutor, judge, defender, psychologist)


@pytest.fixture
def trained(team):
    """The investigator and the prosecutor hold the specialization: only the intended rules fire."""
    for user in (team.investigator, team.prosecutor):
        train(user)
    return team


def train(user: User) -> None:
    account_services.add_training(
        actor=factories.superuser(),
        user=user,
        course="Ювеналдық әділет",
        completed_on=timezone.localdate() - datetime.timedelta(days=400),
        hours=72,
    )


def new_file(team: Team, investigator: User | None = None) -> CaseFile:
    offence = cases.offence_moment()
    juvenile = cases.minor(investigator or team.investigator, timezone.localdate(offence), 16)
    case = cases.open_case(team, juvenile, offence_at=offence, investigator=investigator)
    file = CaseFile(team, case, case.accused.get())
    file.representative = add_participant(
        actor=investigator or team.investigator,
        proceeding=case,
        role="legal_representative",
        accused=file.accused,
        full_name="Сейітова Айгүл Маратқызы",
    )
    return file


def interrogate_without_defender(file: CaseFile, actor: User | None = None):
    """A two-minute interrogation in the daytime with the legal representative and no
    defender: `defender_at_interrogation` fires."""
    file.clock += 10 * MINUTE  # many of them still end before the night (CPC art. 535)
    start = file.clock
    return file.record(
        "interrogation",
        at=start,
        ended_at=start + 2 * MINUTE,
        actor=actor,
        attendees=[file.representative],
    )


def detain_with_adults(file: CaseFile):
    """A detention in a cell with adults: `held_with_adults` fires at once."""
    return file.record("detention", held_separately=False)


@pytest.fixture
def file(trained) -> CaseFile:
    """A case with one violation: the minor interrogated without a defender."""
    file = new_file(trained)
    interrogate_without_defender(file)
    return file


@pytest.fixture
def violation(file) -> Violation:
    return Violation.objects.get(accused=file.accused, rule_id="defender_at_interrogation")


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        # Content is checked in English.
        User.objects.filter(pk=user.pk).update(language="en")
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def other_prosecutor(db) -> User:
    """A prosecutor of Astana: the Almaty cases are not his."""
    office = factories.agency(AgencyType.PROSECUTOR_OFFICE, factories.ASTANA)
    return factories.staff(Role.PROSECUTOR, office, username="astana_prosecutor")


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def answer_url(violation, answer):
    return reverse("violation_answer", args=[violation.pk, answer])


def date_fields(name, day):
    return {
        f"{name}_day": str(day.day),
        f"{name}_month": str(day.month),
        f"{name}_year": str(day.year),
    }


def answers_written() -> tuple:
    return (
        sorted(Violation.objects.values_list("pk", "status", "note", "act_number")),
        AuditEvent.objects.filter(action="violation.status").count(),
    )


# --- Who may open the workspace --------------------------------------------------------------


def test_the_prosecutor_opens_the_dashboard_and_the_list(signed_in, prosecutor, file, violation):
    client = signed_in(prosecutor)
    dashboard = page(client, reverse("oversight"))
    assert "Violations of legality" in dashboard
    assert "A defender takes part in the interrogation" in dashboard
    assert file.case.number in dashboard
    listing = page(client, reverse("violation_list"))
    assert violation.description in listing
    assert reverse("violation_detail", args=[violation.pk]) in listing
    assert "High severity" in listing and "Open" in listing


@pytest.mark.parametrize("persona", ["investigator", "defender", "analyst", "judge"])
def test_only_prosecutors_open_the_dashboard_and_the_violation_page(
    persona, request, signed_in, violation
):
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(reverse("oversight")).status_code == 403
    assert client.get(reverse("violation_detail", args=[violation.pk])).status_code == 403


def test_the_oversight_menu_is_for_prosecutors(signed_in, prosecutor, investigator, analyst):
    assert reverse("oversight") in page(signed_in(prosecutor), reverse("home"))
    assert reverse("oversight") not in page(signed_in(investigator), reverse("home"))
    assert reverse("oversight") not in page(signed_in(analyst), reverse("home"))


def test_the_analyst_has_no_violation_list(signed_in, analyst, violation):
    assert signed_in(analyst).get(reverse("violation_list")).status_code == 403


def test_the_investigator_reads_the_flags_of_his_cases_without_answering(
    signed_in, investigator, violation, file
):
    listing = page(signed_in(investigator), reverse("violation_list"))
    assert violation.description in listing
    # No link to the page where violations are answered: the row leads to the case page.
    assert reverse("violation_detail", args=[violation.pk]) not in listing
    assert f"{reverse('case_detail', args=[file.case.pk])}?minor={file.accused.pk}" in listing


def test_the_outsider_sees_no_flag(signed_in, outsider, other_prosecutor, violation, file):
    client = signed_in(outsider)
    assert violation.description not in page(client, reverse("violation_list"))
    assert "1 violation" not in page(client, reverse("home"))
    assert client.get(reverse("case_detail", args=[file.case.pk])).status_code == 404
    client = signed_in(other_prosecutor)
    assert client.get(reverse("violation_detail", args=[violation.pk])).status_code == 404
    assert violation.description not in page(client, reverse("violation_list"))
    assert file.case.number not in page(client, reverse("oversight"))
    response = client.post(answer_url(violation, "acknowledge"))
    assert response.status_code == 404
    assert Violation.objects.get(pk=violation.pk).status == Status.OPEN


def test_anonymous_visitors_are_sent_to_sign_in(client, violation):
    for url in (
        reverse("oversight"),
        reverse("violation_list"),
        reverse("violation_detail", args=[violation.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- Filters -------------------------------------------------------------------------------------


@pytest.fixture
def two_violations(trained):
    """Two cases of the same team: one interrogation without a defender, one detention with
    adults; the second is already answered as remedied."""
    first = new_file(trained)
    interrogate_without_defender(first)
    second = new_file(trained)
    detain_with_adults(second)
    held = Violation.objects.get(accused=second.accused)
    safeguard_services.remedy(actor=trained.prosecutor, violation=held, note="Бөлек камера")
    return first, second


@pytest.mark.parametrize(
    ("params", "interrogation", "detention"),
    [
        ({}, True, True),
        ({"rule": "defender_at_interrogation"}, True, False),
        ({"rule": "held_with_adults"}, False, True),
        ({"status": "unresolved"}, True, False),
        ({"status": "remedied"}, False, True),
        ({"status": "disputed"}, False, False),
        ({"severity": "high"}, True, True),
        ({"severity": "low"}, False, False),
    ],
)
def test_list_filters(signed_in, prosecutor, two_violations, params, interrogation, detention):
    content = page(signed_in(prosecutor), reverse("violation_list"), **params)
    assert ("interrogated without a defender" in content) is interrogation
    assert ("held together with adults" in content) is detention


def test_period_region_and_agency_filters(signed_in, prosecutor, investigator, two_violations):
    client = signed_in(prosecutor)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert "2 violations" in page(
        client, reverse("violation_list"), **date_fields("detected_from", today)
    )
    assert "0 violations" in page(
        client, reverse("violation_list"), **date_fields("detected_from", tomorrow)
    )
    almaty = factories.territory(factories.ALMATY_CITY)
    astana = factories.territory(factories.ASTANA)
    assert "2 violations" in page(client, reverse("violation_list"), region=almaty.pk)
    assert "0 violations" in page(client, reverse("violation_list"), region=astana.pk)
    agency = investigator.agency
    assert "2 violations" in page(client, reverse("violation_list"), agency=agency.pk)
    assert "2 violations" in page(client, reverse("violation_list"), responsible=investigator.pk)


def test_a_period_ending_before_it_starts_is_named(signed_in, prosecutor, two_violations):
    today = timezone.localdate()
    params = {
        **date_fields("detected_from", today),
        **date_fields("detected_to", today - datetime.timedelta(days=3)),
    }
    response = signed_in(prosecutor).get(reverse("violation_list"), params)
    content = response.content.decode()
    assert "The end of the period must be the same as or after its start." in content
    assert "<title>Error:" in content
    assert "2 violations" in content  # the wrong end drops only itself


def test_chosen_filters_show_as_removable_tags(signed_in, prosecutor, two_violations):
    content = page(signed_in(prosecutor), reverse("violation_list"), rule="held_with_adults")
    assert "Safeguard: The minor is held separately from adults" in content
    assert "Remove this filter:" in content


# --- The dashboard -------------------------------------------------------------------------


def test_the_dashboard_counts_and_links_to_the_list(signed_in, prosecutor, two_violations):
    content = page(signed_in(prosecutor), reverse("oversight"))
    figures = re.findall(r'class="qg-figure__value[^"]*">(?:<a[^>]*>)?([^<]+)<', content)
    assert figures[:2] == ["1", "2"]  # not yet answered now; new in the period
    assert "2 more than in the previous period" in content
    # The remedied one was answered within the test: less than an hour.
    assert "less than an hour" in content
    # Tables by region, agency, rule (with its citation) and staff member, and the trend.
    for anchor in ("by-region", "by-agency", "by-rule", "by-responsible", "trend"):
        assert f'id="{anchor}"' in content
    assert "CPC RK art. 541 part 4" in content
    assert "rule=held_with_adults" in content
    assert "status=unresolved" in content


def test_the_dashboard_filters(signed_in, prosecutor, two_violations):
    client = signed_in(prosecutor)
    content = page(client, reverse("oversight"), rule="held_with_adults")
    assert "The minor is held separately from adults" in content
    assert 'id="by-rule"' in content
    assert "A defender takes part in the interrogation</th>" not in content
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    future = page(client, reverse("oversight"), **date_fields("detected_from", tomorrow))
    assert "New in the period" in future


def test_cases_with_red_flags_come_first(signed_in, prosecutor, trained):
    one = new_file(trained)
    interrogate_without_defender(one)
    two = new_file(trained)
    interrogate_without_defender(two)
    detain_with_adults(two)
    content = page(signed_in(prosecutor), reverse("oversight"))
    section = content[content.index('id="red-flags"') :]
    assert section.index(two.case.number) < section.index(one.case.number)
    assert "2 cases have violations not yet answered" in section


# --- One violation and the prosecutor's answers ----------------------------------------------


def test_the_violation_page(signed_in, prosecutor, violation, file):
    content = page(signed_in(prosecutor), reverse("violation_detail", args=[violation.pk]))
    assert "A defender takes part in the interrogation" in content
    assert violation.description in content
    assert "CPC RK art. 67 part 1 item 2, art. 535, 536" in content
    assert "CRC art. 37(d), 40(2)(b)(ii); Beijing Rules 7.1" in content
    event = violation.events.get()
    timeline = f"?minor={file.accused.pk}#event-{event.pk}"
    assert timeline in content
    assert "Qorgau, automatic check" in content
    for button in ("Mark as seen", "Record as remedied", "Record the dispute", "Record the act"):
        assert button in content
    assert "Policy threshold" not in content and "Unconfirmed" not in content


def test_policy_and_unconfirmed_rules_say_so(signed_in, prosecutor, team):
    file = new_file(team)  # nobody trained: `specialized_officials` fires
    interrogate_without_defender(file)
    flag = Violation.objects.get(rule_id="specialized_officials", responsible=team.investigator)
    content = page(signed_in(prosecutor), reverse("violation_detail", args=[flag.pk]))
    assert "Policy threshold" in content
    assert "Unconfirmed" in content
    assert "No single event proves it" in content


def test_mark_as_seen(signed_in, prosecutor, violation):
    client = signed_in(prosecutor)
    response = client.post(answer_url(violation, "acknowledge"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("violation_detail", args=[violation.pk])
    content = response.content.decode()
    assert "The violation is marked as seen." in content
    violation.refresh_from_db()
    assert violation.status == Status.ACKNOWLEDGED
    assert violation.status_changed_by == prosecutor
    # Seen once: the button is gone, the other answers remain.
    assert "Mark as seen" not in content
    assert "Record as remedied" in content


def test_mark_as_seen_twice_is_explained(signed_in, prosecutor, violation):
    client = signed_in(prosecutor)
    safeguard_services.acknowledge(actor=prosecutor, violation=violation)
    before = answers_written()
    response = client.post(answer_url(violation, "acknowledge"))
    assert response.status_code == 200
    assert "Only an open violation can be marked as seen." in response.content.decode()
    assert answers_written() == before


def test_remedied_with_a_note(signed_in, prosecutor, violation):
    client = signed_in(prosecutor)
    response = client.post(
        answer_url(violation, "remedy"), {"note": "Қорғаушы шақырылды"}, follow=True
    )
    content = response.content.decode()
    assert "The violation is recorded as remedied." in content
    violation.refresh_from_db()
    assert (violation.status, violation.note) == (Status.REMEDIED, "Қорғаушы шақырылды")
    assert "Қорғаушы шақырылды" in content  # in the status history
    assert "its status no longer changes" in content
    assert "Record the act" not in content


def test_remedied_without_a_note(signed_in, prosecutor, violation):
    signed_in(prosecutor).post(answer_url(violation, "remedy"), {"note": ""})
    violation.refresh_from_db()
    assert violation.status == Status.REMEDIED


def test_disputed_with_a_reason(signed_in, prosecutor, violation):
    response = signed_in(prosecutor).post(
        answer_url(violation, "dispute"), {"reason": "Қорғаушы болған, хаттамада жоқ"}
    )
    assert response.status_code == 302
    violation.refresh_from_db()
    assert violation.status == Status.DISPUTED
    assert violation.note == "Қорғаушы болған, хаттамада жоқ"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_dispute_needs_its_reason(signed_in, prosecutor, violation, reason):
    before = answers_written()
    response = signed_in(prosecutor).post(answer_url(violation, "dispute"), {"reason": reason})
    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert '<a href="#id_reason">Give the reason the violation is disputed.</a>' in content
    assert "<title>Error:" in content
    assert answers_written() == before


def test_a_prosecutors_act(signed_in, prosecutor, violation):
    day = timezone.localdate() - datetime.timedelta(days=1)
    data = {
        "act_type": ActType.REPRESENTATION,
        "act_number": "2-17-26",
        **date_fields("act_date", day),
    }
    response = signed_in(prosecutor).post(answer_url(violation, "act"), data, follow=True)
    content = response.content.decode()
    assert "The prosecutor&#x27;s act is recorded." in content
    violation.refresh_from_db()
    assert (violation.status, violation.act_type, violation.act_number, violation.act_date) == (
        Status.ACT_ISSUED,
        ActType.REPRESENTATION,
        "2-17-26",
        day,
    )
    assert f"Representation No. 2-17-26 of {day:%d.%m.%Y}" in content


def test_an_act_needs_its_type_number_and_a_date_not_in_the_future(
    signed_in, prosecutor, violation
):
    client = signed_in(prosecutor)
    before = answers_written()
    content = client.post(answer_url(violation, "act"), {}).content.decode()
    assert '<a href="#id_act_type_0">Choose the type of act' in content
    assert '<a href="#id_act_number">Enter the number of the act.</a>' in content
    assert '<a href="#id_act_date_0">Enter the date of the act' in content
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = {"act_type": "protest", "act_number": "5", **date_fields("act_date", tomorrow)}
    content = client.post(answer_url(violation, "act"), data).content.decode()
    # The service refuses the future date; the page shows it on the date field.
    assert '<a href="#id_act_date_0">Enter the date of the act; it cannot be in the future.' in (
        content.replace("&#x27;", "'")
    )
    assert 'id="id_act_date_error"' in content
    assert answers_written() == before


@pytest.mark.parametrize("answer", ["acknowledge", "remedy", "dispute", "act"])
@pytest.mark.parametrize("persona", ["investigator", "defender", "judge"])
def test_only_prosecutors_answer(persona, answer, request, signed_in, violation):
    before = answers_written()
    client = signed_in(request.getfixturevalue(persona))
    data = {"note": "x", "reason": "x", "act_type": "protest", "act_number": "1"}
    assert client.post(answer_url(violation, answer), data).status_code == 403
    assert answers_written() == before


def test_an_unknown_answer_is_not_found(signed_in, prosecutor, violation):
    assert signed_in(prosecutor).post(answer_url(violation, "forgive")).status_code == 404


def test_reloading_an_answer_address_goes_back_to_the_violation(signed_in, prosecutor, violation):
    response = signed_in(prosecutor).get(answer_url(violation, "remedy"))
    assert response.status_code == 302
    assert response["Location"] == reverse("violation_detail", args=[violation.pk])
    assert Violation.objects.get(pk=violation.pk).status == Status.OPEN


# --- The case page ---------------------------------------------------------------------------


def event_item(content: str, event) -> str:
    start = content.index(f'id="event-{event.pk}"')
    end = content.find('class="moj-timeline__item"', start)
    return content[start : end if end != -1 else None]


def test_the_case_page_shows_the_flag_and_tags_the_proving_event(
    signed_in, prosecutor, file, violation
):
    content = page(signed_in(prosecutor), reverse("case_detail", args=[file.case.pk]))
    flags = content[content.index('id="violations"') :]
    assert "A defender takes part in the interrogation" in flags
    assert violation.description in flags
    assert reverse("violation_detail", args=[violation.pk]) in flags
    item = event_item(content, violation.events.get())
    assert ">Violation</strong>" in item
    assert "A defender takes part in the interrogation" in item
    assert "Open" in item
    assert "1 not yet answered by the prosecutor" in content


def test_an_event_without_a_violation_carries_no_tag(signed_in, prosecutor, trained):
    file = new_file(trained)
    detention = file.record("detention")
    interrogate_without_defender(file)
    content = page(signed_in(prosecutor), reverse("case_detail", args=[file.case.pk]))
    assert ">Violation</strong>" not in event_item(content, detention)


def test_the_investigator_sees_the_flags_of_his_case_as_text(
    signed_in, investigator, file, violation
):
    content = page(signed_in(investigator), reverse("case_detail", args=[file.case.pk]))
    assert violation.description in content
    assert ">Violation</strong>" in event_item(content, violation.events.get())
    assert reverse("violation_detail", args=[violation.pk]) not in content


def test_answered_flags_come_after_the_open_ones(signed_in, prosecutor, trained):
    file = new_file(trained)
    interrogate_without_defender(file)
    detain_with_adults(file)
    held = Violation.objects.get(rule_id="held_with_adults")
    safeguard_services.remedy(actor=prosecutor, violation=held)
    content = page(signed_in(prosecutor), reverse("case_detail", args=[file.case.pk]))
    flags = content[content.index('id="violations"') :]
    assert flags.index("A defender takes part") < flags.index("The minor is held separately")
    assert "Remedied" in flags


def test_a_minor_with_no_violation(signed_in, prosecutor, trained):
    file = new_file(trained)
    file.record("detention")
    content = page(signed_in(prosecutor), reverse("case_detail", args=[file.case.pk]))
    assert "No violation of a safeguard found for this minor." in content


# --- Today --------------------------------------------------------------------------------


def test_today_shows_the_prosecutor_the_red_flags(signed_in, prosecutor, violation, file):
    content = page(signed_in(prosecutor), reverse("home"))
    assert "1 violation of legality waits for your answer." in content
    assert f"{reverse('violation_list')}?status=unresolved" in content
    flags = content[content.index("Red flags") :]
    assert "A defender takes part in the interrogation" in flags
    assert reverse("violation_detail", args=[violation.pk]) in flags
    assert file.case.number in flags


def test_today_shows_the_investigator_his_red_flags(signed_in, investigator, violation):
    content = page(signed_in(investigator), reverse("home"))
    assert "1 violation of legality in your cases is not yet answered" in content
    assert "A defender takes part in the interrogation" in content
    listing = page(signed_in(investigator), reverse("violation_list"), status="unresolved")
    assert "1 violation" in listing


def test_today_has_no_banner_when_all_are_answered(signed_in, prosecutor, violation):
    safeguard_services.remedy(actor=prosecutor, violation=violation)
    content = page(signed_in(prosecutor), reverse("home"))
    assert "waits for your answer" not in content
    assert "Red flags" not in content


def test_today_has_no_flags_for_the_analyst(signed_in, analyst, violation):
    assert "Red flags" not in page(signed_in(analyst), reverse("home"))


# --- Queries do not grow with the rows -------------------------------------------------------


def queries(client, url, **params):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def more_violations(team: Team, cases_count: int, each: int) -> None:
    """New cases, half of them worked by an investigator of another agency."""
    other = factories.staff(Role.INVESTIGATOR, factories.agency(kato_code=factories.KARASAI))
    train(other)
    for number in range(cases_count):
        investigator = other if number % 2 else None
        file = new_file(team, investigator)
        for _ in range(each):
            interrogate_without_defender(file, actor=investigator)


def test_the_dashboard_and_the_list_take_the_same_queries_for_3_and_15_violations(
    signed_in, prosecutor, trained
):
    client = signed_in(prosecutor)
    more_violations(trained, 1, 3)
    few = (queries(client, reverse("oversight")), queries(client, reverse("violation_list")))
    more_violations(trained, 4, 3)
    assert Violation.objects.count() == 15
    many = (queries(client, reverse("oversight")), queries(client, reverse("violation_list")))
    assert few == many
    assert many[0] <= 20 and many[1] <= 15
    filtered = queries(client, reverse("oversight"), status="unresolved", severity="high")
    assert filtered <= many[0] + 1


def test_the_case_page_takes_the_same_queries_for_3_and_15_violations(
    signed_in, prosecutor, trained
):
    file = new_file(trained)
    for _ in range(3):
        interrogate_without_defender(file)
    client = signed_in(prosecutor)
    url = reverse("case_detail", args=[file.case.pk])
    few = queries(client, url)
    for _ in range(12):
        interrogate_without_defender(file)
    assert Violation.objects.filter(accused=file.accused).count() == 15
    many = queries(client, url)
    assert few == many
    assert many <= 30


def test_today_takes_the_same_queries_for_3_and_15_violations(signed_in, prosecutor, trained):
    client = signed_in(prosecutor)
    more_violations(trained, 1, 3)
    few = queries(client, reverse("home"))
    more_violations(trained, 4, 3)
    assert queries(client, reverse("home")) == few


def test_htmx_gets_only_the_results_region(signed_in, prosecutor, violation):
    response = signed_in(prosecutor).get(
        reverse("violation_list"), {"status": "unresolved"}, headers={"HX-Request": "true"}
    )
    content = response.content.decode()
    assert "<html" not in content
    assert violation.description in content
    assert "Status: Not yet answered (open or seen)" in content
