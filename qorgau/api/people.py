"""Juveniles' records and the family members and representatives around each child."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from qorgau.api.common import acting_user, paginate, responses, territory_by_code
from qorgau.api.schemas import (
    JuvenileFilters,
    JuvenileIn,
    JuvenileOut,
    JuvenilePage,
    JuvenilePatch,
    RelativeIn,
    RelativeOut,
    RelativePatch,
)
from qorgau.api.versions import IF_MATCH_DESCRIPTION, IfMatch, expected_version, with_etag
from qorgau.people import selectors, services
from qorgau.people.models import Juvenile, Relative

router = Router(tags=["juveniles"])

SCOPE = (
    "Records are scoped to the caller's agency: those registered by it and those of children "
    "living in its region (a record outside that scope answers 404, as if it did not exist)."
)
READERS = (
    "Staff whose role reads juveniles' records (the `people.view_juvenile` permission); "
    "others get 403."
)
WRITERS = (
    "Staff whose role registers and changes juveniles' records (the `people.add_juvenile` and "
    "`people.change_juvenile` permissions); others get 403."
)


def _with_address(data: dict[str, Any]) -> dict[str, Any]:
    if "address_territory" in data:
        data["address_territory"] = territory_by_code(
            "address_territory", data["address_territory"]
        )
    return data


@router.get(
    "/juveniles",
    response=responses({200: JuvenilePage}, 401, 403, 422),
    summary="Search the juveniles register",
    description=(
        "25 rows a page, by surname. `q` matches IIN digits from the start, or a name typed in "
        "Cyrillic or Latin letters (Қайрат, Kairat, Qairat); `region` is a KATO code. Every "
        "search with a non-empty `q` is written to the audit trail (IIN digits as a keyed "
        "digest, not in clear). " + READERS + " " + SCOPE
    ),
)
def list_juveniles(request: HttpRequest, filters: Query[JuvenileFilters]) -> dict[str, Any]:
    user = acting_user(request, "people.view_juvenile")
    region = territory_by_code("region", filters.region or None)
    juveniles = selectors.juveniles_for_list(
        actor=user, query=filters.q, region_id=region.pk if region else None
    )
    page = paginate(juveniles, filters.page)
    if filters.q.strip():
        services.log_search(actor=user, query=filters.q.strip(), result_count=page["count"])
    return page


@router.get(
    "/juveniles/{juvenile_id}",
    response=responses({200: JuvenileOut}, 401, 403, 404),
    summary="Read a juvenile's record",
    description=(
        "The full record with the family profile and the family members and representatives. "
        "Every reading is written to the audit trail. The answer's `ETag` (and `version`) is "
        "what a change must send back in `If-Match`. " + READERS + " " + SCOPE
    ),
)
@with_etag
def read_juvenile(request: HttpRequest, juvenile_id: int) -> Juvenile:
    user = acting_user(request, "people.view_juvenile")
    return services.view_juvenile(actor=user, juvenile_id=juvenile_id)


@router.post(
    "/juveniles",
    response=responses({201: JuvenileOut}, 400, 401, 403, 422),
    summary="Register a juvenile",
    description=(
        "Registers a minor's record for the caller's agency. Give the IIN (birth date and sex "
        "are read from it and must agree with it) or `no_iin_reason`; `address_territory` is a "
        "KATO code. " + WRITERS
    ),
)
def register_juvenile(request: HttpRequest, payload: JuvenileIn) -> Status[Juvenile]:
    user = acting_user(request)
    data = _with_address(payload.model_dump())
    return Status(201, services.register_juvenile(actor=user, **data))


@router.patch(
    "/juveniles/{juvenile_id}",
    response=responses({200: JuvenileOut}, 400, 401, 403, 404, 412, 422, 428),
    summary="Change a juvenile's record",
    description="Changes only the fields sent. "
    + IF_MATCH_DESCRIPTION
    + " "
    + WRITERS
    + " "
    + SCOPE,
)
@with_etag
def update_juvenile(
    request: HttpRequest,
    juvenile_id: int,
    payload: JuvenilePatch,
    if_match: IfMatch = None,
) -> Juvenile:
    user = acting_user(request, "people.change_juvenile")
    juvenile = Juvenile.objects.seen_by(user).get(pk=juvenile_id)
    version = expected_version(if_match)
    data = _with_address(payload.model_dump(exclude_unset=True))
    return services.update_juvenile(actor=user, juvenile=juvenile, version=version, **data)


@router.post(
    "/juveniles/{juvenile_id}/relatives",
    response=responses({201: RelativeOut}, 400, 401, 403, 404, 422),
    summary="Add a family member or representative",
    description=(
        "Adds a parent, guardian, relative or legal representative to a juvenile's record. "
        + WRITERS
        + " "
        + SCOPE
    ),
)
def add_relative(request: HttpRequest, juvenile_id: int, payload: RelativeIn) -> Status[Relative]:
    user = acting_user(request)
    juvenile = Juvenile.objects.seen_by(user).get(pk=juvenile_id)
    return Status(201, services.add_relative(actor=user, juvenile=juvenile, **payload.model_dump()))


@router.patch(
    "/relatives/{relative_id}",
    response=responses({200: RelativeOut}, 400, 401, 403, 404, 412, 422, 428),
    summary="Change a family member or representative",
    description=(
        "Changes only the fields sent. `If-Match` carries the `version` of the family member "
        "as the juvenile's record lists it. " + IF_MATCH_DESCRIPTION + " " + WRITERS + " " + SCOPE
    ),
)
@with_etag
def update_relative(
    request: HttpRequest,
    relative_id: int,
    payload: RelativePatch,
    if_match: IfMatch = None,
) -> Relative:
    user = acting_user(request, "people.change_juvenile")
    relative = Relative.objects.filter(juvenile__in=Juvenile.objects.visible_to(user)).get(
        pk=relative_id
    )
    version = expected_version(if_match)
    return services.update_relative(
        actor=user, relative=relative, version=version, **payload.model_dump(exclude_unset=True)
    )
