"""Execution of sentences by the probation service, and help after release from an institution.

A judgment that takes effect with a punishment the probation service executes, a conditional
sentence or deferred execution hands the minor to the probation service of the minor's
district: a supervision. The inspector registers the minor, sets the plan (reporting schedule,
obligations, hours of work), records check-ins, breaches, hours worked and the end.
A release from an educational colony or a special educational institution opens a
re-socialization plan on the minor's individual support plan, with follow-ups.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.core.models import TimeStampedModel
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused, ProceduralEvent, Proceeding
from qorgau.proceedings.visibility import case_seen_by
from qorgau.support.models import SupportPlan


class Basis(models.TextChoices):
    """Why the probation service supervises the minor."""

    PUNISHMENT = "punishment", _("punishment executed by the probation service")
    CONDITIONAL = "conditional", _("conditional sentence (probation control)")
    DEFERRED = "deferred", _("deferral of serving the sentence")


class Status(models.TextChoices):
    AWAITING = "awaiting", _("awaiting the convict's report")
    ACTIVE = "active", _("under supervision")
    ENDED = "ended", _("supervision ended")


OPEN = (Status.AWAITING, Status.ACTIVE)


class EndReason(models.TextChoices):
    SERVED = "served", _("sentence served")
    EARLY_RELEASE = "early_release", _("early release")
    REVOKED = "revoked", _("revoked by the court")
    NEW_OFFENCE = "new_offence", _("new offence")


class SupervisionQuerySet(models.QuerySet["Supervision"]):
    def visible_to(self, user: User) -> "SupervisionQuerySet":
        """The probation service holding it sees it; so do the agencies of the minor's case.
        Another probation service does not."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm("probation.view_supervision"):
            return self.none()
        if user.agency is None or not user.agency.is_active:
            return self.none()
        return self.filter(Q(agency_id=user.agency_id) | case_seen_by(user, "proceeding_id"))

    def open(self) -> "SupervisionQuerySet":
        return self.filter(status__in=OPEN)


