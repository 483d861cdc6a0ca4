"""The social-psychological portrait of an accused minor (seed 4.7; CPC RK art. 531).

The psychologist of a juvenile legal consultation talks with the minor, the parents, teachers
and people close to the child, collects documents, and writes the report the investigator or
the court takes into account. Interviews, documents and working notes are the consultation's
working material: nobody else sees them. A report becomes visible to the case's participants
when it is signed (issued); a signed version is frozen, and editing starts a new version.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, Role, User
from qorgau.core.models import TimeStampedModel, VersionedBase
from qorgau.proceedings.models import Accused
from qorgau.proceedings.visibility import case_seen_by
from qorgau.support.models.assessment import Assessment

__all__ = [
    "CONSULTATION_ROLES",
    "REPORT_SECTIONS",
    "CollectedDocument",
    "Disclosure",
    "DisclosureKind",
    "DocumentKind",
    "Interview",
    "InterviewWith",
    "IssuedTo",
    "Portrait",
    "PortraitReport",
    "ReportLanguage",
    "ReportStatus",
    "WorkingNote",
]

# The staff of a consultation who do the psychological work and may see its working material.
CONSULTATION_ROLES = (Role.SOCIAL_PSYCHOLOGIST, Role.PSYCHOLOGY_INTERN)

MESSAGE_FROZEN = _("A signed report is frozen: start a new version to change it.")


def consultation_of(user: User) -> int | None:
    """The agency whose portraits the user works on, if they are a consultation's psychologist."""
    if not user.is_active or user.agency_id is None or not user.has_role(*CONSULTATION_ROLES):
        return None
    if not user.agency or not user.agency.is_active:
        return None
    return user.agency_id


def in_consultation(user: User) -> Q:
    """Rows of portraits kept by the user's consultation, if the user works on portraits there."""
    agency = consultation_of(user)
    return Q(pk__in=[]) if agency is None else Q(agency_id=agency)


class PortraitQuerySet(models.QuerySet["Portrait"]):
    # The case is checked row by row (support/visibility.py): the consultation's own portraits,
    # or the one minor's, are read by index; the agency's whole case list is never built.

    def kept_by(self, user: User) -> "PortraitQuerySet":
        """The portraits of the user's consultation: the only ones whose material they see."""
        if not user.has_perm("support.view_portrait"):
            return self.none()
        return self.filter(in_consultation(user), case_seen_by(user, "accused__proceeding_id"))

    def visible_to(self, user: User) -> "PortraitQuerySet":
        """The consultation's own portraits, and those of the user's cases with an issued report."""
        if not user.has_perm("support.view_portrait"):
            return self.none()
        issued = PortraitReport.objects.filter(portrait=OuterRef("pk"), status=ReportStatus.SIGNED)
        return self.filter(
            in_consultation(user) | Q(Exists(issued)),
            case_seen_by(user, "accused__proceeding_id"),
        )


