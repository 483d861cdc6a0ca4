"""Juvenile legal consultations' duty roster and the on-duty assignments made from it.

A consultation is an `Agency` of type legal consultation and its members are its staff (the
accounts app): nothing here duplicates them.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.core.models import Territory, TimeStampedModel, Versioned
from qorgau.proceedings.models import Accused, Participant, ProceduralEvent, Proceeding


class Duty(models.TextChoices):
    DEFENDER = "defender", _("defender")
    PSYCHOLOGIST = "psychologist", _("social psychologist")


# The role a member must hold to take a shift of each duty.
ROLE_FOR_DUTY = {Duty.DEFENDER: Role.DEFENCE_LAWYER, Duty.PSYCHOLOGIST: Role.SOCIAL_PSYCHOLOGIST}


class DutyShiftQuerySet(models.QuerySet["DutyShift"]):
    def active(self) -> "DutyShiftQuerySet":
        return self.filter(cancelled_at=None)

    def overlapping(self, start: object, end: object) -> "DutyShiftQuerySet":
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def visible_to(self, user: User) -> "DutyShiftQuerySet":
        """The roster is the consultations' public contact list for the case agencies."""
        return self if reads_roster(user) else self.none()


def reads_roster(user: User) -> bool:
    """Active holders of the permission, unless their agency is closed (central staff such as
    analysts and administrators have no agency)."""
    if not user.is_active or not user.has_perm("defence.view_dutyshift"):
        return False
    return user.agency is None or user.agency.is_active


class DutyShift(TimeStampedModel, Versioned):
    """One member of a consultation on duty for a region or city from one moment to another."""

    consultation = models.ForeignKey(
        Agency,
        verbose_name=_("legal consultation"),
        on_delete=models.PROTECT,
        related_name="duty_shifts",
        limit_choices_to={"agency_type": AgencyType.LEGAL_CONSULTATION},
    )
    member = models.ForeignKey(
        User, verbose_name=_("on duty"), on_delete=models.PROTECT, related_name="duty_shifts"
    )
    duty = models.CharField(_("duty"), max_length=16, choices=Duty)
    intern = models.ForeignKey(
        User,
        verbose_name=_("accompanying intern"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intern_shifts",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("region or city served"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    created_by = models.ForeignKey(
        User, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        User,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)

    objects = DutyShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        ordering = ["starts_at", "duty", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(intern=None) | Q(duty="psychologist"),
                name="shift_intern_only_with_psychologist",
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at=None, cancelled_by=None)
                | (Q(cancelled_at__isnull=False) & Q(cancelled_by__isnull=False)),
                name="shift_cancelled_with_author",
            ),
        ]
        indexes = [models.Index(fields=["territory", "starts_at", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_duty_display()}) {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


# What the response-time figures read of each assignment: key columns of their indexes after
# the date (not INCLUDE, which SQLite does not know), so the figures are index-only scans.
TIMES = [
    "state_paid",
    "psychologist",
    "detained_at",
    "defender_arrived_at",
    "psychologist_arrived_at",
]


class OnDutyAssignmentQuerySet(models.QuerySet["OnDutyAssignment"]):
    def visible_to(self, user: User, within: Q | None = None) -> "OnDutyAssignmentQuerySet":
        """Analysts and administrators see all; prosecutors their region; a consultation its
        own members' assignments; investigators and judges the cases they take part in.

        The ways of seeing are a UNION ALL of index scans, each narrowed by `within` (a period,
        a region), not one OR over joins and a subquery that reads every assignment."""
        within = Q() if within is None else within
        if not user.is_active or not user.has_perm("defence.view_ondutyassignment"):
            return self.none()
        if user.is_superuser or user.has_role(Role.ANALYST, Role.ADMINISTRATOR):
            return self.filter(within)
        agency = user.agency
        if agency is None or not agency.is_active:
            return self.none()
        ways = [Q(accused__proceeding__in=Proceeding.objects.visible_to(user).values("pk"))]
        if user.has_role(Role.PROSECUTOR):
            ways.append(Q(region=agency.region))
        if agency.agency_type == AgencyType.LEGAL_CONSULTATION:
            ways += [
                Q(defender_shift__consultation=agency),
                Q(psychologist_shift__consultation=agency),
            ]
        first, *others = [OnDutyAssignment.objects.filter(within, way).values("pk") for way in ways]
        return self.filter(within, pk__in=first.union(*others, all=True))


class OnDutyAssignment(models.Model):
    """The on-duty defender (and psychologist) assigned to a detained minor in one step."""

    accused = models.ForeignKey(
        Accused,
        verbose_name=_("minor"),
        on_delete=models.PROTECT,
        related_name="on_duty_assignments",
    )
    detention = models.ForeignKey(
        ProceduralEvent,
        verbose_name=_("detention"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignment_event = models.OneToOneField(
        ProceduralEvent,
        verbose_name=_("assignment on the timeline"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region = models.ForeignKey(
        Territory, verbose_name=_("region or city"), on_delete=models.PROTECT, related_name="+"
    )
    defender = models.OneToOneField(
        Participant, verbose_name=_("defender"), on_delete=models.PROTECT, related_name="+"
    )
    defender_shift = models.ForeignKey(
        DutyShift,
        verbose_name=_("defender's shift"),
        on_delete=models.PROTECT,
        related_name="defender_assignments",
    )
    psychologist = models.OneToOneField(
        Participant,
        verbose_name=_("social psychologist"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    psychologist_shift = models.ForeignKey(
        DutyShift,
        verbose_name=_("psychologist's shift"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="psychologist_assignments",
    )
    state_paid = models.BooleanField(_("defence paid by the state"))
    assigned_at = models.DateTimeField(_("assigned at"))
    assigned_by = models.ForeignKey(
        User, verbose_name=_("assigned by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Copies of the times the response-time figures measure, kept here so a period's figures
    # read one index instead of joining every assignment to its events: the detention's time
    # (events are never changed) and each person's first recorded arrival, set as the arrival
    # is recorded (handlers.on_event_recorded).
    detained_at = models.DateTimeField(_("detained at"))
    defender_arrived_at = models.DateTimeField(_("defender arrived at"), null=True, blank=True)
    psychologist_arrived_at = models.DateTimeField(
        _("psychologist arrived at"), null=True, blank=True
    )

    objects = OnDutyAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("on-duty assignment")
        verbose_name_plural = _("on-duty assignments")
        ordering = ["-assigned_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(psychologist=None, psychologist_shift=None)
                | (Q(psychologist__isnull=False) & Q(psychologist_shift__isnull=False)),
                name="assignment_psychologist_with_shift",
            ),
        ]
        # The response-time figures of a period, nationally and per region: index-only scans.
        indexes = [
            models.Index(fields=["assigned_at", "region", *TIMES], name="assignment_times_by_date"),
            models.Index(
                fields=["region", "assigned_at", *TIMES], name="assignment_times_by_region"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.accused} {self.assigned_at:%Y-%m-%d %H:%M}"
