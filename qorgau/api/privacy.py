"""A child's own record, exported on the child's or their representative's request."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from qorgau.api.common import acting_user, responses
from qorgau.people import services

router = Router(tags=["juveniles"])


@router.get(
    "/juveniles/{juvenile_id}/export",
    response=responses({200: dict[str, Any]}, 401, 403, 404),
    summary="Export a child's own record",
    description=(
        "Everything Qorgau holds on the child — the record and family, cases with their steps, "
        "violations of the child's safeguards, assessments, support plans, signed portrait "
        "reports, mediations — as one JSON document, to answer the request of the child or "
        "their legal representative. Confidential working material is not included. Staff "
        "holding `people.export_juvenile` (investigators, juvenile police inspectors, "
        "prosecutors, child-rights specialists) for records within their scope; the export is "
        "written to the audit trail."
    ),
)
def export_juvenile(request: HttpRequest, juvenile_id: int) -> dict[str, Any]:
    user = acting_user(request, "people.export_juvenile")
    return services.export_juvenile_record(actor=user, juvenile_id=juvenile_id)
