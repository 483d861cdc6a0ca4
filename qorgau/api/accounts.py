"""The signed-in user, agencies and staff accounts."""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.views.decorators.csrf import ensure_csrf_cookie
from ninja import Query, Router, Status
from ninja.decorators import decorate_view

from qorgau.accounts import services
from qorgau.accounts.models import Agency, Training, User
from qorgau.api.common import acting_user, agency_by_id, paginate, responses, territory_by_code
from qorgau.api.schemas import (
    AgencyIn,
    AgencyOut,
    AgencyPatch,
    MeOut,
    PageFilter,
    RolesIn,
    StaffIn,
    StaffOut,
    StaffPage,
    StaffPatch,
    TrainingIn,
    TrainingOut,
)
from qorgau.api.versions import IF_MATCH_DESCRIPTION, IfMatch, expected_version, with_etag

router = Router(tags=["accounts"])

ADMINISTRATORS_ONLY = "Administrators only (the `accounts.change_user` permission); others get 403."


@router.get(
    "/me",
    response=responses({200: MeOut}, 401),
    summary="The signed-in user",
    description=(
        "Who the session belongs to: login, full name, agency, roles and interface language. "
        "Any signed-in user may call it and sees only themselves. It also sets the `csrftoken` "
        "cookie, whose value unsafe requests (POST, PATCH, PUT) must send in `X-CSRFToken`."
    ),
)
@decorate_view(ensure_csrf_cookie)
def me(request: HttpRequest) -> User:
    return acting_user(request)


@router.get(
    "/agencies",
    response=responses({200: list[AgencyOut]}, 401),
    summary="List agencies",
    description=(
        "The agencies of the juvenile justice system with their type and territory. "
        "Administrators (the `accounts.change_agency` permission) see every agency, "
        "inactive ones too; every other signed-in user sees the active ones."
    ),
)
def list_agencies(request: HttpRequest) -> list[Agency]:
    user = acting_user(request)
    agencies = Agency.objects.select_related("territory")
    if not user.has_perm("accounts.change_agency"):
        agencies = agencies.active()
    return list(agencies)


@router.post(
    "/agencies",
    response=responses({201: AgencyOut}, 400, 401, 403, 422),
    summary="Create an agency",
    description=(
        "Adds an agency; `territory` is the KATO code of the region or district it serves. "
        "Administrators only (the `accounts.add_agency` permission); others get 403."
    ),
)
def create_agency(request: HttpRequest, payload: AgencyIn) -> Status[Agency]:
    user = acting_user(request, "accounts.add_agency")
    data = payload.model_dump()
    data["territory"] = territory_by_code("territory", data["territory"])
    return Status(201, services.create_agency(actor=user, **data))


@router.get(
    "/agencies/{agency_id}",
    response=responses({200: AgencyOut}, 401, 404),
    summary="Read an agency",
    description=(
        "One agency, with the `ETag` a change must send back in `If-Match`. Closed agencies "
        "only for administrators (404 for others)."
    ),
)
@with_etag
def read_agency(request: HttpRequest, agency_id: int) -> Agency:
    user = acting_user(request)
    agencies = Agency.objects.select_related("territory")
    if not user.has_perm("accounts.change_agency"):
        agencies = agencies.active()
    return get_object_or_404(agencies, pk=agency_id)


@router.patch(
    "/agencies/{agency_id}",
    response=responses({200: AgencyOut}, 400, 401, 403, 404, 412, 422, 428),
    summary="Change an agency",
    description=(
        "Changes only the fields sent. Administrators only (the `accounts.change_agency` "
        "permission); others get 403. Every change is written to the audit trail. "
        + IF_MATCH_DESCRIPTION
    ),
)
@with_etag
def update_agency(
    request: HttpRequest,
    agency_id: int,
    payload: AgencyPatch,
    if_match: IfMatch = None,
) -> Agency:
    user = acting_user(request, "accounts.change_agency")
    agency = get_object_or_404(Agency, pk=agency_id)
    version = expected_version(if_match)
    data = payload.model_dump(exclude_unset=True)
    if "territory" in data:
        data["territory"] = territory_by_code("territory", data["territory"])
    return services.update_agency(actor=user, agency=agency, version=version, **data)


