from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, Role, User
from qorgau.core.models import CriminalArticle, Territory, TimeStampedModel, Versioned
from qorgau.people.models import Juvenile, Relative


class Stage(models.TextChoices):
    """Where a minor's case stands: the lifecycle of architecture's state machine."""

    REGISTERED = "registered", _("registered")
    INVESTIGATION = "investigation", _("pre-trial investigation")
    TERMINATED = "terminated", _("prosecution terminated")
    IN_COURT = "in_court", _("in court")
    JUDGMENT = "judgment", _("judgment delivered")
    APPEAL = "appeal", _("on appeal")
    SENTENCE_EXECUTION = "sentence_execution", _("sentence being executed")
    CLOSED = "closed", _("closed")


class Pending(models.TextChoices):
    NONE = "", _("nothing")
    TERMINATION = "termination", _("termination awaiting the prosecutor's approval")
    INDICTMENT = "indictment", _("indictment awaiting the prosecutor's approval")


class ProceedingQuerySet(models.QuerySet["Proceeding"]):
    def visible_to(self, user: User) -> "ProceedingQuerySet":
        """Every agency taking part in a case sees it; no other agency does."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if user.agency is None or not user.agency.is_active:
            return self.none()  # staff of a closed agency see nothing, as for juveniles' records
        if not user.has_perm("proceedings.view_proceeding"):
            return self.none()
        return self.filter(pk__in=case_ids_of_agency(user.agency))


def case_ids_of_agency(agency: Agency) -> models.QuerySet["Proceeding", Any]:
    """The ids of the cases an agency takes part in: one branch per way of taking part.

    A UNION ALL of index scans (registering body, its investigators, its prosecutors, the
    court, its participants), not one OR over a join: an OR that mixes a join and a subquery
    makes PostgreSQL read every case of the country; these branches read only the agency's.
    The staff are named by their ids (a few dozen): PostgreSQL then estimates each from its
    statistics and probes the index, where a subquery made it read every case to hash-join.
    """
    staff = agency.staff_ids
    return (
        Proceeding.objects.filter(registering_agency=agency)
        .values("pk")
        .union(
            Proceeding.objects.filter(investigator__in=staff).values("pk"),
            Proceeding.objects.filter(prosecutor__in=staff).values("pk"),
            Proceeding.objects.filter(court=agency).values("pk"),
            Participant.objects.filter(user__in=staff).values("proceeding"),
            all=True,
        )
    )


class Proceeding(TimeStampedModel, Versioned):
    """A criminal case against one or more minors, registered in the unified register (ЕРДР)."""

    number = models.CharField(
        _("registration number"),
        max_length=32,
        unique=True,
        error_messages={"unique": _("A case with this registration number already exists.")},
    )
    registered_on = models.DateField(_("registered on"))
    registering_agency = models.ForeignKey(
        Agency, verbose_name=_("registering body"), on_delete=models.PROTECT, related_name="+"
    )
    offence_at = models.DateTimeField(_("date and time of the offence"))
    offence_place = models.CharField(_("place of the offence"), max_length=255)
    territory = models.ForeignKey(
        Territory, verbose_name=_("region or district"), on_delete=models.PROTECT, related_name="+"
    )
    investigator = models.ForeignKey(
        User, verbose_name=_("investigator in charge"), on_delete=models.PROTECT, related_name="+"
    )
    prosecutor = models.ForeignKey(
        User,
        verbose_name=_("supervising prosecutor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    court = models.ForeignKey(
        Agency,
        verbose_name=_("court"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    judge = models.ForeignKey(
        User,
        verbose_name=_("judge"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.TextField(_("summary of the facts"), blank=True)

    objects = ProceedingQuerySet.as_manager()

    class Meta:
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        ordering = ["-registered_on", "-id"]

    def __str__(self) -> str:
        return self.number


class Accused(models.Model):
    """One minor accused in a case: the track the lifecycle follows."""

    proceeding = models.ForeignKey(
        Proceeding, verbose_name=_("case"), on_delete=models.CASCADE, related_name="accused"
    )
    juvenile = models.ForeignKey(
        Juvenile, verbose_name=_("juvenile"), on_delete=models.PROTECT, related_name="accusations"
    )
    stage = models.CharField(_("stage"), max_length=24, choices=Stage, default=Stage.REGISTERED)
    pending = models.CharField(_("awaiting"), max_length=16, choices=Pending, blank=True)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("accused minor")
        verbose_name_plural = _("accused minors")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["proceeding", "juvenile"], name="one_track_per_minor")
        ]

    def __str__(self) -> str:
        return str(self.juvenile)


class ParticipantRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("legal representative")
    DEFENDER = "defender", _("defender")
    SOCIAL_PSYCHOLOGIST = "social_psychologist", _("social psychologist")
    PEDAGOGUE = "pedagogue", _("pedagogue or psychologist at interrogations")
    VICTIM = "victim", _("victim")
    ADULT_COPARTICIPANT = "adult_coparticipant", _("adult co-participant")


class AdultTrial(models.TextChoices):
    """Where adult co-participants are tried: the two models of seed section 1."""

    UNDECIDED = "", _("not yet decided")
    JUVENILE_COURT = "juvenile_court", _("together with the minor, in the juvenile court")
    GENERAL_COURT = "general_court", _("separately, in a general court")


class Participant(TimeStampedModel):
    """A person around the minor in the case: staff of an agency, a parent, a victim."""

    proceeding = models.ForeignKey(
        Proceeding, verbose_name=_("case"), on_delete=models.CASCADE, related_name="participants"
    )
    accused = models.ForeignKey(
        Accused,
        verbose_name=_("for the minor"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="participants",
    )
    role = models.CharField(_("role in the case"), max_length=24, choices=ParticipantRole)
    user = models.ForeignKey(
        User,
        verbose_name=_("staff member"),
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
    full_name = models.CharField(_("full name"), max_length=255)
    is_minor = models.BooleanField(_("is a minor"), default=False)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    tried_in = models.CharField(_("tried"), max_length=16, choices=AdultTrial, blank=True)
    state_paid = models.BooleanField(_("defence paid by the state"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()})"


class Charge(models.Model):
    """An article part charged to a minor; a requalification ends one charge and starts another."""

    accused = models.ForeignKey(
        Accused, verbose_name=_("accused minor"), on_delete=models.CASCADE, related_name="charges"
    )
    article = models.ForeignKey(
        CriminalArticle,
        verbose_name=_("Criminal Code article part"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    charged_at = models.DateTimeField(_("charged at"))
    charged_by = models.ForeignKey(
        User, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    requalified_from = models.OneToOneField(
        "self",
        verbose_name=_("requalified from"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requalified_to",
    )
    reason = models.TextField(_("reason for requalification"), blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["charged_at", "id"]

    def __str__(self) -> str:
        return str(self.article.citation)

    @property
    def is_current(self) -> bool:
        return self.ended_at is None


class EventKind(models.TextChoices):
    DETENTION = "detention", _("actual detention")
    REPRESENTATIVE_NOTIFIED = "representative_notified", _("legal representative notified")
    DEFENDER_ASSIGNED = "defender_assigned", _("defender assigned")
    DEFENDER_ARRIVED = "defender_arrived", _("defender arrived")
    PSYCHOLOGIST_PRESENT = "psychologist_present", _("social psychologist present")
    INTERROGATION = "interrogation", _("interrogation")
    PREVENTIVE_MEASURE = "preventive_measure", _("preventive measure chosen or changed")
    RELEASE = "release", _("release from detention")
    TERMINATION = "termination", _("termination of prosecution")
    TERMINATION_APPROVED = "termination_approved", _("termination approved by the prosecutor")
    INDICTMENT = "indictment", _("indictment")
    INDICTMENT_APPROVED = "indictment_approved", _("indictment approved, case referred to court")
    JUDGMENT = "judgment", _("judgment")
    APPEAL = "appeal", _("appeal")
    APPEAL_DECISION = "appeal_decision", _("decision on appeal")
    JUDGMENT_IN_FORCE = "judgment_in_force", _("judgment in force")
    CLOSED = "closed", _("case closed")


class Verdict(models.TextChoices):
    CONVICTION = "conviction", _("conviction")
    ACQUITTAL = "acquittal", _("acquittal")


class NotificationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("by phone")
    WRITTEN = "written", _("in writing")
    MESSAGE = "message", _("by text message")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("judgment upheld")
    CHANGED = "changed", _("judgment changed")
    QUASHED = "quashed", _("judgment quashed, case sent back for retrial")
    ACQUITTED = "acquitted", _("judgment quashed, minor acquitted")


class ProceduralEvent(models.Model):
    """One step of the procedure with the times it happened; durations are computed, not typed."""

    proceeding = models.ForeignKey(
        Proceeding, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    accused = models.ForeignKey(
        Accused, verbose_name=_("minor"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=32, choices=EventKind)
    started_at = models.DateTimeField(_("time"))
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    author = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    # The role and agency the author acted in when recording, kept as they were then: a
    # staff member's roles and agency change later, the record must not.
    acting_role = models.CharField(_("acting as"), max_length=32, choices=Role, blank=True)
    acting_agency = models.ForeignKey(
        Agency,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # What makes a submission the same step (kind, times, content): a double click or a retry
    # finds the step already recorded instead of recording it twice (services/sameness.py).
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True, editable=False)
    attendees = models.ManyToManyField(
        Participant, verbose_name=_("present"), blank=True, related_name="events"
    )
    place = models.CharField(_("place"), max_length=255, blank=True)
    performed_by = models.CharField(_("carried out by"), max_length=255, blank=True)
    held_separately = models.BooleanField(_("held separately from adults"), null=True, blank=True)
    method = models.CharField(_("how"), max_length=16, choices=NotificationMethod, blank=True)
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("person concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerning_events",
    )
    breaks = models.JSONField(_("breaks"), default=list, blank=True)
    measure = models.CharField(_("preventive measure"), max_length=32, blank=True)
    term_days = models.PositiveIntegerField(_("term in days"), null=True, blank=True)
    court_sanctioned = models.BooleanField(_("sanctioned by the court"), null=True, blank=True)
    ground = models.CharField(_("legal ground"), max_length=32, blank=True)
    verdict = models.CharField(_("verdict"), max_length=16, choices=Verdict, blank=True)
    punishment = models.CharField(_("punishment"), max_length=32, blank=True)
    term_months = models.PositiveIntegerField(_("term in months"), null=True, blank=True)
    fine_amount = models.DecimalField(
        _("fine in tenge"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    conditional = models.BooleanField(_("conditional sentence"), default=False)
    probation_months = models.PositiveIntegerField(
        _("probation period in months"), null=True, blank=True
    )
    deferred = models.BooleanField(_("execution deferred"), default=False)
    deferral_months = models.PositiveIntegerField(_("deferral in months"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("outcome"), max_length=16, choices=AppealOutcome, blank=True
    )
    document_number = models.CharField(_("document number"), max_length=64, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("procedural event")
        verbose_name_plural = _("procedural events")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="event_ends_after_it_starts",
            ),
            # The same submission twice is one step, even from two requests at once.
            models.UniqueConstraint(
                fields=["accused", "fingerprint"],
                condition=~Q(fingerprint=""),
                name="one_step_per_submission",
            ),
        ]

    # Set by the service when this submission was already recorded: the step returned is the
    # one recorded before (not stored).
    already_recorded = False

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def duration_minutes(self) -> int | None:
        if self.ended_at is None:
            return None
        return int((self.ended_at - self.started_at).total_seconds() // 60)
