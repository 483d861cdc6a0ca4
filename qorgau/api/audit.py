"""The audit trail: who saw and changed what."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from qorgau.api.common import acting_user, paginate, responses
from qorgau.api.schemas import AuditFilters, AuditPage
from qorgau.audit.services import view_audit_trail

router = Router(tags=["audit"])


@router.get(
    "/audit",
    response=responses({200: AuditPage}, 401, 403, 422),
    summary="Read the audit trail",
    description=(
        "Audit events, newest first, 25 a page, filtered by `actor` (user id), `action` (event "
        "code), `subject_type` and `subject_id`. Prosecutors and administrators only (the "
        "`audit.view_auditevent` permission); others get 403. They see the whole trail, and "
        "each reading is itself written to it as an `audit.view` event with its filters."
    ),
)
def list_audit_events(request: HttpRequest, filters: Query[AuditFilters]) -> dict[str, Any]:
    user = acting_user(request)
    events = view_audit_trail(
        actor=user,
        actor_id=filters.actor,
        action=filters.action,
        subject_type=filters.subject_type,
        subject_id=filters.subject_id,
    )
    return paginate(events, filters.page)
