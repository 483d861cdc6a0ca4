"""Juvenile courts: courtrooms, the court's cases (criminal, administrative, civil), hearings,
summonses and the court social worker's report."""

import datetime
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.core.models import TimeStampedModel, Versioned
from qorgau.people.models import Juvenile, Relative
from qorgau.proceedings.models import Accused, Participant, ProceduralEvent, Proceeding
from qorgau.proceedings.visibility import case_seen_by
from qorgau.support.models.assessment import Assessment


class Courtroom(models.Model):
    """A hall of a juvenile court where hearings are held."""

    court = models.ForeignKey(
        Agency, verbose_name=_("court"), on_delete=models.PROTECT, related_name="courtrooms"
    )
    name = models.CharField(_("courtroom"), max_length=64)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("courtroom")
        verbose_name_plural = _("courtrooms")
        ordering = ["court", "name"]
        constraints = [
            models.UniqueConstraint(fields=["court", "name"], name="one_courtroom_name_per_court")
        ]

    def __str__(self) -> str:
        return self.name


class CaseKind(models.TextChoices):
    CRIMINAL = "criminal", _("criminal case")
    ADMINISTRATIVE = "administrative", _("administrative offence case")
    CIVIL = "civil", _("civil case")


class CivilMatter(models.TextChoices):
    DEPRIVATION = "deprivation", _("deprivation of parental rights")
    RESTRICTION = "restriction", _("restriction of parental rights")
    PATERNITY = "paternity", _("establishing paternity")
    RESIDENCE = "residence", _("the child's place of residence")
    PROPERTY = "property", _("the child's property rights")
    NON_PROPERTY = "non_property", _("the child's non-property rights")
    ADOPTION = "adoption", _("adoption")


class Decision(models.TextChoices):
    """The outcome of an administrative or civil case (a criminal one has its judgment)."""

    PENALTY = "penalty", _("penalty imposed")
    TERMINATED = "terminated", _("proceedings terminated")
    GRANTED = "granted", _("claim granted")
    PARTLY_GRANTED = "partly_granted", _("claim partly granted")
    REFUSED = "refused", _("claim refused")
    NOT_CONSIDERED = "not_considered", _("left without consideration")


ADMINISTRATIVE_DECISIONS = (Decision.PENALTY, Decision.TERMINATED)
CIVIL_DECISIONS = (
    Decision.GRANTED,
    Decision.PARTLY_GRANTED,
    Decision.REFUSED,
    Decision.TERMINATED,
    Decision.NOT_CONSIDERED,
)


class PartyRole(models.TextChoices):
    CLAIMANT = "claimant", _("claimant")
    RESPONDENT = "respondent", _("respondent")
    THIRD_PARTY = "third_party", _("third party")
    GUARDIANSHIP_BODY = "guardianship_body", _("guardianship and custody body")
    PROSECUTOR = "prosecutor", _("prosecutor")
    OFFENDER = "offender", _("person brought to account")
    PROTOCOL_BODY = "protocol_body", _("body that drew up the protocol")
    LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")