def _staff() -> Any:
    return User.objects.select_related("agency__territory").prefetch_related("groups", "trainings")


def _load_staff(user_id: int) -> User:
    return get_object_or_404(_staff(), pk=user_id)  # type: ignore[no-any-return]


@router.get(
    "/staff",
    response=responses({200: StaffPage}, 401, 403, 422),
    summary="List staff accounts",
    description=(
        "Every staff account, 25 per page, by surname, with agency, roles and completed "
        "trainings; passwords are never returned. " + ADMINISTRATORS_ONLY
    ),
)
def list_staff(request: HttpRequest, filters: Query[PageFilter]) -> dict[str, Any]:
    acting_user(request, "accounts.change_user")
    return paginate(_staff().order_by("last_name", "first_name", "id"), filters.page)


@router.post(
    "/staff",
    response=responses({201: StaffOut}, 400, 401, 403, 422),
    summary="Create a staff account",
    description=(
        "Creates an account with a password and at least one role; every role but "
        "`administrator` needs an agency. " + ADMINISTRATORS_ONLY
    ),
)
def create_staff(request: HttpRequest, payload: StaffIn) -> Status[User]:
    user = acting_user(request, "accounts.add_user")
    data = payload.model_dump()
    data["agency"] = agency_by_id("agency", data["agency"])
    created = services.create_staff(actor=user, **data)
    return Status(201, _load_staff(created.pk))


@router.get(
    "/staff/{user_id}",
    response=responses({200: StaffOut}, 401, 403, 404),
    summary="Read a staff account",
    description=(
        "One account, with the `ETag` a change (of its fields or its roles) must send back in "
        "`If-Match`. " + ADMINISTRATORS_ONLY
    ),
)
@with_etag
def read_staff(request: HttpRequest, user_id: int) -> User:
    acting_user(request, "accounts.change_user")
    return _load_staff(user_id)


@router.patch(
    "/staff/{user_id}",
    response=responses({200: StaffOut}, 400, 401, 403, 404, 412, 422, 428),
    summary="Change a staff account",
    description="Changes only the fields sent (roles have their own endpoint). "
    + IF_MATCH_DESCRIPTION
    + " "
    + ADMINISTRATORS_ONLY,
)
@with_etag
def update_staff(
    request: HttpRequest,
    user_id: int,
    payload: StaffPatch,
    if_match: IfMatch = None,
) -> User:
    user = acting_user(request, "accounts.change_user")
    staff = _load_staff(user_id)
    version = expected_version(if_match)
    data = payload.model_dump(exclude_unset=True)
    if "agency" in data:
        data["agency"] = agency_by_id("agency", data["agency"])
    services.update_staff(actor=user, user=staff, version=version, **data)
    return _load_staff(user_id)


@router.put(
    "/staff/{user_id}/roles",
    response=responses({200: StaffOut}, 400, 401, 403, 404, 412, 422, 428),
    summary="Replace a staff member's roles",
    description="Sets the roles to exactly the ones sent (at least one). "
    + IF_MATCH_DESCRIPTION
    + " "
    + ADMINISTRATORS_ONLY,
)
@with_etag
def set_roles(
    request: HttpRequest,
    user_id: int,
    payload: RolesIn,
    if_match: IfMatch = None,
) -> User:
    user = acting_user(request, "accounts.change_user")
    staff = _load_staff(user_id)
    version = expected_version(if_match)
    services.set_roles(actor=user, user=staff, roles=payload.roles, version=version)
    return _load_staff(user_id)


@router.post(
    "/staff/{user_id}/trainings",
    response=responses({201: TrainingOut}, 400, 401, 403, 404, 422),
    summary="Record a completed training",
    description=(
        "Records a juvenile-justice specialization course the staff member completed. "
        "Administrators only (the `accounts.add_training` permission); others get 403."
    ),
)
def add_training(request: HttpRequest, user_id: int, payload: TrainingIn) -> Status[Training]:
    user = acting_user(request, "accounts.add_training")
    staff = get_object_or_404(User, pk=user_id)
    return Status(201, services.add_training(actor=user, user=staff, **payload.model_dump()))
