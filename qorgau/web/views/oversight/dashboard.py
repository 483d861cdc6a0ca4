"""The prosecutor's oversight dashboard: key figures, tables by region, agency, rule and staff
member, the monthly trend and the cases with red flags first. Tables are the record: no charts.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qorgau.safeguards import selectors
from qorgau.safeguards.selectors import Comparison, GroupRow, Period
from qorgau.web.views.cases.common import case_url
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.oversight.common import (
    chosen_filters,
    filter_form,
    list_link,
    require_overseer,
)

HOURS_IN_WORDS_UP_TO = 48


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    change: str
    url: str
    number: bool = True  # a figure; else words, set smaller


def reaction_time(hours: float) -> str:
    """ "less than an hour", "5 hours", "3 days": rounded as a person would say it."""
    if hours < 1:
        return _("less than an hour")
    if hours < HOURS_IN_WORDS_UP_TO:
        count = round(hours)
        return ngettext("%(count)s hour", "%(count)s hours", count) % {"count": count}
    days = round(hours / 24)
    return ngettext("%(count)s day", "%(count)s days", days) % {"count": days}


def count_change(figure: Comparison, at_end: bool = False) -> str:
    """ "3 more than in the previous period", in words (ui.md: each figure compared in words)."""
    current, previous = int(figure.current or 0), int(figure.previous or 0)
    difference = current - previous
    if at_end:
        if difference > 0:
            text = ngettext(
                "%(count)s more than at the end of the previous period",
                "%(count)s more than at the end of the previous period",
                difference,
            )
        elif difference < 0:
            text = ngettext(
                "%(count)s fewer than at the end of the previous period",
                "%(count)s fewer than at the end of the previous period",
                -difference,
            )
        else:
            return _("As many as at the end of the previous period")
    elif difference > 0:
        text = ngettext(
            "%(count)s more than in the previous period",
            "%(count)s more than in the previous period",
            difference,
        )
    elif difference < 0:
        text = ngettext(
            "%(count)s fewer than in the previous period",
            "%(count)s fewer than in the previous period",
            -difference,
        )
    else:
        return _("As many as in the previous period")
    return text % {"count": abs(difference)}


def reaction_change(figure: Comparison) -> str:
    if figure.current is None:
        return _("No violation found in this period has been answered yet.")
    if figure.previous is None:
        return _("Nothing answered in the previous period to compare with.")
    difference = float(figure.current) - float(figure.previous)
    if abs(difference) < 1:
        return _("About the same as in the previous period")
    faster = _("%(time)s faster than in the previous period")
    slower = _("%(time)s slower than in the previous period")
    return (slower if difference > 0 else faster) % {"time": reaction_time(abs(difference))}


def short_change(row: GroupRow) -> str:
    """The table's change column: found in the period against the previous one."""
    difference = row.detected - row.detected_before
    if difference > 0:
        return ngettext("%(count)s more", "%(count)s more", difference) % {"count": difference}
    if difference < 0:
        return ngettext("%(count)s fewer", "%(count)s fewer", -difference) % {"count": -difference}
    return _("no change")


def _dates(period: Period) -> str:
    return "{}–{}".format(
        formats.date_format(period.start, "SHORT_DATE_FORMAT"),
        formats.date_format(period.end, "SHORT_DATE_FORMAT"),
    )


def _figures(
    request: AuthedRequest, data: selectors.Overview, today: datetime.date
) -> list[Figure]:
    base = request.GET
    up_to_now = data.period.end >= today
    if up_to_now:
        open_label = _("Not yet answered now")
    else:
        open_label = _("Not yet answered on %(day)s") % {
            "day": formats.date_format(data.period.end, "SHORT_DATE_FORMAT")
        }
    median = data.reaction_hours.current
    return [
        Figure(
            open_label,
            formats.number_format(int(data.open.current or 0), force_grouping=True),
            count_change(data.open, at_end=True),
            list_link(base, not_answered=True) if up_to_now and data.open.current else "",
        ),
        Figure(
            _("New in the period"),
            formats.number_format(int(data.new.current or 0), force_grouping=True),
            count_change(data.new),
            list_link(base, period=data.period) if data.new.current else "",
        ),
        Figure(
            _("Median time to react"),
            reaction_time(median) if median is not None else _("No answers yet"),
            reaction_change(data.reaction_hours),
            "",
            number=median is not None and median >= 1,
        ),
    ]


def _table(
    request: AuthedRequest,
    data: selectors.Overview,
    rows: list[GroupRow],
    param: str,
    caption: str,
    header: str,
) -> dict[str, Any]:
    base = request.GET
    shown = []
    for row in rows:
        chosen = {param: row.key} if row.key is not None else {}
        shown.append(
            {
                "label": row.label or _("Not recorded"),
                "detail": row.detail,
                "open_now": row.open_now,
                "open_url": list_link(base, not_answered=True, **chosen)
                if chosen and row.open_now
                else "",
                "detected": row.detected,
                "detected_url": list_link(base, period=data.period, **chosen)
                if chosen and row.detected
                else "",
                "change": short_change(row),
                "median": reaction_time(row.median_hours) if row.median_hours is not None else "–",
            }
        )
    return {"id": param, "caption": caption, "header": header, "rows": shown}


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    user = require_overseer(request)
    form = filter_form(request, user)
    today = timezone.localdate()
    data = selectors.overview(actor=user, filters=form.filters(), today=today)
    base = request.GET
    tables = [
        _table(request, data, data.by_region, "region", _("By region"), _("Region")),
        _table(request, data, data.by_agency, "agency", _("By agency"), _("Agency")),
        _table(request, data, data.by_rule, "rule", _("By safeguard"), _("Safeguard")),
        _table(
            request, data, data.by_staff, "responsible", _("By staff member"), _("Staff member")
        ),
    ]
    trend = [
        {
            "month": formats.date_format(row.month, "YEAR_MONTH_FORMAT"),
            "detected": row.detected,
            "detected_url": list_link(base, period=_month(row.month)) if row.detected else "",
            "unresolved": row.unresolved,
            "unresolved_url": list_link(base, period=_month(row.month), not_answered=True)
            if row.unresolved
            else "",
        }
        for row in reversed(data.trend)
    ]
    red_cases = [
        {
            "case": flags.case,
            "url": case_url(flags.case, anchor="violations"),
            "minors": [accused.juvenile.full_name for accused in flags.case.accused.all()],
            "investigator": flags.case.investigator.get_full_name()
            or flags.case.investigator.username,
            "high": flags.high,
            "total": flags.total,
        }
        for flags in data.red_cases
    ]
    context = {
        "form": form,
        "chosen_filters": chosen_filters(request, form),
        "has_errors": bool(form.errors),
        "period": _dates(data.period),
        "previous": _dates(data.previous),
        "figures": _figures(request, data, today),
        "tables": tables,
        "trend": trend,
        "red_cases": red_cases,
        "red_case_count": data.red_case_count,
        "all_unresolved_url": list_link(base, not_answered=True),
    }
    return render(request, "web/oversight/dashboard.html", context)


def _month(first: datetime.date) -> Period:
    following = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return Period(first, following - datetime.timedelta(days=1))
