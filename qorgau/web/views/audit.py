from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import render

from qorgau.audit.events import EVENT_CHOICES
from qorgau.audit.services import view_audit_trail
from qorgau.web.views.common import AuthedRequest, paginate, query_without_page

FILTERS = ("actor_id", "action", "subject_type", "subject_id")


@login_required
@permission_required("audit.view_auditevent", raise_exception=True)
def audit_list(request: AuthedRequest) -> HttpResponse:
    filters = {
        name: request.GET[name].strip() for name in FILTERS if request.GET.get(name, "").strip()
    }
    events = view_audit_trail(actor=request.user, **filters)
    return render(
        request,
        "web/audit/list.html",
        {
            "page_obj": paginate(request, events, 50),
            "filters": filters,
            "actions": EVENT_CHOICES,
            "querystring": query_without_page(request),
        },
    )
