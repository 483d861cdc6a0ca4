"""Reconciliation of the accused minor and the victim: referral, consent, sessions, agreement."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.core.models import TimeStampedModel, Versioned
from qorgau.proceedings.models import Accused, Participant, ProceduralEvent, Proceeding
from qorgau.proceedings.visibility import case_seen_by

ZERO = Decimal("0.00")


class Source(models.TextChoices):
    """Who asked for the mediation; the parties' requests are recorded by staff."""

    INVESTIGATOR = "investigator", _("the investigator")
    COURT = "court", _("the court")
    ACCUSED_SIDE = "accused_side", _("the minor's side")
    VICTIM_SIDE = "victim_side", _("the victim's side")


class Status(models.TextChoices):
    REFERRED = "referred", _("referred to a mediator")
    CONSENTED = "consented", _("both sides consented")
    SESSIONS = "sessions", _("meetings under way")
    AGREEMENT = "agreement", _("agreement signed")
    FULFILLED = "fulfilled", _("agreement fulfilled")
    FAILED = "failed", _("ended without reconciliation")
    WITHDRAWN = "withdrawn", _("consent withdrawn")
    REFUSED = "refused", _("consent refused")


# A mediation in one of these is still going on: a minor has at most one at a time.
ACTIVE = (Status.REFERRED, Status.CONSENTED, Status.SESSIONS, Status.AGREEMENT)
BEFORE_AGREEMENT = (Status.REFERRED, Status.CONSENTED, Status.SESSIONS)
FINISHED = (Status.FULFILLED, Status.FAILED, Status.WITHDRAWN, Status.REFUSED)
SIGNED = (Status.AGREEMENT, Status.FULFILLED)


class Side(models.TextChoices):
    ACCUSED = "accused", _("the minor's side")
    VICTIM = "victim", _("the victim's side")


class MediationQuerySet(models.QuerySet["Mediation"]):
    def visible_to(self, user: User) -> "MediationQuerySet":
        """The case's agencies see that a mediation exists and its outcome; the mediator's agency
        sees its mediations even when it is not otherwise in the case."""
        if not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_perm("mediation.view_mediation"):
            return self.none()
        if user.agency is None or not user.agency.is_active:
            return self.none()
        # The case is checked row by row: the page's own filter (a pk, a case, a minor, the
        # agency's mediators) picks the rows by index; the agency's case list is never built.
        return self.filter(
            Q(mediator__agency_id=user.agency_id) | case_seen_by(user, "proceeding_id")
        )

    def active(self) -> "MediationQuerySet":
        return self.filter(status__in=ACTIVE)


