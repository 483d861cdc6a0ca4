"""Who saw a child's record: the child's audit trail, for prosecutors and child-rights bodies."""

import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from qorgau.api.common import acting_user, responses
from qorgau.api.schemas import AuditEventOut
from qorgau.people.trail import PAGE_SIZE, view_record_trail

router = Router(tags=["audit"])


class RecordTrailFilters(Schema):
    since: datetime.date | None = Field(None, description="First day of the period (inclusive).")
    until: datetime.date | None = Field(None, description="Last day of the period (inclusive).")
    before: int | None = Field(
        None, ge=1, description="`next_before` of the previous page: the rows older than it."
    )


class RecordTrailPage(Schema):
    juvenile: int
    results: list[AuditEventOut]
    next_before: int | None = Field(
        description="Pass as `before` for the next, older page; null on the last page."
    )


@router.get(
    "/juveniles/{juvenile_id}/audit",
    response=responses({200: RecordTrailPage}, 401, 403, 404, 422),
    summary="Who saw a juvenile's record",
    description=(
        f"Every reading, change and refused attempt on the child's record and on the records "
        f"about the child (family, cases, charges, violations, assessments, portraits and "
        f"their reports, support plans and tasks, mediations), and every search by the "
        f"child's full IIN, newest first, {PAGE_SIZE} a page, paged by `before` (keyset), "
        f"filtered by the period `since`–`until` (dates in Asia/Almaty, inclusive). "
        f"Prosecutors and child-rights specialists (the `audit.view_record_trail` permission) "
        f"for a child within their scope (their region, their agency's registrations, the "
        f"cases they take part in); others get 403, a child outside the scope 404. Each "
        f"reading is itself written to the trail (`audit.record_trail`)."
    ),
)
def juvenile_audit_trail(
    request: HttpRequest, juvenile_id: int, filters: Query[RecordTrailFilters]
) -> dict[str, object]:
    user = acting_user(request)
    page = view_record_trail(
        actor=user,
        juvenile_id=juvenile_id,
        since=filters.since,
        until=filters.until,
        before=filters.before,
    )
    return {"juvenile": page.juvenile.pk, "results": page.events, "next_before": page.next_before}
