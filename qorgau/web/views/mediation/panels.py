"""What this area shows beside a minor's timeline and on the Today page."""

from typing import Any

from django.urls import reverse

from qorgau.accounts.models import User
from qorgau.mediation import selectors, services
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.web.views.common import Panel
from qorgau.web.views.mediation import common


def case_panel(user: User, case: Proceeding, accused: Accused) -> Panel | None:
    """The minor's mediation: status, agreement and payments, the link to terminate; or a link
    to refer for those who may."""
    if not user.has_perm("mediation.view_mediation"):
        return None
    mediation = selectors.latest_for_minor(actor=user, accused=accused)
    refer_url = ""
    may_start = mediation is None or not mediation.is_active
    stage_allows = accused.stage in services.REFERRAL_STAGES
    if may_start and stage_allows and services.allowed_sources(user, accused):
        refer_url = reverse("mediation_refer_source", args=[case.pk, accused.pk])
    if mediation is None and not refer_url:
        return None
    context: dict[str, Any] = {"mediation": mediation, "refer_url": refer_url}
    if mediation is not None:
        agreement = common.agreement_of(mediation)
        context.update(
            tag=common.status_tag(mediation),
            url=reverse("mediation_detail", args=[mediation.pk]),
            agreement=agreement,
            money=common.money(agreement) if agreement else None,
            overdue=len(agreement.overdue()) if agreement else 0,
            termination_url=common.termination_url(user, mediation),
        )
    return Panel(template="web/mediation/_case_panel.html", context=context)


def home_panel(user: User) -> Panel | None:
    """For the mediator's agency: mediations in progress and overdue instalments."""
    workload = selectors.agency_workload(actor=user)
    if workload is None or not (workload.in_progress or workload.overdue):
        return None
    rows = [
        {
            "mediation": m,
            "tag": common.status_tag(m),
            "url": reverse("mediation_detail", args=[m.pk]),
        }
        for m in workload.in_progress
    ]
    overdue = [
        {
            "mediation": row.mediation,
            "url": reverse("mediation_detail", args=[row.mediation.pk]),
            "due_on": row.instalment.instalment.due_on,
            "amount": services.tenge(row.instalment.instalment.amount),
            "days": row.days,
        }
        for row in workload.overdue
    ]
    context = {
        "rows": rows,
        "overdue": overdue,
        "count": workload.in_progress_count,
        "capped": workload.capped,
    }
    return Panel(template="web/mediation/_home_panel.html", context=context)