class Mediation(TimeStampedModel, Versioned):
    """A referral of an accused minor and the victim to a mediator, and what came of it."""

    proceeding = models.ForeignKey(
        Proceeding, verbose_name=_("case"), on_delete=models.CASCADE, related_name="mediations"
    )
    accused = models.ForeignKey(
        Accused,
        verbose_name=_("accused minor"),
        on_delete=models.CASCADE,
        related_name="mediations",
    )
    victim = models.ForeignKey(
        Participant, verbose_name=_("victim"), on_delete=models.PROTECT, related_name="mediations"
    )
    source = models.CharField(_("asked for by"), max_length=16, choices=Source)
    referred_by = models.ForeignKey(
        User, verbose_name=_("referred by"), on_delete=models.PROTECT, related_name="+"
    )
    referred_at = models.DateTimeField(_("referred at"))
    mediator = models.ForeignKey(
        User,
        verbose_name=_("mediator"),
        on_delete=models.PROTECT,
        related_name="mediations",
        help_text=_("The staff member who conducts the mediation and records it."),
    )
    professional_name = models.CharField(
        _("professional mediator"),
        max_length=255,
        blank=True,
        help_text=_("A professional mediator from the register, if one conducts the meetings."),
    )
    professional_registry_number = models.CharField(
        _("registry number of the professional mediator"), max_length=64, blank=True
    )
    gravity = models.CharField(_("gravity of the charge at referral"), max_length=20)
    rule_citation = models.CharField(_("legal basis"), max_length=255)
    condition_confirmed = models.BooleanField(_("conditions of the law confirmed"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.REFERRED)
    accused_consent_at = models.DateTimeField(_("minor's consent given at"), null=True, blank=True)
    accused_representative = models.ForeignKey(
        Participant,
        verbose_name=_("legal representative who assisted the minor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    victim_consent_at = models.DateTimeField(_("victim's consent given at"), null=True, blank=True)
    victim_representative = models.CharField(
        _("representative of the victim"),
        max_length=255,
        blank=True,
        help_text=_("Required when the victim is a minor."),
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    ended_side = models.CharField(
        _("side that refused or withdrew"), max_length=16, choices=Side, blank=True
    )
    ended_reason = models.TextField(_("reason"), blank=True)
    termination = models.OneToOneField(
        ProceduralEvent,
        verbose_name=_("termination of prosecution it led to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mediation",
    )

    objects = MediationQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation")
        verbose_name_plural = _("mediations")
        ordering = ["-referred_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["accused"],
                condition=Q(status__in=["referred", "consented", "sessions", "agreement"]),
                name="one_active_mediation_per_minor",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["withdrawn", "refused"]) | Q(ended_side=""),
                name="mediation_side_only_when_ended_by_a_side",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.proceeding} — {self.accused}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE

    @property
    def both_consented(self) -> bool:
        return self.accused_consent_at is not None and self.victim_consent_at is not None


class SessionKind(models.TextChoices):
    PREPARATORY_ACCUSED = "preparatory_accused", _("preparatory meeting with the minor's side")
    PREPARATORY_VICTIM = "preparatory_victim", _("preparatory meeting with the victim's side")
    JOINT = "joint", _("joint meeting")


class MediationSession(models.Model):
    """A meeting the mediator held; its notes are confidential to the mediator's agency."""

    mediation = models.ForeignKey(
        Mediation, verbose_name=_("mediation"), on_delete=models.CASCADE, related_name="sessions"
    )
    kind = models.CharField(_("meeting"), max_length=24, choices=SessionKind)
    held_at = models.DateTimeField(_("held at"))
    duration_minutes = models.PositiveIntegerField(_("duration in minutes"))
    present = models.TextField(_("who was present"))
    notes = models.TextField(_("notes (confidential)"), blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("mediation meeting")
        verbose_name_plural = _("mediation meetings")
        ordering = ["held_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="mediation_session_has_duration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d %H:%M}"


class ApologyForm(models.TextChoices):
    NONE = "", _("no apology")
    IN_PERSON = "in_person", _("in person")
    IN_WRITING = "in_writing", _("in writing")


@dataclass(frozen=True)
class InstalmentState:
    instalment: "Instalment"
    due_so_far: Decimal
    state: str  # paid, partly_paid, overdue, due


class Agreement(Versioned):
    """The reconciliation agreement: apology, compensation and its schedule, undertakings."""

    mediation = models.OneToOneField(
        Mediation, verbose_name=_("mediation"), on_delete=models.CASCADE, related_name="agreement"
    )
    signed_on = models.DateField(_("signed on"))
    apology = models.CharField(_("apology"), max_length=16, choices=ApologyForm, blank=True)
    compensation = models.DecimalField(
        _("compensation of harm in tenge"), max_digits=12, decimal_places=2
    )
    undertakings = models.TextField(_("other undertakings"), blank=True)
    deadline = models.DateField(_("deadline for fulfilment"))
    undertakings_done_on = models.DateField(_("undertakings done on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reconciliation agreement")
        verbose_name_plural = _("reconciliation agreements")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(compensation__gte=0), name="agreement_compensation_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(deadline__gte=models.F("signed_on")),
                name="agreement_deadline_after_signing",
            ),
        ]

    def __str__(self) -> str:
        return str(self.mediation)

    # Tracking: read from prefetched instalments and payments where present.

    @property
    def paid_total(self) -> Decimal:
        return sum((p.amount for p in self.payments.all()), ZERO)

    @property
    def outstanding(self) -> Decimal:
        return max(self.compensation - self.paid_total, ZERO)

    @property
    def undertakings_pending(self) -> bool:
        return bool(self.undertakings.strip()) and self.undertakings_done_on is None

    @property
    def is_fulfilled(self) -> bool:
        return self.outstanding == ZERO and not self.undertakings_pending

    def schedule(self, today: datetime.date | None = None) -> list[InstalmentState]:
        """Each instalment with its state: paid once the payments cover it and those before it;
        overdue when its day has passed and they do not."""
        today = today or timezone.localdate()
        paid = self.paid_total
        rows, due_so_far = [], ZERO
        for instalment in sorted(self.instalments.all(), key=lambda i: (i.due_on, i.pk)):
            due_so_far += instalment.amount
            if paid >= due_so_far:
                state = "paid"
            elif instalment.due_on < today:
                state = "overdue"
            elif paid > due_so_far - instalment.amount:
                state = "partly_paid"
            else:
                state = "due"
            rows.append(InstalmentState(instalment, due_so_far, state))
        return rows

    def overdue(self, today: datetime.date | None = None) -> list[InstalmentState]:
        return [row for row in self.schedule(today) if row.state == "overdue"]


class Instalment(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="instalments"
    )
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount in tenge"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("instalment")
        verbose_name_plural = _("instalments")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="instalment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.due_on:%d.%m.%Y} {self.amount}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("in cash, against a receipt")
    BANK = "bank", _("by bank transfer")
    POSTAL = "postal", _("by postal order")
    OTHER = "other", _("other")


class Payment(models.Model):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="payments"
    )
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount in tenge"), max_digits=12, decimal_places=2)
    method = models.CharField(_("how"), max_length=16, choices=PaymentMethod)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payment of compensation")
        verbose_name_plural = _("payments of compensation")
        ordering = ["paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.paid_on:%d.%m.%Y} {self.amount}"
