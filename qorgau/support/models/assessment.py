"""An assessment of a minor's criminogenic risk and needs, made with a versioned instrument."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qorgau.accounts.models import Agency, User
from qorgau.core.models import TimeStampedModel, Versioned
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused
from qorgau.support.instrument import Instrument, library
from qorgau.support.visibility import minor_seen_by

__all__ = ["Assessment", "AssessmentQuerySet", "AssessmentStatus", "RiskLevel"]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    COMPLETED = "completed", _("completed")


class RiskLevel(models.TextChoices):
    # A context of their own: in Russian the level agrees with «риск», not with a severity.
    LOW = "low", pgettext_lazy("risk level", "low")
    MODERATE = "moderate", pgettext_lazy("risk level", "moderate")
    HIGH = "high", pgettext_lazy("risk level", "high")
    VERY_HIGH = "very_high", pgettext_lazy("risk level", "very high")


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def visible_to(self, user: User) -> "AssessmentQuerySet":
        """Seen by the author's agency and by the agencies of the cases of that child.

        Assessments are need-to-know: the role must hold `support.view_assessment`, and a
        closed agency's staff see nothing.
        """
        if not user.is_active or not user.has_perm("support.view_assessment"):
            return self.none()
        if user.is_superuser:
            return self.filter(Q(status=AssessmentStatus.COMPLETED) | Q(author=user))
        if user.agency is None or not user.agency.is_active:
            return self.none()
        # A draft is its author's work in progress; the others see completed assessments.
        finished = Q(status=AssessmentStatus.COMPLETED) | Q(author=user)
        # The child is checked row by row (support/visibility.py), not against every child of
        # the agency's cases: the page's filter (the child, a pk) picks the rows by index.
        seen = Q(author_agency=user.agency) | minor_seen_by(user, "juvenile_id")
        return self.filter(seen, finished)

    def completed(self) -> "AssessmentQuerySet":
        return self.filter(status=AssessmentStatus.COMPLETED)


class Assessment(TimeStampedModel, Versioned):
    """Answers to an instrument's items and, once completed, the levels and their reasons.

    A completed assessment is never changed: a reassessment is a new assessment. It keeps the
    instrument code and version it used and is always read against that version.
    """

    juvenile = models.ForeignKey(
        Juvenile, verbose_name=_("juvenile"), on_delete=models.PROTECT, related_name="assessments"
    )
    accused = models.ForeignKey(
        Accused,
        verbose_name=_("made for the case of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    author = models.ForeignKey(
        User, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    author_agency = models.ForeignKey(
        Agency, verbose_name=_("agency of the assessor"), on_delete=models.PROTECT, related_name="+"
    )
    instrument_code = models.CharField(_("instrument"), max_length=64)
    instrument_version = models.PositiveIntegerField(_("instrument version"))
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus, default=AssessmentStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    domain_scores = models.JSONField(_("points per domain"), default=dict, blank=True)
    society_score = models.PositiveIntegerField(_("total for society"), null=True, blank=True)
    child_score = models.PositiveIntegerField(_("total for the child"), null=True, blank=True)
    society_level = models.CharField(
        _("risk to society"), max_length=16, choices=RiskLevel, blank=True
    )
    child_level = models.CharField(
        _("risk to the child"), max_length=16, choices=RiskLevel, blank=True
    )
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("reassessment of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reassessments",
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("risk and needs assessment")
        verbose_name_plural = _("risk and needs assessments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        status=AssessmentStatus.DRAFT,
                        completed_at__isnull=True,
                        society_level="",
                        child_level="",
                    )
                    | (
                        Q(status=AssessmentStatus.COMPLETED, completed_at__isnull=False)
                        & ~Q(society_level="")
                        & ~Q(child_level="")
                    )
                ),
                name="assessment_levels_only_when_completed",
            ),
            models.UniqueConstraint(
                fields=["juvenile", "author"],
                condition=Q(status=AssessmentStatus.DRAFT),
                name="one_draft_assessment_per_author_and_minor",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juvenile} ({self.instrument_code} v{self.instrument_version})"

    @property
    def instrument(self) -> Instrument:
        """The version this assessment used, whatever version is current now."""
        found = library().get(self.instrument_code, self.instrument_version)
        if found is None:
            raise LookupError(f"{self.instrument_code} v{self.instrument_version} is missing")
        return found

    @property
    def is_draft(self) -> bool:
        return self.status == AssessmentStatus.DRAFT
