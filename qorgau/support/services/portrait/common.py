"""What the portrait services share: who may act, the messages, and locked drafts."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import MESSAGE_INACTIVE, require
from qorgau.accounts.models import Role, User
from qorgau.proceedings.services.common import visible_case
from qorgau.support.models.portrait import (
    MESSAGE_FROZEN,
    REPORT_SECTIONS,
    Portrait,
    PortraitReport,
    ReportStatus,
    in_consultation,
)
from qorgau.support.report_assessment import latest_for_report

MESSAGE_NOT_PSYCHOLOGIST = _(
    "Only a social psychologist of a juvenile legal consultation may do this."
)
MESSAGE_NOT_CONSULTATION = _(
    "Only the psychologists of the consultation keeping this portrait may do this."
)
MESSAGE_INTERN_SIGN = _(
    "A psychology-student intern may record interviews and documents but may not sign a report."
)
MESSAGE_ALREADY_STARTED = _("A portrait of this minor is already kept by %(agency)s.")
MESSAGE_NAME_REQUIRED = _("Enter the name of the person you talked with.")
MESSAGE_SUMMARY_REQUIRED = _("Enter a summary of the interview.")
MESSAGE_TITLE_REQUIRED = _("Enter the title of the document.")
MESSAGE_SOURCE_REQUIRED = _("Enter who issued the document.")
MESSAGE_RECEIVED_FUTURE = _("The date received cannot be in the future.")
MESSAGE_RECEIVED_BEFORE_BIRTH = _(
    "The date received cannot be before the child was born (%(birth)s): check the year."
)
MESSAGE_NOTE_REQUIRED = _("Enter the text of the note.")
MESSAGE_DRAFT_EXISTS = _(
    "Version %(version)s is still a draft: change it instead of starting another version."
)
MESSAGE_NOT_DRAFT = MESSAGE_FROZEN
MESSAGE_UNKNOWN_ALTERNATIVE = _("%(code)s is not an alternative to deprivation of liberty.")
MESSAGE_MISSING_INTERVIEW = _(
    "The report cannot be issued without %(what)s (%(citation)s): record it first."
)
MESSAGE_SECTION_EMPTY = _(
    "Write the section «%(section)s» and mark it as completed before signing."
)
MESSAGE_DECLARATION = _("Confirm the declaration to sign the report.")
MESSAGE_RECIPIENT_REQUIRED = _("Name the person or body the information was shared with.")
MESSAGE_DETAILS_REQUIRED = _("Say what was shared.")
MESSAGE_PURPOSE_REQUIRED = _("Say why it was shared.")

SECTION_NAMES = [name for name, _title in REPORT_SECTIONS]
# A new version starts from the last one: its text, its choices and its completed sections.
CARRIED = [*SECTION_NAMES, "language", "issued_to", "alternatives", "completed_sections"]


# Who may act


def _active(actor: User) -> None:
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_INACTIVE)


def is_member(actor: User, portrait: Portrait) -> bool:
    """Whether the actor works on portraits in the consultation keeping this one."""
    return Portrait.objects.filter(in_consultation(actor), pk=portrait.pk).exists()


def _require_member(actor: User, portrait: Portrait, permission: str) -> None:
    _active(actor)
    require(actor, permission)
    if not is_member(actor, portrait):
        raise PermissionDenied(MESSAGE_NOT_CONSULTATION)
    visible_case(actor, portrait.accused.proceeding)


def _require_psychologist(actor: User) -> None:
    if not actor.has_role(Role.SOCIAL_PSYCHOLOGIST):
        if actor.has_role(Role.PSYCHOLOGY_INTERN):
            raise PermissionDenied(MESSAGE_INTERN_SIGN)
        raise PermissionDenied(MESSAGE_NOT_PSYCHOLOGIST)


def _follow_assessment(
    actor: User, report: PortraitReport, changes: dict[str, tuple[Any, Any]]
) -> None:
    """A draft shows the minor's latest completed assessment its author may see (no copy)."""
    latest = latest_for_report(actor, report.portrait.accused.juvenile)
    wanted = latest.pk if latest else None
    if report.assessment_id != wanted:
        changes["assessment"] = (report.assessment_id, wanted)
        report.assessment = latest


def _locked_draft(report: PortraitReport) -> PortraitReport:
    locked = PortraitReport.objects.select_for_update().select_related("portrait").get(pk=report.pk)
    if locked.status != ReportStatus.DRAFT:
        raise ValidationError(MESSAGE_NOT_DRAFT)
    return locked


# The portrait and its working material
