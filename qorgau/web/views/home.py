"""The "Today" page: what each role needs first when it signs in."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from qorgau.accounts.models import Agency, Role, User
from qorgau.audit.models import AuditEvent
from qorgau.core.models import CriminalArticle, Gravity, Territory
from qorgau.people.models import Juvenile
from qorgau.web.views.common import AuthedRequest

RECENT_ROWS = 10
ROUTINE_EVENTS = ["auth.login", "auth.logout", "auth.language"]


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"role_labels": user.role_labels}
    if user.has_perm("people.view_juvenile"):
        visible = Juvenile.objects.visible_to(user)
        context["juvenile_count"] = visible.count()
        context["recent_juveniles"] = (
            visible.filter(registered_by_agency_id=user.agency_id)
            .select_related("address_territory")
            .order_by("-created_at")[:RECENT_ROWS]
        )
    if user.has_perm("accounts.change_user"):
        context["agency_count"] = Agency.objects.count()
        context["staff_count"] = User.objects.filter(is_active=True).count()
        context["untrained_staff"] = (
            User.objects.filter(is_active=True, agency__isnull=False, trainings__isnull=True)
            .select_related("agency")
            .order_by("last_name", "first_name")[:RECENT_ROWS]
        )
    if user.has_perm("audit.view_auditevent"):
        context["recent_changes"] = AuditEvent.objects.exclude(action__in=ROUTINE_EVENTS)[
            :RECENT_ROWS
        ]
    if user.has_role(Role.ANALYST):
        context["juveniles_by_region"] = _juveniles_by_region()
        context["articles_by_gravity"] = _articles_by_gravity()
    return render(request, "web/home.html", context)


def _juveniles_by_region() -> list[dict[str, Any]]:
    """Counts only: analysts see figures, never a child's record."""
    in_region = dict(
        Juvenile.objects.filter(address_territory__parent=None)
        .values_list("address_territory")
        .annotate(n=Count("id"))
        .order_by()
    )
    in_district = dict(
        Juvenile.objects.exclude(address_territory__parent=None)
        .values_list("address_territory__parent")
        .annotate(n=Count("id"))
        .order_by()
    )
    return [
        {"region": region, "count": in_region.get(region.pk, 0) + in_district.get(region.pk, 0)}
        for region in Territory.objects.filter(parent=None).order_by("kato_code")
    ]


def _articles_by_gravity() -> list[dict[str, Any]]:
    counts = dict(CriminalArticle.objects.values_list("gravity").annotate(n=Count("id")).order_by())
    return [{"gravity": label, "count": counts.get(value, 0)} for value, label in Gravity.choices]