class CourtCaseQuerySet(models.QuerySet["CourtCase"]):
    def visible_to(self, user: User) -> "CourtCaseQuerySet":
        """The court sees its cases; an agency that is a party sees that case; a criminal case is
        also seen by every agency of its proceeding. A civil or administrative case is never
        seen by the police or the prosecution unless they are parties to it."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm("courts.view_courtcase"):
            return self.none()
        if user.agency is None or not user.agency.is_active:
            return self.none()
        party = CaseParty.objects.filter(case_id=OuterRef("pk"), agency_id=user.agency.pk)
        criminal = Q(kind=CaseKind.CRIMINAL) & case_seen_by(user, "proceeding_id")
        return self.filter(Q(court_id=user.agency_id) | Q(Exists(party)) | criminal)

    def undecided(self) -> "CourtCaseQuerySet":
        return self.filter(decided_at=None)


class CourtCase(TimeStampedModel, Versioned):
    """A case before a juvenile court about one child. A criminal one is the court stage of a
    minor's track in the proceeding (created when the indictment is approved), not a copy."""

    kind = models.CharField(_("kind of case"), max_length=16, choices=CaseKind)
    number = models.CharField(_("court case number"), max_length=32, unique=True)
    court = models.ForeignKey(
        Agency, verbose_name=_("court"), on_delete=models.PROTECT, related_name="court_cases"
    )
    judge = models.ForeignKey(
        User,
        verbose_name=_("judge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="court_cases",
    )
    juvenile = models.ForeignKey(
        Juvenile,
        verbose_name=_("child concerned"),
        on_delete=models.PROTECT,
        related_name="court_cases",
    )
    received_at = models.DateTimeField(_("received by the court"))
    proceeding = models.ForeignKey(
        Proceeding,
        verbose_name=_("criminal case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="court_cases",
    )
    accused = models.OneToOneField(
        Accused,
        verbose_name=_("accused minor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="court_case",
    )
    article = models.CharField(
        _("article of the Code of Administrative Offences"), max_length=32, blank=True
    )
    matter = models.CharField(_("matter"), max_length=16, choices=CivilMatter, blank=True)
    foreign_adoption = models.BooleanField(_("adoption by foreign citizens"), default=False)
    summary = models.TextField(_("summary"), blank=True)
    # The outcome: the criminal judgment is the proceeding's JUDGMENT event.
    judgment = models.OneToOneField(
        ProceduralEvent,
        verbose_name=_("judgment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="court_case",
    )
    decision = models.CharField(_("decision"), max_length=16, choices=Decision, blank=True)
    penalty = models.CharField(_("penalty"), max_length=32, blank=True)
    fine_amount = models.DecimalField(
        _("fine in tenge"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    report_followed = models.BooleanField(
        _("the court followed the social worker's report"), null=True, blank=True
    )
    outcome_notes = models.TextField(_("reasons in brief"), blank=True)

    objects = CourtCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("court case")
        verbose_name_plural = _("court cases")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["court", "-received_at", "-id"], name="courtcase_court_received"),
            models.Index(fields=["judge", "decided_at"], name="courtcase_judge_decided"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="criminal", accused__isnull=False, proceeding__isnull=False)
                | (~Q(kind="criminal") & Q(accused__isnull=True)),
                name="courtcase_criminal_has_track",
            ),
            models.CheckConstraint(
                condition=Q(kind="civil") | Q(matter=""), name="courtcase_matter_only_civil"
            ),
            models.CheckConstraint(
                condition=Q(kind="administrative") | Q(article=""),
                name="courtcase_article_only_administrative",
            ),
            models.CheckConstraint(
                condition=Q(matter="adoption") | Q(foreign_adoption=False),
                name="courtcase_foreign_only_adoption",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def days_to_decision(self) -> int | None:
        if self.decided_at is None:
            return None
        return (self.decided_at - self.received_at).days


class CaseParty(models.Model):
    """A party to an administrative or civil case: a person, or an agency (whose staff then
    see the case)."""

    case = models.ForeignKey(
        CourtCase, verbose_name=_("court case"), on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("role in the case"), max_length=24, choices=PartyRole)
    full_name = models.CharField(_("name"), max_length=255)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    relative = models.ForeignKey(
        Relative,
        verbose_name=_("family member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["role", "id"]
        indexes = [models.Index(fields=["agency", "case"], name="caseparty_agency_case")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    ADJOURNED = "adjourned", _("adjourned")


# A hearing in one of these occupies its judge and courtroom.
OCCUPYING = (HearingStatus.SCHEDULED, HearingStatus.HELD)


class Hearing(TimeStampedModel):
    """A sitting of the court in a case, in a courtroom, before a judge."""

    case = models.ForeignKey(
        CourtCase, verbose_name=_("court case"), on_delete=models.CASCADE, related_name="hearings"
    )
    court = models.ForeignKey(
        Agency, verbose_name=_("court"), on_delete=models.PROTECT, related_name="+"
    )
    courtroom = models.ForeignKey(
        Courtroom, verbose_name=_("courtroom"), on_delete=models.PROTECT, related_name="hearings"
    )
    judge = models.ForeignKey(
        User, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="hearings"
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    status = models.CharField(
        _("status"), max_length=16, choices=HearingStatus, default=HearingStatus.SCHEDULED
    )
    adjournment_reason = models.TextField(_("reason for adjournment"), blank=True)
    next_hearing = models.OneToOneField(
        "self",
        verbose_name=_("adjourned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="adjourned_from",
    )
    presence_recorded_at = models.DateTimeField(_("presence recorded at"), null=True, blank=True)
    # The safeguards' presence rules that the hearing breached: [{"rule": id, "facts": {...}}].
    presence_findings = models.JSONField(_("safeguards breached"), default=list, blank=True)
    scheduled_by = models.ForeignKey(
        User, verbose_name=_("scheduled by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["court", "starts_at"], name="hearing_court_starts"),
            models.Index(fields=["judge", "starts_at"], name="hearing_judge_starts"),
            models.Index(fields=["courtroom", "starts_at"], name="hearing_room_starts"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="hearing_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status="adjourned") | Q(adjournment_reason=""),
                name="hearing_reason_only_when_adjourned",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


class SummonedAs(models.TextChoices):
    MINOR = "minor", _("the minor")
    LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
    DEFENDER = "defender", _("defender")
    PEDAGOGUE = "pedagogue", _("pedagogue")
    PSYCHOLOGIST = "social_psychologist", _("psychologist")


class SummonsMethod(models.TextChoices):
    IN_PERSON = "in_person", _("handed in person")
    POST = "post", _("by registered post")
    PHONE = "phone", _("by phone")
    MESSAGE = "message", _("by text message")


class Summons(models.Model):
    """A summons to a hearing, and whether the person summoned was present."""

    hearing = models.ForeignKey(
        Hearing, verbose_name=_("hearing"), on_delete=models.CASCADE, related_name="summonses"
    )
    summoned_as = models.CharField(_("summoned as"), max_length=24, choices=SummonedAs)
    full_name = models.CharField(_("name"), max_length=255)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("participant of the criminal case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    method = models.CharField(_("how"), max_length=16, choices=SummonsMethod)
    sent_on = models.DateField(_("sent on"))
    present = models.BooleanField(_("present"), null=True, blank=True)

    class Meta:
        verbose_name = _("summons")
        verbose_name_plural = _("summonses")
        ordering = ["summoned_as", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_summoned_as_display()})"


class SocialWorkerReport(TimeStampedModel):
    """The court social worker's report on the child, filed before the judgment."""

    case = models.OneToOneField(
        CourtCase, verbose_name=_("court case"), on_delete=models.CASCADE, related_name="report"
    )
    author = models.ForeignKey(
        User, verbose_name=_("court social worker"), on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"))
    family_situation = models.TextField(_("family situation"))
    assessment = models.ForeignKey(
        Assessment,
        verbose_name=_("risk and needs assessment"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    risk_to_society = models.CharField(_("risk to society"), max_length=16, blank=True)
    risk_to_child = models.CharField(_("risk to the child"), max_length=16, blank=True)
    alternatives = models.TextField(_("alternatives to custody proposed"))
    recommendation = models.TextField(_("recommendation to the court"), blank=True)

    class Meta:
        verbose_name = _("court social worker's report")
        verbose_name_plural = _("court social workers' reports")
        ordering = ["-filed_at", "-id"]

    def __str__(self) -> str:
        return str(self.case)


def hearing_day_bounds(day: datetime.date) -> tuple[Any, Any]:
    """The local day's start and end as aware moments (for a calendar's day or week)."""
    from django.utils import timezone

    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)
