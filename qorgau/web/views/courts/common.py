"""What the court pages share: loading what the user may see, the status words and colours."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.courts.models import CaseKind, CourtCase, Hearing, HearingStatus

HEARING_COLOURS = {
    HearingStatus.SCHEDULED: "",
    HearingStatus.HELD: "green",
    HearingStatus.ADJOURNED: "grey",
}
KIND_COLOURS = {
    CaseKind.CRIMINAL: "purple",
    CaseKind.ADMINISTRATIVE: "orange",
    CaseKind.CIVIL: "teal",
}


def hearing_tag(hearing: Hearing) -> dict[str, Any]:
    return {
        "text": HearingStatus(hearing.status).label,
        "colour": HEARING_COLOURS[HearingStatus(hearing.status)],
    }


def case_tag(case: CourtCase) -> dict[str, Any]:
    if case.decided_at is not None:
        return {"text": _("decided"), "colour": "green"}
    return {"text": _("being heard"), "colour": ""}


def kind_tag(case: CourtCase) -> dict[str, Any]:
    return {"text": CaseKind(case.kind).label, "colour": KIND_COLOURS[CaseKind(case.kind)]}


def own_court(user: User) -> Agency:
    """The juvenile court the user works in: the court pages exist only for its staff."""
    court = user.agency
    if court is None or court.agency_type != AgencyType.JUVENILE_COURT or not court.is_active:
        raise PermissionDenied
    if not user.has_perm("courts.view_courtcase"):
        raise PermissionDenied
    return court


def visible_court_case(user: User, pk: int) -> CourtCase:
    case = CourtCase.objects.visible_to(user).filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def judges_of(court: Agency) -> Any:
    return User.objects.filter(agency=court, is_active=True, groups__name=Role.JUDGE).order_by(
        "last_name", "first_name", "id"
    )
