"""The "Today" page: what each role needs first when it signs in."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from qorgau.accounts.models import Agency, Role, User
from qorgau.audit.models import AuditEvent
from qorgau.core.models import CriminalArticle, Gravity
from qorgau.people import tallies
from qorgau.people.models import Juvenile
from qorgau.safeguards import selectors as safeguards
from qorgau.safeguards.selectors import NOT_ANSWERED
from qorgau.web.views.cases.common import case_url
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.oversight.common import may_answer, severity_tag
from qorgau.web.views.panels import home_panels

RECENT_ROWS = 10
ROUTINE_EVENTS = ["auth.login", "auth.logout", "auth.language"]


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"role_labels": user.role_labels, "panels": home_panels(user)}
    if user.has_perm("people.view_juvenile"):
        # No count of every record the user may see: it grows with the country and asks for
        # nothing; the register itself counts (to QORGAU_COUNT_CAP) for a search or a filter.
        context["find_juveniles"] = True
        context["recent_juveniles"] = (
            Juvenile.objects.seen_by(user)
            .filter(registered_by_agency_id=user.agency_id)
            .select_related("address_territory")
            .order_by("-created_at")[:RECENT_ROWS]
        )
    if user.has_perm("safeguards.view_violation"):
        context.update(_red_flags(user))
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
        context["juveniles_by_region"], context["figures_as_at"] = tallies.by_region()
        context["articles_by_gravity"] = _articles_by_gravity()
    return render(request, "web/home.html", context)


def _red_flags(user: User) -> dict[str, Any]:
    """Violations not yet answered in the cases the user sees: a banner and the first rows."""
    count, violations = safeguards.red_flags(actor=user, limit=RECENT_ROWS)
    overseer = may_answer(user)
    return {
        "flag_count": count,
        "flags_url": f"{reverse('violation_list')}?status={NOT_ANSWERED}",
        "flag_overseer": overseer,
        "red_flags": [
            {
                "violation": violation,
                "severity": severity_tag(violation),
                "url": reverse("violation_detail", args=[violation.pk])
                if overseer
                else case_url(violation.proceeding, violation.accused, "violations"),
                "case_url": case_url(violation.proceeding, violation.accused),
            }
            for violation in violations
        ],
    }


def _articles_by_gravity() -> list[dict[str, Any]]:
    counts = dict(CriminalArticle.objects.values_list("gravity").annotate(n=Count("id")).order_by())
    return [{"gravity": label, "count": counts.get(value, 0)} for value, label in Gravity.choices]
