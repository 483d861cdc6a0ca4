"""Assigning the on-duty defender and psychologist in one step: a check-answers page, then POST."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qorgau.defence import selectors, services
from qorgau.defence.legal_rules import defence_rules
from qorgau.proceedings.models import ParticipantRole
from qorgau.web.forms.defence import AssignForm
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.views.cases.common import case_minor, case_url, visible_case, with_roles
from qorgau.web.views.common import AuthedRequest


@login_required
@permission_required("defence.add_ondutyassignment", raise_exception=True)
def assign_on_duty(request: AuthedRequest, pk: int, accused_pk: int) -> HttpResponse:
    user = with_roles(request.user)
    case = visible_case(user, pk)
    accused = case_minor(case, accused_pk)
    services.require_assigner(user, accused)  # PermissionDenied: 403, as on the case pages
    now = timezone.now()
    detention = selectors.detention_of(accused, before=now)
    found = selectors.on_duty(case.territory, now)
    defender = found.defenders[0] if found.defenders else None
    has_psychologist = selectors.has_participant(accused, ParticipantRole.SOCIAL_PSYCHOLOGIST)
    psychologist = found.psychologists[0] if found.psychologists and not has_psychologist else None
    form = AssignForm(
        request.POST if request.method == "POST" else None,
        has_psychologist=psychologist is not None,
    )
    if request.method == "POST" and form.is_valid() and defender is not None:
        wanted = psychologist if form.cleaned_data.get("with_psychologist") else None
        try:
            services.assign_on_duty(
                actor=user,
                accused=accused,
                defender=defender.member,
                psychologist=wanted.member if wanted else None,
                state_paid=form.cleaned_data["state_paid"] == "yes",
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The on-duty defender was assigned."))
            return redirect(case_url(case, accused))
    day = timezone.localdate(now)
    return render(
        request,
        "web/defence/assign.html",
        {
            "form": form,
            "case": case,
            "accused": accused,
            "detention": detention,
            "since_detention": now - detention.started_at if detention else None,
            "defender": defender,
            "psychologist": psychologist,
            "region": found.region,
            "has_defender": selectors.has_participant(accused, ParticipantRole.DEFENDER),
            "mandatory": defence_rules().get("mandatory_defender", day),
            "has_errors": bool(form.errors),
            "back_url": case_url(case, accused),
        },
    )
