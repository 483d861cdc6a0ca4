"""The duty roster pages: consultations and members, the week agenda, adding and cancelling."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from qorgau.accounts.models import Agency, AgencyType, Role
from qorgau.core.models import Territory
from qorgau.defence import selectors, services
from qorgau.defence.models import Duty, DutyShift
from qorgau.web.forms.defence import CancelShiftForm, ShiftForm, WeekForm
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import with_roles
from qorgau.web.views.common import AuthedRequest

WEEK = datetime.timedelta(days=7)


def _manageable(user: Any) -> list[Agency]:
    """The consultations whose roster the user keeps: their own, or all for administrators."""
    if not user.has_perm("defence.add_dutyshift"):
        return []
    return [c for c in selectors.consultations() if services.may_manage(user, c)]


def _default_region(user: Any) -> Territory | None:
    if user.agency is not None:
        return selectors.region_of(user.agency.territory)
    return Territory.objects.filter(parent=None).order_by("kato_code").first()


def _when(shift: DutyShift) -> str:
    start, end = timezone.localtime(shift.starts_at), timezone.localtime(shift.ends_at)
    if start.date() == end.date():
        return "{}–{}".format(formats.time_format(start, "H:i"), formats.time_format(end, "H:i"))
    return "{} {} – {} {}".format(
        formats.date_format(start, "SHORT_DATE_FORMAT"),
        formats.time_format(start, "H:i"),
        formats.date_format(end, "SHORT_DATE_FORMAT"),
        formats.time_format(end, "H:i"),
    )


def _row(shift: DutyShift, now: datetime.datetime, keeps: set[int]) -> dict[str, Any]:
    return {
        "shift": shift,
        "when": _when(shift),
        "now": shift.starts_at <= now < shift.ends_at,
        "serving": selectors.holds_duty(shift),
        "cancel_url": reverse("shift_cancel", args=[shift.pk])
        if shift.consultation_id in keeps and shift.ends_at > now
        else "",
    }


def _gap_text(gap: selectors.Gap) -> str:
    end = timezone.localtime(gap.ends_at)
    values = {
        "start": formats.time_format(timezone.localtime(gap.starts_at), "H:i"),
        "end": "24:00" if end.date() != gap.day else formats.time_format(end, "H:i"),
        "day": formats.date_format(gap.day, "SHORT_DATE_FORMAT"),
    }
    if gap.duty == Duty.DEFENDER:
        return _("No defender on duty %(start)s–%(end)s on %(day)s") % values
    return _("No psychologist on duty %(start)s–%(end)s on %(day)s") % values


@login_required
@permission_required("defence.view_dutyshift", raise_exception=True)
def roster(request: AuthedRequest) -> HttpResponse:
    user = with_roles(request.user)
    selectors.require_roster_reader(user)
    form = WeekForm(request.GET or None)
    today = timezone.localdate()
    region = (form.cleaned_data.get("region") if form.is_valid() else None) or _default_region(user)
    if region is None:
        raise Http404
    start = form.week_start(today)
    week = selectors.roster_week(region, start)
    keeps = {c.pk for c in _manageable(user)}
    days = [
        {
            "day": day.day,
            "is_today": day.is_today,
            "defenders": [_row(s, week.now, keeps) for s in day.defenders],
            "psychologists": [_row(s, week.now, keeps) for s in day.psychologists],
        }
        for day in week.days
    ]
    # Gaps only from now on count as a warning; past gaps are history.
    gaps = [_gap_text(g) for g in week.gaps if g.ends_at > week.now]

    def link(day: datetime.date) -> str:
        return "?" + urlencode({"region": region.kato_code, "week": day.isoformat()})

    return render(
        request,
        "web/defence/roster.html",
        {
            "form": form,
            "region": region,
            "start": week.start,
            "end": week.start + datetime.timedelta(days=6),
            "days": days,
            "gaps": gaps,
            "previous_url": link(week.start - WEEK),
            "next_url": link(week.start + WEEK),
            "this_week_url": link(today),
            "can_add": bool(keeps),
        },
    )


@login_required
@permission_required("defence.view_dutyshift", raise_exception=True)
def consultation_list(request: AuthedRequest) -> HttpResponse:
    selectors.require_roster_reader(request.user)
    found = selectors.consultations()
    return render(
        request,
        "web/defence/consultations.html",
        {"consultations": [{"agency": c, "members": selectors.members(c)} for c in found]},
    )


@login_required
@permission_required("defence.view_dutyshift", raise_exception=True)
def consultation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    selectors.require_roster_reader(request.user)
    consultation = next((c for c in selectors.consultations() if c.pk == pk), None)
    if consultation is None:
        raise Http404
    now = timezone.now()
    upcoming = (
        DutyShift.objects.active()
        .filter(consultation=consultation, ends_at__gt=now)
        .select_related("member", "intern", "territory")
        .order_by("starts_at")[:10]
    )
    return render(
        request,
        "web/defence/consultation.html",
        {
            "consultation": consultation,
            "members": selectors.members(consultation),
            "upcoming": [{"shift": s, "when": _when(s)} for s in upcoming],
            "roster_url": reverse("duty_roster")
            + "?"
            + urlencode({"region": selectors.region_of(consultation.territory).kato_code}),
        },
    )


@login_required
@permission_required("defence.add_dutyshift", raise_exception=True)
@once_per_form
def shift_create(request: AuthedRequest) -> HttpResponse:
    user = with_roles(request.user)
    keeps = _manageable(user)
    if not keeps:
        raise PermissionDenied
    form = ShiftForm(request.POST if request.method == "POST" else None, consultations=keeps)
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.add_shift(actor=user, **form.service_kwargs())
        except ValidationError as error:
            add_service_errors(form, error, ShiftForm.ALIASES)
        else:
            messages.success(request, _("The shift was added to the roster."))
            query = urlencode(
                {
                    "region": shift.territory.kato_code,
                    "week": timezone.localdate(shift.starts_at).isoformat(),
                }
            )
            return redirect(reverse("duty_roster") + "?" + query)
    return render(
        request,
        "web/defence/shift_form.html",
        {"form": form, "has_errors": bool(form.errors), "back_url": reverse("duty_roster")},
    )


@login_required
@permission_required("defence.change_dutyshift", raise_exception=True)
def shift_cancel(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    shift = (
        DutyShift.objects.active()
        .select_related("member", "consultation", "territory", "intern")
        .filter(pk=pk)
        .first()
    )
    if shift is None:
        raise Http404
    if not services.may_manage(user, shift.consultation):
        raise PermissionDenied
    back = (
        reverse("duty_roster")
        + "?"
        + urlencode(
            {
                "region": shift.territory.kato_code,
                "week": timezone.localdate(shift.starts_at).isoformat(),
            }
        )
    )
    form = CancelShiftForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_shift(actor=user, shift=shift, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The shift was cancelled."))
            return redirect(back)
    return render(
        request,
        "web/defence/shift_cancel.html",
        {
            "form": form,
            "shift": shift,
            "when": _when(shift),
            "has_errors": bool(form.errors),
            "back_url": back,
        },
    )


def member_roles() -> tuple[str, ...]:
    return (Role.DEFENCE_LAWYER, Role.SOCIAL_PSYCHOLOGIST, Role.PSYCHOLOGY_INTERN)


def is_consultation_member(user: Any) -> bool:
    agency = user.agency
    return (
        agency is not None
        and agency.agency_type == AgencyType.LEGAL_CONSULTATION
        and user.has_role(*member_roles())
    )
