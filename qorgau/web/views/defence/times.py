"""Response times: from detention to the on-duty assignment and to the arrival of each person."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qorgau.accounts.access import figures_only
from qorgau.defence import selectors
from qorgau.defence.legal_rules import defence_rules
from qorgau.web.forms.defence import PeriodForm
from qorgau.web.views.cases.common import case_url, with_roles
from qorgau.web.views.common import AuthedRequest, query_without_page

DEFAULT_DAYS = 90


def duration(delta: datetime.timedelta | None) -> str:
    """ "2 h 05 min", "45 min"; a dash when nothing is recorded."""
    if delta is None:
        return "—"
    minutes = int(delta.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours:
        return _("%(hours)s h %(minutes)02d min") % {"hours": hours, "minutes": rest}
    return _("%(minutes)s min") % {"minutes": rest}


def minutes(value: float | None) -> str:
    if value is None:
        return "—"
    return duration(datetime.timedelta(minutes=value))


def share(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{formats.number_format(round(value * 100))} %"


def interval_cells(interval: selectors.Interval) -> dict[str, Any]:
    return {
        "median": minutes(interval.median_minutes),
        "measured": interval.measured,
        "within": [
            {"hours": hours, "number": number, "share": share(part)}
            for hours, number, part in interval.within
        ],
    }


def summary_row(summary: selectors.Summary) -> dict[str, Any]:
    return {
        "label": summary.label,
        "count": summary.count,
        "state_paid": summary.state_paid,
        "state_paid_share": share(summary.state_paid_share),
        "to_assignment": interval_cells(summary.to_assignment),
        "to_defender": interval_cells(summary.to_defender),
        "to_psychologist": interval_cells(summary.to_psychologist),
    }


def _page(request: AuthedRequest) -> int:
    value = request.GET.get("page", "")
    return int(value) if value.isdigit() and 0 < len(value) < 7 else 1


@login_required
@permission_required("defence.view_ondutyassignment", raise_exception=True)
def response_times(request: AuthedRequest) -> HttpResponse:
    user = with_roles(request.user)
    form = PeriodForm(request.GET or None)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    end = data.get("end") or today
    start = data.get("start") or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        start, end = end, start
    report = selectors.response_times(
        actor=user, start=start, end=end, region=data.get("region"), page=_page(request)
    )
    rows = [
        {
            "case": row.assignment.accused.proceeding.number,
            "case_url": case_url(row.assignment.accused.proceeding, row.assignment.accused),
            "region": row.assignment.region.name,
            "detained_at": row.detained_at,
            "assigned_at": row.assigned_at,
            "defender": row.assignment.defender.full_name,
            "psychologist": row.assignment.psychologist.full_name
            if row.assignment.psychologist
            else "",
            "to_assignment": duration(row.to_assignment),
            "to_defender": duration(row.to_defender),
            "to_psychologist": duration(row.to_psychologist) if row.assignment.psychologist else "",
            "state_paid": row.assignment.state_paid,
        }
        for row in report.rows
    ]
    rule = defence_rules().get("response_targets", end)
    return render(
        request,
        "web/defence/response_times.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "targets": report.targets,
            "total": summary_row(report.total),
            "by_region": [summary_row(s) for s in report.by_region],
            "rows": rows,
            # The page's place among the period's rows, counted by the figures: no query.
            "page_obj": Paginator(range(report.total.count), settings.QORGAU_PAGE_SIZE).page(
                report.page
            ),
            "querystring": query_without_page(request),
            "figures_only": figures_only(user),
            "rule": rule,
            "count_text": ngettext(
                "%(count)s on-duty assignment in the period",
                "%(count)s on-duty assignments in the period",
                report.total.count,
            )
            % {"count": report.total.count},
        },
    )