class Portrait(TimeStampedModel):
    """The study of one accused minor in one case by a consultation's psychologist."""

    accused = models.OneToOneField(
        Accused,
        verbose_name=_("accused minor"),
        on_delete=models.CASCADE,
        related_name="portrait",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("juvenile legal consultation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead = models.ForeignKey(
        User, verbose_name=_("lead psychologist"), on_delete=models.PROTECT, related_name="+"
    )

    objects = PortraitQuerySet.as_manager()

    class Meta:
        verbose_name = _("social-psychological portrait")
        verbose_name_plural = _("social-psychological portraits")
        ordering = ["-created_at", "-id"]
        # The consultation's portraits newest first (Today's "in progress"): a scan that stops.
        indexes = [models.Index(fields=["agency", "-updated_at"], name="portrait_agency_recent")]

    def __str__(self) -> str:
        return str(_("Portrait of %(name)s") % {"name": self.accused.juvenile.full_name})


class WorkingMaterialQuerySet(models.QuerySet[Any]):
    def visible_to(self, user: User) -> "WorkingMaterialQuerySet":
        """Only the consultation keeping the portrait: never the case's other participants."""
        agency = consultation_of(user)
        if agency is None or not user.has_perm("support.view_portrait"):
            return self.none()
        return self.filter(
            case_seen_by(user, "portrait__accused__proceeding_id"), portrait__agency_id=agency
        )


class InterviewWith(models.TextChoices):
    MINOR = "minor", _("the minor")
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    LEGAL_REPRESENTATIVE = "legal_representative", _("other legal representative")
    TEACHER = "teacher", _("teacher")
    CLOSE_PERSON = "close_person", _("other person close to the child")


class Interview(TimeStampedModel):
    """A conversation the psychologist held: working material of the consultation."""

    portrait = models.ForeignKey(
        Portrait, verbose_name=_("portrait"), on_delete=models.CASCADE, related_name="interviews"
    )
    with_whom = models.CharField(_("with whom"), max_length=24, choices=InterviewWith)
    name = models.CharField(_("name of the person"), max_length=255)
    held_at = models.DateTimeField(_("held at"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = WorkingMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("interview")
        verbose_name_plural = _("interviews")
        ordering = ["held_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_with_whom_display()}: {self.name}"


class DocumentKind(models.TextChoices):
    SCHOOL_REFERENCE = "school_reference", _("reference from the school")
    MEDICAL_CERTIFICATE = "medical_certificate", _("medical certificate")
    HOUSING_INSPECTION = "housing_inspection", _("act of inspection of living conditions")
    POLICE_REFERENCE = "police_reference", _("reference from the police")
    OTHER = "other", _("other document")


class CollectedDocument(TimeStampedModel):
    """A document the psychologist collected about the child: working material."""

    portrait = models.ForeignKey(
        Portrait, verbose_name=_("portrait"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind of document"), max_length=24, choices=DocumentKind)
    title = models.CharField(_("title"), max_length=255)
    source = models.CharField(_("issued by"), max_length=255)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("what it says"), blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = WorkingMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("collected document")
        verbose_name_plural = _("collected documents")
        ordering = ["received_on", "id"]

    def __str__(self) -> str:
        return self.title


class WorkingNote(TimeStampedModel):
    """The psychologist's confidential note: seen only within the consultation."""

    portrait = models.ForeignKey(
        Portrait, verbose_name=_("portrait"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        User, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )

    objects = WorkingMaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("working note")
        verbose_name_plural = _("working notes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]


class ReportLanguage(models.TextChoices):
    KAZAKH = "kk", _("Kazakh")
    RUSSIAN = "ru", _("Russian")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SIGNED = "signed", _("signed and issued")


class IssuedTo(models.TextChoices):
    INVESTIGATOR = "investigator", _("the investigator")
    COURT = "court", _("the court")


# The report's sections in order: (field, title). Titles are the headings of the PDF too.
REPORT_SECTIONS: list[tuple[str, Any]] = [
    ("grounds", _("Grounds and sources of information")),
    ("family", _("Family and living conditions")),
    ("development", _("Development and health")),
    ("education", _("Education, employment and leisure")),
    ("influences", _("Peers and the influence of adults")),
    ("personality", _("Personality and psychological state, including the stress of detention")),
    ("risks", _("Risks and needs")),
    ("conclusions", _("Conclusions")),
    ("recommendations", _("Recommendations")),
]


class PortraitReportQuerySet(models.QuerySet["PortraitReport"]):
    def visible_to(self, user: User) -> "PortraitReportQuerySet":
        """Every version to the consultation; signed versions to every participant of the case."""
        if not user.has_perm("support.view_portraitreport"):
            return self.none()
        # Both ways need the case; the consultation's own portraits show every version.
        agency = consultation_of(user) if user.has_perm("support.view_portrait") else None
        own = Q(pk__in=[]) if agency is None else Q(portrait__agency_id=agency)
        return self.filter(
            own | Q(status=ReportStatus.SIGNED),
            case_seen_by(user, "portrait__accused__proceeding_id"),
        )

    def kept_by(self, user: User) -> "PortraitReportQuerySet":
        """Every version of the consultation's own portraits (the pages that write them)."""
        agency = consultation_of(user)
        if agency is None or not user.has_perm("support.view_portrait"):
            return self.none()
        return self.filter(
            case_seen_by(user, "portrait__accused__proceeding_id"), portrait__agency_id=agency
        )

    def signed(self) -> "PortraitReportQuerySet":
        return self.filter(status=ReportStatus.SIGNED)


class PortraitReport(TimeStampedModel, VersionedBase):
    """One version of the report; signing issues it and freezes it with its PDF.

    `version` numbers the issued versions; `revision` is the record's version for concurrent
    edits of the draft (core/versioning.py), advanced by every save.
    """

    VERSION_FIELD = "revision"

    portrait = models.ForeignKey(
        Portrait, verbose_name=_("portrait"), on_delete=models.CASCADE, related_name="reports"
    )
    version = models.PositiveIntegerField(_("version"))
    revision = models.PositiveIntegerField(_("revision"), default=1, db_default=1, editable=False)
    language = models.CharField(
        _("language of the report"), max_length=2, choices=ReportLanguage, default="kk"
    )
    issued_to = models.CharField(
        _("for"), max_length=16, choices=IssuedTo, default=IssuedTo.INVESTIGATOR
    )
    grounds = models.TextField(_("grounds and sources of information"), blank=True)
    family = models.TextField(_("family and living conditions"), blank=True)
    development = models.TextField(_("development and health"), blank=True)
    education = models.TextField(_("education, employment and leisure"), blank=True)
    influences = models.TextField(_("peers and the influence of adults"), blank=True)
    personality = models.TextField(_("personality and psychological state"), blank=True)
    risks = models.TextField(_("risks and needs"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    completed_sections = models.JSONField(
        _("sections marked as completed"), default=list, blank=True
    )
    alternatives = models.JSONField(
        _("alternatives to deprivation of liberty recommended"), default=list, blank=True
    )
    # The minor's latest completed assessment the author could see while the version was a
    # draft (looked up again on every save of the draft); frozen with the version at signing.
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("risk and needs assessment shown"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=ReportStatus, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("started by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_by = models.ForeignKey(
        User,
        verbose_name=_("signed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)
    pdf_sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64, blank=True)
    pdf_size = models.PositiveIntegerField(_("size of the PDF in bytes"), null=True, blank=True)

    objects = PortraitReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("portrait report")
        verbose_name_plural = _("portrait reports")
        ordering = ["portrait", "-version"]
        permissions = [("sign_portraitreport", _("Can sign and issue a portrait report"))]
        constraints = [
            models.UniqueConstraint(fields=["portrait", "version"], name="one_report_version"),
            models.UniqueConstraint(
                fields=["portrait"],
                condition=Q(status="draft"),
                name="one_draft_per_portrait",
            ),
            models.CheckConstraint(
                condition=Q(status="draft")
                | Q(signed_at__isnull=False, signed_by__isnull=False, pdf_size__isnull=False),
                name="signed_report_has_pdf",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Report, version %(version)s") % {"version": self.version})

    @property
    def is_signed(self) -> bool:
        return self.status == ReportStatus.SIGNED

    @property
    def recommends_alternative(self) -> bool:
        return bool(self.alternatives)

    def section_text(self, name: str) -> str:
        return str(getattr(self, name))


def refuse_frozen(sender: type[PortraitReport], instance: PortraitReport, **kwargs: Any) -> None:
    """A signed version is refused here too, whoever saves it (the services sign by update)."""
    if instance.pk is None:
        return
    stored = PortraitReport.objects.filter(pk=instance.pk).values_list("status", flat=True)
    if stored.first() == ReportStatus.SIGNED:
        raise ValidationError(MESSAGE_FROZEN)


models.signals.pre_save.connect(
    refuse_frozen, sender=PortraitReport, dispatch_uid="portrait.frozen"
)


class DisclosureKind(models.TextChoices):
    ISSUED = "issued", _("report issued")
    READ = "read", _("report read")
    DOWNLOADED = "downloaded", _("PDF downloaded")
    OTHER = "other", _("other information shared")


class Disclosure(models.Model):
    """What of the child's portrait was shared, with whom, by whom, when and why."""

    portrait = models.ForeignKey(
        Portrait, verbose_name=_("portrait"), on_delete=models.CASCADE, related_name="disclosures"
    )
    report = models.ForeignKey(
        PortraitReport,
        verbose_name=_("report version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    kind = models.CharField(_("what"), max_length=16, choices=DisclosureKind)
    recipient_agency = models.ForeignKey(
        Agency,
        verbose_name=_("shared with agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient = models.ForeignKey(
        User,
        verbose_name=_("shared with"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    by = models.ForeignKey(
        User,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recipient_name = models.CharField(_("shared with (person or body)"), max_length=255, blank=True)
    at = models.DateTimeField(_("when"))
    details = models.TextField(_("what was shared"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("disclosure")
        verbose_name_plural = _("disclosures")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d.%m.%Y %H:%M}"
