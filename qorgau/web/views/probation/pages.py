"""The inspector's caseload, the supervision page, the releases and their follow-ups."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.people.models import Juvenile
from qorgau.probation import selectors, services
from qorgau.probation.models import FollowUp, Release, Supervision
from qorgau.probation.rulebook import probation_book
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.probation import FollowUpForm, ReleaseForm
from qorgau.web.once import once_per_form
from qorgau.web.views.cases.common import case_url, with_roles
from qorgau.web.views.common import AuthedRequest, paginate, query_without_page
from qorgau.web.views.probation import common

FORM = "web/plans/form.html"


@login_required
@permission_required("probation.change_supervision", raise_exception=True)
def caseload(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    page = paginate(request, selectors.caseload(actor=user))
    rows = [
        {
            "supervision": s,
            "url": common.supervision_url(s),
            "status": common.status_tag(s),
            "next": common.next_tag(s, today),
            "report": common.report_tag(s, today),
        }
        for s in page.object_list
    ]
    return render(
        request,
        "web/probation/caseload.html",
        {"page": page, "rows": rows, "query": query_without_page(request)},
    )


@login_required
def supervision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    if not user.has_perm("probation.view_supervision"):
        raise PermissionDenied
    try:
        supervision = services.view_supervision(actor=user, pk=pk)
    except Supervision.DoesNotExist:
        raise Http404 from None
    supervision = selectors.with_details(supervision)
    today = timezone.localdate()
    book = probation_book()
    ground = (
        book.get("deferral_grounds", supervision.deferral_ground)
        if supervision.deferral_ground
        else None
    )
    context: dict[str, Any] = {
        "supervision": supervision,
        "status": common.status_tag(supervision),
        "next": common.next_tag(supervision, today),
        "report": common.report_tag(supervision, today),
        "punishment": _punishment_label(supervision),
        "deferral_ground": ground.label if ground else "",
        "report_rule": book.report_rule(supervision.starts_on),
        "checkins": [
            {"checkin": c, "colour": common.ATTENDANCE_COLOURS[c.attendance]}  # type: ignore[index]
            for c in supervision.checkins.all()
        ],
        "breaches": list(supervision.breaches.all()),
        "work": list(supervision.work.all()),
        "reminders": list(supervision.reminders.all()),
        "actions": common.actions(user, supervision),
        "case_url": case_url(supervision.proceeding, supervision.accused)
        if user.has_perm("proceedings.view_proceeding") and supervision.agency_id != user.agency_id
        else "",
    }
    return render(request, "web/probation/detail.html", context)


def _punishment_label(supervision: Supervision) -> str:
    from qorgau.proceedings.legal_rules import rule_book

    rule = (
        rule_book().get("punishments", supervision.punishment) if supervision.punishment else None
    )
    return rule.label if rule else ""


@login_required
@permission_required("probation.change_release", raise_exception=True)
def release_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    follow_ups = [
        {"follow_up": f, "overdue": (today - f.due_on).days if f.due_on < today else 0}
        for f in selectors.follow_ups_due(actor=user)[:50]
    ]
    page = paginate(request, selectors.releases(actor=user).filter(agency=user.agency))
    return render(
        request,
        "web/probation/releases.html",
        {"follow_ups": follow_ups, "page": page, "query": query_without_page(request)},
    )


@login_required
@permission_required("probation.add_release", raise_exception=True)
@once_per_form
def release_create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    form = ReleaseForm(
        request.POST if request.method == "POST" else None,
        bases=probation_book().choices("release_bases", today),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        juvenile = Juvenile.objects.seen_by(user).filter(iin=data["iin"].strip()).first()
        if juvenile is None:
            form.add_error("iin", _("No minor with this IIN is registered in your sight."))
        else:
            try:
                release = services.record_release(
                    actor=user,
                    juvenile=juvenile,
                    institution=data["institution"],
                    institution_kind=data["institution_kind"],
                    released_on=data["released_on"],
                    basis=data["basis"],
                    areas=form.areas(),
                )
            except ValidationError as error:
                add_service_errors(form, error, {"areas": "area_housing", "juvenile": "iin"})
            else:
                messages.success(request, _("Release recorded; the re-socialization plan is open"))
                return redirect("release_detail", pk=release.pk)
    return render(
        request,
        FORM,
        {
            "form": form,
            "title": _("Record a release from an institution"),
            "intro": _(
                "The release opens a re-socialization plan on the minor's support plan: one need "
                "per area you describe, with follow-ups at 3, 6 and 12 months."
            ),
            "button": _("Record the release"),
            "back_url": reverse("release_list"),
            "has_errors": bool(form.errors),
        },
    )


@login_required
def release_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    if not user.has_perm("probation.view_release"):
        raise PermissionDenied
    try:
        release = services.view_release(actor=user, pk=pk)
    except Release.DoesNotExist:
        raise Http404 from None
    release = selectors.release_details(release)
    today = timezone.localdate()
    basis = probation_book().get("release_bases", release.basis)
    follow_ups = [
        {
            "follow_up": f,
            "overdue": (today - f.due_on).days if f.done_on is None and f.due_on < today else 0,
            "url": reverse("follow_up_record", args=[f.pk])
            if f.done_on is None and f.agency_id == user.agency_id
            else "",
        }
        for f in release.follow_ups.all()
    ]
    return render(
        request,
        "web/probation/release.html",
        {
            "release": release,
            "basis": basis.label if basis else release.basis,
            "follow_ups": follow_ups,
            **dict(
                zip(
                    ("needs", "tasks"),
                    selectors.plan_parts(actor=user, release=release),
                    strict=True,
                )
            ),
            "reoffences": selectors.reoffences(release),
            "window": probation_book().reoffending_months(release.released_on),
        },
    )


@login_required
@permission_required("probation.change_release", raise_exception=True)
@once_per_form
def follow_up_record(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    follow_up = (
        FollowUp.objects.filter(pk=pk, agency=user.agency)
        .select_related("release__juvenile")
        .first()
    )
    if follow_up is None:
        raise Http404
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_follow_up(
                actor=user,
                follow_up=follow_up,
                done_on=data["done_on"],
                outcome=data["outcome"],
                notes=data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Follow-up recorded"))
            return redirect("release_detail", pk=follow_up.release_id)
    return render(
        request,
        FORM,
        {
            "form": form,
            "caption": follow_up.release.juvenile.full_name,
            "title": _("Record the follow-up %(months)s months after release")
            % {"months": follow_up.months},
            "button": _("Save the follow-up"),
            "back_url": reverse("release_detail", args=[follow_up.release_id]),
            "has_errors": bool(form.errors),
        },
    )
