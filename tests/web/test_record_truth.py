"""The record tells the truth on the case page: a form sent twice shows the step it recorded,
a contradictory step is refused on its field, and each step shows the role it was recorded in."""

from django.contrib.auth.models import Group
from django.urls import reverse

from qorgau.accounts.models import Role
from qorgau.proceedings.models import ProceduralEvent
from qorgau.proceedings.services import consistency
from qorgau.proceedings.services.common import local
from tests.web import test_cases as shared
from tests.web.test_cases import at, counts, event_post, minor_of, record

signed_in = shared.signed_in
case = shared.case

DETENTION = {"place": "Әуезов ИІБ", "performed_by": "Сержант Сапаров", "held_separately": "yes"}


def test_a_form_sent_twice_records_one_step_and_shows_it(signed_in, investigator, case):
    accused = minor_of(case)
    url = reverse("event_form", args=[case.pk, accused.pk, "detention"])
    client = signed_in(investigator)
    data = event_post(case, "12:30", **DETENTION)
    client.post(url, data)
    before = counts()
    response = client.post(url, data)
    assert counts() == before  # no second step and no audit row
    event = ProceduralEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"?minor={accused.pk}#event-{event.pk}")
    content = client.get(response["Location"]).content.decode()
    assert "This step was already recorded: here it is." in content
    assert f'id="event-{event.pk}"' in content


def test_a_release_before_its_detention_is_refused_on_its_field(signed_in, investigator, case):
    accused = minor_of(case)
    detention = record(
        investigator,
        accused,
        "detention",
        at(case, 3),
        place="Әуезов ИІБ",
        performed_by="Сержант",
        held_separately=True,
    )
    url = reverse("event_form", args=[case.pk, accused.pk, "release"])
    before = counts()
    response = signed_in(investigator).post(url, event_post(case, "11:00"))
    assert response.status_code == 200
    assert counts() == before
    content = response.content.decode()
    message = consistency.MESSAGE_RELEASE_BEFORE_DETENTION % {"time": local(detention.started_at)}
    assert message in content.replace("&#x27;", "'")
    assert "govuk-error-summary" in content


def test_the_timeline_shows_the_role_and_agency_the_step_was_recorded_in(
    signed_in, investigator, case, judge
):
    accused = minor_of(case)
    record(
        investigator,
        accused,
        "detention",
        at(case, 1),
        place="Әуезов ИІБ",
        performed_by="Сержант",
        held_separately=True,
    )
    recorded_in = investigator.agency
    # Later the investigator moves to the court as a judge: the step still says what he was.
    investigator.groups.set([Group.objects.get(name=Role.JUDGE)])
    investigator.agency = judge.agency
    investigator.save()
    page = signed_in(judge).get(reverse("case_detail", args=[case.pk])).content.decode()
    assert f"by {investigator.get_full_name()} (investigator, {recorded_in})" in page
