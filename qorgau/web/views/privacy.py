"""A child's own record as a file, for the child or their legal representative on request."""

import json

from django.contrib.auth.decorators import login_required, permission_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.utils import timezone

from qorgau.people import services
from qorgau.people.models import Juvenile
from qorgau.web.views.common import AuthedRequest


@login_required
@permission_required("people.export_juvenile", raise_exception=True)
def juvenile_export(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        document = services.export_juvenile_record(actor=request.user, juvenile_id=pk)
    except Juvenile.DoesNotExist:
        raise Http404 from None
    body = json.dumps(document, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = f"qorgau-record-{pk}-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
