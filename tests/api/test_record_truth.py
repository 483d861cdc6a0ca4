"""The API keeps the record truthful: a retry answers 200 with the step it recorded, a step
the record contradicts is refused with 422 on its field, the acting role is kept."""

import datetime

from django.utils import translation

from qorgau.proceedings.models import ProceduralEvent
from qorgau.proceedings.services import consistency
from qorgau.proceedings.services.common import local
from qorgau.safeguards.models import Violation
from tests.api import test_case_events as events_api
from tests.api import test_cases as shared
from tests.api.conftest import errors, send, translated
from tests.api.test_case_events import DETENTION, path, payload
from tests.api.test_cases import at, counts, step

case = shared.case
accused = shared.accused


def test_a_retry_answers_200_with_the_step_recorded_the_first_time(
    api, investigator, case, accused
):
    client = api(investigator)
    body = payload(case, "detention", 1, **{**DETENTION, "held_separately": False})
    first = send(client, "post", path(case, accused.pk), body)
    assert first.status_code == 201, first.json()
    before = (counts(), Violation.objects.count())
    again = send(client, "post", path(case, accused.pk), body)
    assert again.status_code == 200, again.json()
    same, recorded = again.json(), first.json()
    assert same["id"] == recorded["id"]
    assert at(same["started_at"]) == at(recorded["started_at"])  # one moment, UTC or +05:00
    assert {k: v for k, v in same.items() if k != "started_at"} == {
        k: v for k, v in recorded.items() if k != "started_at"
    }
    assert (counts(), Violation.objects.count()) == before
    assert ProceduralEvent.objects.filter(accused=accused).count() == 1


def test_a_changed_retry_is_another_step(api, investigator, case, accused):
    client = api(investigator)
    body = payload(case, "detention", 1, **DETENTION)
    send(client, "post", path(case, accused.pk), body)
    changed = send(client, "post", path(case, accused.pk), {**body, "notes": "Қайта."})
    assert changed.status_code == 201


def test_a_release_before_its_detention_is_refused_with_422_on_its_field(
    api, investigator, case, accused
):
    detention = step(investigator, accused, "detention", 3, **DETENTION)
    response = events_api.refused(
        api(investigator), path(case, accused.pk), payload(case, "release", 2), 422
    )
    with translation.override("kk"):
        time = local(detention.started_at)
    expected = translated("kk", consistency.MESSAGE_RELEASE_BEFORE_DETENTION, time=time)
    assert errors(response) == {"started_at": [expected]}


def test_the_step_keeps_the_role_and_agency_it_was_recorded_in(api, investigator, case, accused):
    response = send(
        api(investigator),
        "post",
        path(case, accused.pk),
        payload(case, "detention", 1, **DETENTION),
    )
    event = ProceduralEvent.objects.get(pk=response.json()["id"])
    assert (event.acting_role, event.acting_agency) == ("investigator", investigator.agency)
    investigator.agency = None
    investigator.save()
    event.refresh_from_db()
    assert event.acting_agency is not None
    assert datetime.timedelta(0) <= event.recorded_at - event.started_at
