from django.db import models
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.core.models import TimeStampedModel
from qorgau.proceedings.models import Accused, ProceduralEvent, Proceeding, ProceedingQuerySet
from qorgau.safeguards.rulebook import SafeguardRule, safeguard_book


class Severity(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class Status(models.TextChoices):
    OPEN = "open", _("open")
    ACKNOWLEDGED = "acknowledged", _("seen by the prosecutor")
    REMEDIED = "remedied", _("remedied")
    DISPUTED = "disputed", _("disputed")
    ACT_ISSUED = "act_issued", _("prosecutor's act issued")


class ActType(models.TextChoices):
    PROTEST = "protest", _("protest")
    REPRESENTATION = "representation", _("representation")
    ORDER = "order", _("order")


UNRESOLVED = (Status.OPEN, Status.ACKNOWLEDGED)


class ViolationQuerySet(models.QuerySet["Violation"]):
    def visible_to(self, user: User) -> "ViolationQuerySet":
        """A violation is seen by everyone who sees its case (the investigator sees his own)."""
        cases: ProceedingQuerySet = Proceeding.objects.visible_to(user)
        return self.filter(proceeding__in=cases.values("pk"))

    def unresolved(self) -> "ViolationQuerySet":
        return self.filter(status__in=UNRESOLVED)


class Violation(TimeStampedModel):
    """A safeguard the record shows was not kept, with the rule, the facts and the proof."""

    rule_id = models.CharField(_("rule"), max_length=64, db_index=True)
    fact_key = models.CharField(_("fact"), max_length=128)
    proceeding = models.ForeignKey(
        Proceeding, verbose_name=_("case"), on_delete=models.CASCADE, related_name="violations"
    )
    accused = models.ForeignKey(
        Accused, verbose_name=_("minor"), on_delete=models.CASCADE, related_name="violations"
    )
    responsible = models.ForeignKey(
        User,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    responsible_agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    severity = models.CharField(_("severity"), max_length=8, choices=Severity)
    facts = models.JSONField(_("facts"), default=dict)
    events = models.ManyToManyField(
        ProceduralEvent, verbose_name=_("proving events"), blank=True, related_name="violations"
    )
    detected_at = models.DateTimeField(_("detected at"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_changed_by = models.ForeignKey(
        User,
        verbose_name=_("status changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    act_type = models.CharField(_("type of act"), max_length=16, choices=ActType, blank=True)
    act_number = models.CharField(_("act number"), max_length=64, blank=True)
    act_date = models.DateField(_("act date"), null=True, blank=True)

    objects = ViolationQuerySet.as_manager()

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["-detected_at", "-id"]
        constraints = [
            # Re-evaluation is idempotent: one fact, one violation of one rule.
            models.UniqueConstraint(
                fields=["rule_id", "accused", "fact_key"], name="one_violation_per_fact"
            )
        ]
        indexes = [models.Index(fields=["status", "detected_at"])]

    def __str__(self) -> str:
        return f"{self.rule_id} {self.fact_key}"

    @property
    def rule(self) -> SafeguardRule | None:
        return safeguard_book().get(self.rule_id)

    @property
    def title(self) -> str:
        rule = self.rule
        return rule.label if rule else self.rule_id

    @property
    def description(self) -> str:
        rule = self.rule
        return rule.describe(self.facts) if rule else ""

    @property
    def is_unresolved(self) -> bool:
        return self.status in UNRESOLVED
