"""Panels the accompaniment areas add to the case page and to the Today page.

Each area (courts, defence, assessments, portraits, plans, mediation, probation) has a
package under web/views with a `panels.py` giving one function per place; this module lists
them in page order.
A function returns None when it has nothing for this user, case or minor.
"""

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.web.views import (
    assessments,
    courts,
    defence,
    mediation,
    plans,
    portraits,
    probation,
)
from qorgau.web.views.common import Panel

AREAS = [courts, defence, assessments, portraits, plans, mediation, probation]


def case_panels(user: User, case: Proceeding, accused: Accused) -> list[Panel]:
    """The panels beside a minor's timeline, in the order of AREAS."""
    found = (area.panels.case_panel(user, case, accused) for area in AREAS)
    return [panel for panel in found if panel is not None]


def home_panels(user: User) -> list[Panel]:
    found = (area.panels.home_panel(user) for area in AREAS)
    return [panel for panel in found if panel is not None]