class Supervision(TimeStampedModel):
    """A minor received by a probation service when a judgment took effect."""

    accused = models.ForeignKey(
        Accused,
        verbose_name=_("minor's track in the case"),
        on_delete=models.PROTECT,
        related_name="supervisions",
    )
    juvenile = models.ForeignKey(
        Juvenile, verbose_name=_("juvenile"), on_delete=models.PROTECT, related_name="+"
    )
    proceeding = models.ForeignKey(
        Proceeding, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    judgment = models.ForeignKey(
        ProceduralEvent,
        verbose_name=_("judgment"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    took_effect = models.OneToOneField(
        ProceduralEvent,
        verbose_name=_("judgment took effect by"),
        on_delete=models.PROTECT,
        related_name="supervision",
    )
    changed_on_appeal = models.BooleanField(_("judgment changed on appeal"), default=False)
    agency = models.ForeignKey(
        Agency, verbose_name=_("probation service"), on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        User,
        verbose_name=_("probation inspector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.CharField(_("basis"), max_length=16, choices=Basis)
    punishment = models.CharField(_("punishment"), max_length=32, blank=True)
    term_months = models.PositiveIntegerField(_("term in months"))
    deferral_ground = models.CharField(_("ground for deferral"), max_length=32, blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("term ends on"))
    report_by = models.DateField(_("must report by"))
    report_citation = models.CharField(_("legal basis of the report deadline"), max_length=255)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.AWAITING)
    registered_on = models.DateField(_("reported and registered on"), null=True, blank=True)
    report_every_days = models.PositiveSmallIntegerField(
        _("reports every (days)"), null=True, blank=True
    )
    next_check_in_on = models.DateField(_("next check-in on"), null=True, blank=True)
    obligations = models.TextField(_("obligations set by the court"), blank=True)
    work_hours = models.PositiveIntegerField(
        _("hours of community or correctional work"), null=True, blank=True
    )
    hours_worked = models.PositiveIntegerField(_("hours worked"), default=0)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("how it ended"), max_length=16, choices=EndReason, blank=True)
    end_notes = models.TextField(_("notes on the end"), blank=True)
    new_proceeding = models.ForeignKey(
        Proceeding,
        verbose_name=_("case of the new offence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = SupervisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["-starts_on", "-id"]
        indexes = [
            # The caseload: a service's open supervisions by the next check-in, and by report day.
            models.Index(
                fields=["agency", "status", "next_check_in_on", "id"], name="supervision_caseload"
            ),
            models.Index(fields=["agency", "status", "report_by"], name="supervision_report_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("starts_on")),
                name="supervision_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(work_hours__isnull=True) | Q(hours_worked__lte=models.F("work_hours")),
                name="supervision_hours_within_sentence",
            ),
            models.CheckConstraint(
                condition=~Q(status="ended") | (Q(ended_on__isnull=False) & ~Q(end_reason="")),
                name="supervision_ended_with_date_and_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.juvenile} — {self.proceeding}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def hours_left(self) -> int | None:
        return None if self.work_hours is None else self.work_hours - self.hours_worked

    def days_overdue(self, today: datetime.date | None = None) -> int:
        """Days since the check-in that should have happened (0: not overdue)."""
        today = today or timezone.localdate()
        if self.next_check_in_on is None or self.next_check_in_on >= today:
            return 0
        return (today - self.next_check_in_on).days


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("attended")
    MISSED = "missed", _("missed")
    EXCUSED = "excused", _("excused")


class CheckIn(models.Model):
    """One scheduled report to the inspector, and whether the minor came."""

    supervision = models.ForeignKey(
        Supervision,
        verbose_name=_("supervision"),
        on_delete=models.CASCADE,
        related_name="checkins",
    )
    due_on = models.DateField(_("due on"))
    attendance = models.CharField(_("attendance"), max_length=16, choices=Attendance)
    reason = models.TextField(_("reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["-due_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["supervision", "due_on"], name="one_check_in_per_day"),
            models.CheckConstraint(
                condition=~Q(attendance="excused") | ~Q(reason=""),
                name="check_in_excused_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.due_on:%d.%m.%Y} {self.get_attendance_display()}"


class Response(models.TextChoices):
    WARNING = "warning", _("written warning")
    SUBMISSION = "submission", _("submission to the court")


class Breach(models.Model):
    """A breach of the conditions of supervision and the inspector's response."""

    supervision = models.ForeignKey(
        Supervision,
        verbose_name=_("supervision"),
        on_delete=models.CASCADE,
        related_name="breaches",
    )
    occurred_on = models.DateField(_("occurred on"))
    description = models.TextField(_("what happened"))
    response = models.CharField(_("response"), max_length=16, choices=Response)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return f"{self.occurred_on:%d.%m.%Y} {self.get_response_display()}"


class WorkLog(models.Model):
    """Hours of community or correctional work done on one day."""

    supervision = models.ForeignKey(
        Supervision, verbose_name=_("supervision"), on_delete=models.CASCADE, related_name="work"
    )
    worked_on = models.DateField(_("worked on"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    place = models.CharField(_("place of work"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("hours worked")
        verbose_name_plural = _("hours worked")
        ordering = ["-worked_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="work_log_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.worked_on:%d.%m.%Y} {self.hours}"


class ReminderKind(models.TextChoices):
    NOT_REPORTED = "not_reported", _("has not reported to the probation service")
    CHECK_IN_OVERDUE = "check_in_overdue", _("check-in overdue, nothing recorded")
    CHECK_IN_MISSED = "check_in_missed", _("missed a check-in")


class Reminder(models.Model):
    """Raised by `qorgau check-supervision` (and a missed check-in); resolved by the next step."""

    supervision = models.ForeignKey(
        Supervision,
        verbose_name=_("supervision"),
        on_delete=models.CASCADE,
        related_name="reminders",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("probation service"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("reminder"), max_length=20, choices=ReminderKind)
    due_on = models.DateField(_("due on"))
    raised_at = models.DateTimeField(_("raised at"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["agency", "resolved_at", "due_on"], name="reminder_inbox"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["supervision", "kind", "due_on"], name="one_reminder_per_fact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due_on:%d.%m.%Y}"


class InstitutionKind(models.TextChoices):
    COLONY = "educational_colony", _("educational colony")
    MEDIUM_SECURITY = "medium_security", _("medium-security institution for minors")
    SPECIAL_REGIME = "special_regime", _("education organisation with a special regime")


class AreaKind(models.TextChoices):
    """The areas of a re-socialization plan, each a need of the support plan."""

    HOUSING = "housing", _("housing")
    STUDY = "study", _("study")
    EMPLOYMENT = "employment", _("employment")
    FAMILY = "family", _("family")
    HEALTH = "health", _("health")


class ReleaseQuerySet(models.QuerySet["Release"]):
    def visible_to(self, user: User) -> "ReleaseQuerySet":
        """The probation service that follows the minor up, and the agencies of the case."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm("probation.view_release"):
            return self.none()
        if user.agency is None or not user.agency.is_active:
            return self.none()
        return self.filter(
            Q(agency_id=user.agency_id) | case_seen_by(user, "accused__proceeding_id")
        )


class Release(TimeStampedModel):
    """A release from a closed institution, and the re-socialization plan it opened."""

    juvenile = models.ForeignKey(
        Juvenile, verbose_name=_("juvenile"), on_delete=models.PROTECT, related_name="releases"
    )
    accused = models.ForeignKey(
        Accused,
        verbose_name=_("case the minor was placed for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="releases",
    )
    institution = models.CharField(_("institution"), max_length=255)
    institution_kind = models.CharField(
        _("kind of institution"), max_length=24, choices=InstitutionKind
    )
    released_on = models.DateField(_("released on"))
    basis = models.CharField(_("basis of release"), max_length=32)
    basis_citation = models.CharField(_("legal basis"), max_length=255)
    agency = models.ForeignKey(
        Agency, verbose_name=_("probation service"), on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        SupportPlan,
        verbose_name=_("support plan"),
        on_delete=models.PROTECT,
        related_name="releases",
    )
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("release from an institution")
        verbose_name_plural = _("releases from institutions")
        ordering = ["-released_on", "-id"]

    def __str__(self) -> str:
        return f"{self.juvenile} — {self.released_on:%d.%m.%Y}"


class FollowUpOutcome(models.TextChoices):
    SETTLED = "settled", _("settled: living, studying or working as planned")
    DIFFICULTIES = "difficulties", _("difficulties: more help needed")
    LOST_CONTACT = "lost_contact", _("contact lost")
    REOFFENDED = "reoffended", _("new offence")


class FollowUp(models.Model):
    """A follow-up due some months after the release (3, 6 and 12 in the rule file)."""

    release = models.ForeignKey(
        Release, verbose_name=_("release"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("probation service"), on_delete=models.PROTECT, related_name="+"
    )
    months = models.PositiveSmallIntegerField(_("months after release"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=FollowUpOutcome, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("follow-up after release")
        verbose_name_plural = _("follow-ups after release")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["agency", "done_on", "due_on"], name="follow_up_due")]
        constraints = [
            models.UniqueConstraint(fields=["release", "months"], name="one_follow_up_per_term"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(outcome=""),
                name="follow_up_done_with_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.months} — {self.due_on:%d.%m.%Y}"
