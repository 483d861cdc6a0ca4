from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    url: str
    label: Any
    active: bool


# (url name, label, permission needed, or None for every signed-in user)
SECTIONS = [
    ("home", _("Today"), None),
    ("juvenile_list", _("Juveniles"), "people.view_juvenile"),
    ("case_list", _("Cases"), "proceedings.view_proceeding"),
    ("oversight", _("Oversight"), "safeguards.change_violation"),
    ("court_calendar", _("Court"), "courts.add_courtcase"),
    ("court_reports", _("Court reports"), "courts.add_socialworkerreport"),
    ("plan_tasks", _("Tasks"), "support.change_plantask"),
    ("probation_caseload", _("Supervision"), "probation.change_supervision"),
    ("release_list", _("Releases"), "probation.change_release"),
    ("duty_roster", _("Duty roster"), "defence.view_dutyshift"),
    ("agency_list", _("Agencies"), "accounts.change_agency"),
    ("staff_list", _("Staff"), "accounts.change_user"),
    ("audit_list", _("Audit trail"), "audit.view_auditevent"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    if getattr(request, "second_factor_pending", False):
        return {"nav_items": []}
    items = []
    for name, label, permission in SECTIONS:
        if permission and not user.has_perm(permission):
            continue
        url = reverse(name)
        active = request.path == url if name == "home" else request.path.startswith(url)
        items.append(NavItem(url=url, label=label, active=active))
    return {"nav_items": items}
