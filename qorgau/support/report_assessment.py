"""The risk and needs assessment as a short section of the portrait report.

The report (seed 4.7: the study of the child's personality ends in a report the investigator
and the court take into account) shows the minor's latest completed assessment: when, by whom,
with which instrument, the two levels and their reasons in words. Which assessment is fixed on
the report version (`PortraitReport.assessment`), so a signed report never changes.
"""

from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qorgau.accounts.models import User
from qorgau.people.models import Juvenile
from qorgau.support.models.assessment import Assessment, RiskLevel
from qorgau.support.selectors.assessment import latest_completed


@dataclass
class ScaleSummary:
    label: str  # "Risk to society"
    level: str  # "high"
    reasons_label: str
    reasons: list[str] = field(default_factory=list)
    lowered: str = ""


@dataclass
class AssessmentSection:
    """Everything the report shows of the assessment, in the active language."""

    title: str
    rows: list[tuple[str, str]] = field(default_factory=list)
    scales: list[ScaleSummary] = field(default_factory=list)
    note: str = ""  # instead of the rows: why nothing of the assessment is shown


def latest_for_report(author: User, juvenile: Juvenile) -> Assessment | None:
    """The minor's latest completed assessment the report's author may see, if any."""
    return latest_completed(author, juvenile)


def _assessor(assessment: Assessment) -> str:
    """Name, role and agency (the agency stored with the assessment, named in the language)."""
    author = assessment.author
    roles = ", ".join(author.role_labels)
    parts = (author.get_full_name(), roles, assessment.author_agency.name)
    return ", ".join(part for part in parts if part)


def _points(points: int) -> str:
    return ngettext("%(points)s point", "%(points)s points", points) % {"points": points}


def summarise(assessment: Assessment) -> AssessmentSection:
    """The section in the active language (the caller sets the report's language)."""
    instrument = assessment.instrument
    assert assessment.completed_at is not None
    completed = timezone.localtime(assessment.completed_at).strftime("%d.%m.%Y")
    rows = [
        (_("Date of the assessment"), completed),
        (_("Assessed by"), _assessor(assessment)),
        (
            _("Instrument"),
            _("%(code)s, version %(version)s: «%(title)s»")
            % {
                "code": instrument.code,
                "version": instrument.version,
                "title": instrument.title,
            },
        ),
    ]
    labels = {"society": _("Risk to society"), "child": _("Risk to the child")}
    levels = {"society": assessment.society_level, "child": assessment.child_level}
    scales = []
    for scale in ("society", "child"):
        stored = assessment.reasons.get(scale) or {}
        reasons = []
        for entry in stored.get("domains", []):
            domain = instrument.domain(entry["domain"])
            title = domain.title if domain else entry["domain"]
            reasons.append(f"{title} ({_points(entry['points'])})")
        lowered = ""
        if stored.get("lowered_from"):
            lowered = _("Protective factors lowered the level from %(before)s to %(after)s.") % {
                "before": RiskLevel(stored["lowered_from"]).label,
                "after": RiskLevel(levels[scale]).label,
            }
        scales.append(
            ScaleSummary(
                label=str(labels[scale]),
                level=str(RiskLevel(levels[scale]).label),
                reasons_label=_("Reasons"),
                reasons=reasons or [_("No section added enough points to be a reason.")],
                lowered=lowered,
            )
        )
    return AssessmentSection(
        title=_("Criminogenic risk and needs assessment"), rows=rows, scales=scales
    )


def hidden_section() -> AssessmentSection:
    """For a reader of a draft who may not see assessments (a psychology-student intern)."""
    return AssessmentSection(
        title=_("Criminogenic risk and needs assessment"),
        note=_(
            "The report includes the minor's risk and needs assessment. You may not see "
            "assessments: it is shown only to the psychologists who may."
        ),
    )


def disclosure_note(assessment: Assessment, language: str) -> str:
    """What the record of disclosures says the issued report shared of the assessment (stored
    text, in the report's language)."""
    assert assessment.completed_at is not None
    with translation.override(language):
        return _(
            "The report includes the risk and needs assessment of %(day)s: both levels and "
            "their reasons."
        ) % {"day": timezone.localtime(assessment.completed_at).strftime("%d.%m.%Y")}
