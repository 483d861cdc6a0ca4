"""Who saw this record: a child's audit trail for prosecutors and child-rights specialists."""

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from qorgau.audit.models import AuditEvent
from qorgau.people.models import Juvenile
from qorgau.people.trail import view_record_trail
from qorgau.web.forms.fields import add_service_errors
from qorgau.web.forms.record_trail import RecordTrailFilterForm
from qorgau.web.views.common import AuthedRequest


def record_name(event: AuditEvent) -> str:
    """The record an entry is about: as recorded, or its kind and number (refusals)."""
    if event.subject_label:
        return event.subject_label
    if not event.subject_type:
        return "—"
    try:
        kind = str(apps.get_model(event.subject_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = event.subject_type
    return f"{kind} № {event.subject_id}"


@login_required
def juvenile_trail(request: AuthedRequest, pk: int) -> HttpResponse:
    form = RecordTrailFilterForm(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    page = None
    try:
        page = view_record_trail(
            actor=request.user,
            juvenile_id=pk,
            since=chosen.get("since"),
            until=chosen.get("until"),
            before=chosen.get("before"),
        )
    except Juvenile.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        add_service_errors(form, error)  # then the newest page, unfiltered, beside the error
        page = view_record_trail(actor=request.user, juvenile_id=pk)
    period = {
        name: request.GET[name]
        for name in request.GET
        if name.startswith(("since", "until")) and not form.errors
    }
    older = (
        urlencode({**period, "before": str(page.next_before)})
        if page.next_before is not None
        else None
    )
    return render(
        request,
        "web/juveniles/trail.html",
        {
            "juvenile": page.juvenile,
            "form": form,
            "rows": [(event, record_name(event)) for event in page.events],
            "older": older,
            "newest": urlencode(period),
            "is_first_page": not chosen.get("before"),
            "has_errors": bool(form.errors),
        },
    )
