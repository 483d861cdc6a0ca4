"""The individual support plan (жеке сүйемелдеу жоспары): needs, tasks and referrals.

The seed Concept (section 4.7) lists what a minor in conflict with the law needs and who
accompanies the child; a plan turns those needs into tasks assigned to agencies and their
staff with due dates. A task for another agency is a referral the receiver accepts or
declines (Primero's referrals that check the receiver).
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.core.models import TimeStampedModel, Versioned
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused
from qorgau.support.visibility import minor_seen_by

__all__ = [
    "NeedKind",
    "PlanNeed",
    "PlanStatus",
    "PlanTask",
    "Priority",
    "SupportPlan",
    "TaskStatus",
]


class NeedKind(models.TextChoices):
    """What the minor needs: the Concept's list (seed 4.7), one kind per line of a plan."""

    PSYCHOLOGICAL = "psychological", _("psychological help")
    SOCIAL = "social", _("social needs")
    STUDY = "study", _("study")
    WORK = "work", _("work")
    LEISURE = "leisure", _("leisure")
    MEDICAL = "medical", _("medical help")
    FAMILY = "family", _("work with the family")
    SENTENCE = "sentence", _("control of sentence execution")
    PREVENTION = "prevention", _("prevention of re-offending")


class Priority(models.TextChoices):
    HIGH = "high", _("high")
    NORMAL = "normal", _("normal")
    LOW = "low", _("low")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class TaskStatus(models.TextChoices):
    PROPOSED = "proposed", _("referral awaiting an answer")
    OPEN = "open", _("in progress")
    DONE = "done", _("done")
    DECLINED = "declined", _("referral declined")
    CANCELLED = "cancelled", _("cancelled")


# Tasks still to be carried out (an unanswered referral included): the ones that can be late.
ACTIVE_TASKS = (TaskStatus.PROPOSED, TaskStatus.OPEN)
# Tasks that count towards the plan's progress: a declined or cancelled one never will.
COUNTED_TASKS = (TaskStatus.PROPOSED, TaskStatus.OPEN, TaskStatus.DONE)


def plan_seen_by(user: User, prefix: str = "") -> Q | None:
    """Whether the plan (reached through `prefix`) is in the user's sight: None for none, Q() all.

    Row by row (support/visibility.py): the lead agency, an agency with a task in it, the
    agencies of the child's cases. The page's own filter (a pk, a minor, the agency's tasks)
    picks the rows by index, and each is checked with a few index probes.
    """
    if not user.is_active or not user.has_perm("support.view_supportplan"):
        return None
    if user.is_superuser:
        return Q()
    if user.agency is None or not user.agency.is_active:
        return None
    agency = user.agency.pk
    plan = OuterRef(f"{prefix}pk" if prefix else "pk")
    tasks = PlanTask.objects.filter(
        Q(agency_id=agency) | Q(referred_by_agency_id=agency), plan=plan
    )
    return (
        Q(**{f"{prefix}lead_agency_id": agency})
        | Q(Exists(tasks))
        | minor_seen_by(user, f"{prefix}juvenile_id")
    )


class SupportPlanQuerySet(models.QuerySet["SupportPlan"]):
    def visible_to(self, user: User) -> "SupportPlanQuerySet":
        """The plan's team sees it: the lead agency, agencies with tasks in it, the case team."""
        seen = plan_seen_by(user)
        return self.none() if seen is None else self.filter(seen)

    def active(self) -> "SupportPlanQuerySet":
        return self.filter(status=PlanStatus.ACTIVE)


