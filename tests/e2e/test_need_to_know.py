"""Issue 12 in the browser: the analyst's response times and a task-only agency's plan page.

Screenshots go to var/screenshots/ (analyst-response-times.png, task-only-plan.png).
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.access.world import build

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in(page, live_server, username):
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")


def test_the_analyst_sees_figures_and_the_task_only_agency_its_task(live_server, page, screenshot):
    world = build()
    number = world.secrets["case_number"][0]

    sign_in(page, live_server, "analyst-region")
    page.goto(f"{live_server.url}{reverse('response_times')}")
    text = page.locator("main").inner_text()
    assert "1" in page.locator("[role=status]").inner_text()  # one assignment, counted
    assert number not in text
    assert all(name not in text for name in world.secrets["staff"])
    screenshot("analyst-response-times")

    sign_in(page, live_server, "probation_inspector-task")
    page.goto(f"{live_server.url}{reverse('plan_detail', args=[world.ids['plan']])}")
    text = page.locator("main").inner_text()
    assert number not in text and "Тапсырма: probation_inspector" in text
    assert "Тапсырма: institution_staff" not in text
    assert page.locator(".govuk-inset-text").count() == 1
    screenshot("task-only-plan")
