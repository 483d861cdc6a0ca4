from collections.abc import Iterator

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from qorgau.core.models import Territory, TimeStampedModel, TrilingualName, Versioned


class AgencyType(models.TextChoices):
    JUVENILE_COURT = "juvenile_court", _("juvenile court")
    PROSECUTOR_OFFICE = "prosecutor_office", _("prosecutor's office")
    JUVENILE_POLICE = "juvenile_police", _("police unit for minors' affairs")
    INVESTIGATION_UNIT = "investigation_unit", _("investigation unit")
    LEGAL_CONSULTATION = "legal_consultation", _("juvenile legal consultation")
    PROBATION = "probation", _("probation service")
    CHILD_RIGHTS_BODY = "child_rights_body", _("regional child-rights body")
    CHILDREN_INSTITUTION = "children_institution", _("children's institution")
    SOCIAL_SERVICE = "social_service", _("social service")


class Role(models.TextChoices):
    """Staff roles; each is a Django permission group of the same name."""

    INVESTIGATOR = "investigator", _("investigator")
    JUVENILE_POLICE_INSPECTOR = "juvenile_police_inspector", _("juvenile police inspector")
    PROSECUTOR = "prosecutor", _("prosecutor")
    DEFENCE_LAWYER = "defence_lawyer", _("defence lawyer")
    SOCIAL_PSYCHOLOGIST = "social_psychologist", _("social psychologist")
    PSYCHOLOGY_INTERN = "psychology_intern", _("psychology-student intern")
    JUDGE = "judge", _("judge")
    COURT_SOCIAL_WORKER = "court_social_worker", _("court social worker")
    PROBATION_INSPECTOR = "probation_inspector", _("probation inspector")
    INSTITUTION_STAFF = "institution_staff", _("institution staff")
    CHILD_RIGHTS_SPECIALIST = "child_rights_specialist", _("child-rights specialist")
    ANALYST = "analyst", _("analyst")
    ADMINISTRATOR = "administrator", _("administrator")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def active(self) -> "AgencyQuerySet":
        return self.filter(is_active=True)


class Agency(TrilingualName, TimeStampedModel, Versioned):
    agency_type = models.CharField(_("type"), max_length=32, choices=AgencyType)
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("region or district"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["territory__kato_code", "name_kk"]

    def __str__(self) -> str:
        return self.name

    @property
    def region(self) -> Territory:
        """The top-level unit (region or city of republican significance) the agency serves."""
        return self.territory.parent if self.territory.parent_id else self.territory  # type: ignore[return-value]

    @cached_property
    def staff_ids(self) -> list[int]:
        """The ids of the agency's staff accounts, read once for this agency object (a request)."""
        return list(User.objects.filter(agency=self).order_by().values_list("pk", flat=True))

    @cached_property
    def region_territory_ids(self) -> list[int]:
        """The region and its districts: read once for this agency object (one request)."""
        territory = self.territory
        region = territory.parent_id or territory.pk
        return list(
            Territory.objects.filter(models.Q(pk=region) | models.Q(parent=region))
            .order_by()
            .values_list("pk", flat=True)
        )


class User(AbstractUser, Versioned):
    UNVERSIONED_FIELDS = frozenset({"last_login"})

    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    position = models.CharField(_("position"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("interface language"), max_length=8, choices=settings.LANGUAGES, default="kk"
    )
    # Raised by "sign out everywhere": it changes the session hash, so every session ends.
    session_generation = models.PositiveIntegerField(_("session generation"), default=0)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)

    def get_session_auth_hash(self) -> str:
        return self._mix_session_generation(super().get_session_auth_hash(), None)

    def get_session_auth_fallback_hash(self) -> Iterator[str]:
        hashes = super().get_session_auth_fallback_hash()
        for secret, password_hash in zip(settings.SECRET_KEY_FALLBACKS, hashes, strict=False):
            yield self._mix_session_generation(password_hash, secret)

    def _mix_session_generation(self, password_hash: str, secret: str | bytes | None) -> str:
        """Django's hash of the password, mixed with the session generation once it is raised.

        Generation 0 keeps Django's own hash, so sessions opened before this existed stay valid.
        """
        if not self.session_generation:
            return password_hash
        return salted_hmac(
            "qorgau.accounts.User.session_generation",
            f"{password_hash}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def roles(self) -> list[str]:
        """Role codes, in Role order; reads prefetched groups when present."""
        names = {group.name for group in self.groups.all()}
        return [role for role in Role.values if role in names]

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles]

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


class Training(TimeStampedModel):
    """A juvenile-justice specialization course a staff member completed."""

    user = models.ForeignKey(
        User, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="trainings"
    )
    course = models.CharField(_("course"), max_length=255)
    provider = models.CharField(_("provider"), max_length=255, blank=True)
    completed_on = models.DateField(_("completed on"))
    hours = models.PositiveSmallIntegerField(_("hours"))
    certificate_number = models.CharField(_("certificate number"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-completed_on"]
        constraints = [
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="training_hours_positive")
        ]

    def __str__(self) -> str:
        return f"{self.course} ({self.completed_on:%d.%m.%Y})"