class SupportPlan(TimeStampedModel, Versioned):
    """A minor's individual support plan, led by one agency and coordinated by one of its staff."""

    juvenile = models.ForeignKey(
        Juvenile, verbose_name=_("juvenile"), on_delete=models.PROTECT, related_name="plans"
    )
    accused = models.ForeignKey(
        Accused,
        verbose_name=_("case of the minor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="+"
    )
    coordinator = models.ForeignKey(
        User, verbose_name=_("coordinator"), on_delete=models.PROTECT, related_name="+"
    )
    goal = models.TextField(_("aim of the plan"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PlanStatus, default=PlanStatus.ACTIVE
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("drawn up by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = SupportPlanQuerySet.as_manager()
    # Set by the selectors when the reader's agency only has tasks in the plan: it then sees
    # its own tasks and their needs, and neither the case nor the rest of the plan.
    task_only: bool = False

    class Meta:
        verbose_name = _("individual support plan")
        verbose_name_plural = _("individual support plans")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["juvenile"],
                condition=Q(status="active"),
                name="one_active_support_plan_per_minor",
            ),
            models.CheckConstraint(
                condition=Q(status="active", closed_on__isnull=True)
                | (Q(status="closed", closed_on__isnull=False) & ~Q(closing_note="")),
                name="support_plan_closed_with_date_and_note",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Support plan of %(name)s") % {"name": self.juvenile})

    @property
    def is_active(self) -> bool:
        return self.status == PlanStatus.ACTIVE


class PlanNeed(TimeStampedModel):
    """One kind of need the plan answers, described for this child."""

    plan = models.ForeignKey(
        SupportPlan, verbose_name=_("support plan"), on_delete=models.CASCADE, related_name="needs"
    )
    kind = models.CharField(_("need"), max_length=16, choices=NeedKind)
    description = models.TextField(_("what the minor needs"))
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority, default=Priority.NORMAL
    )
    created_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("need in a support plan")
        verbose_name_plural = _("needs in support plans")
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind"], name="one_need_of_a_kind_per_plan")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class PlanTaskQuerySet(models.QuerySet["PlanTask"]):
    def visible_to(self, user: User) -> "PlanTaskQuerySet":
        """The tasks of the plans the user sees (SupportPlan.visible_to)."""
        seen = plan_seen_by(user, "plan__")
        if seen is None:
            return self.none()
        if user.is_superuser:
            return self
        # A task of the user's agency (set for it or by it) puts its plan in the agency's sight:
        # said first, the agency's own task lists need no other check.
        agency = user.agency_id
        return self.filter(Q(agency_id=agency) | Q(referred_by_agency_id=agency) | seen)

    def active(self) -> "PlanTaskQuerySet":
        return self.filter(status__in=ACTIVE_TASKS)


class PlanTask(TimeStampedModel, Versioned):
    """What one agency does for a need by a date; for another agency, a referral it answers."""

    plan = models.ForeignKey(
        SupportPlan, verbose_name=_("support plan"), on_delete=models.CASCADE, related_name="tasks"
    )
    need = models.ForeignKey(
        PlanNeed, verbose_name=_("need"), on_delete=models.CASCADE, related_name="tasks"
    )
    action = models.TextField(_("what to do"))
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency responsible"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        User,
        verbose_name=_("staff member responsible"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=16, choices=TaskStatus, default=TaskStatus.OPEN
    )
    referred_by = models.ForeignKey(
        User, verbose_name=_("set by"), on_delete=models.PROTECT, related_name="+"
    )
    referred_by_agency = models.ForeignKey(
        Agency, verbose_name=_("set by agency"), on_delete=models.PROTECT, related_name="+"
    )
    answered_by = models.ForeignKey(
        User,
        verbose_name=_("referral answered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("referral answered at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    cancelled_by = models.ForeignKey(
        User,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    objects = PlanTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("task in a support plan")
        verbose_name_plural = _("tasks in support plans")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["agency", "status", "due_on"], name="plan_task_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="plan_task_declined_with_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(result="") & Q(done_at__isnull=False)),
                name="plan_task_done_with_result",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="plan_task_cancelled_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.need.get_kind_display()}: {self.action[:60]}"

    @property
    def is_referral(self) -> bool:
        """Set by one agency for another: the receiver had (or has) to accept it."""
        return self.agency_id != self.referred_by_agency_id
