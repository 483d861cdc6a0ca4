import datetime
from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import Agency, User
from qorgau.core.iin import Sex as IINSex
from qorgau.core.iin import mask_iin
from qorgau.core.models import Territory, TimeStampedModel, Versioned
from qorgau.core.translit import search_key


class Sex(models.TextChoices):
    MALE = IINSex.MALE, _("male")
    FEMALE = IINSex.FEMALE, _("female")


class Citizenship(models.TextChoices):
    KAZAKHSTAN = "KZ", _("Republic of Kazakhstan")
    FOREIGN = "foreign", _("foreign citizen")
    STATELESS = "stateless", _("stateless person")


class NoIINReason(models.TextChoices):
    FOREIGNER = "foreigner", _("foreign citizen or stateless person")
    NOT_IDENTIFIED = "not_identified", _("identity not yet established")
    NOT_ISSUED = "not_issued", _("IIN not issued")
    ANONYMISED = "anonymised", _("erased when the record was anonymised")


class Relation(models.TextChoices):
    MOTHER = "mother", _("mother")
    FATHER = "father", _("father")
    STEPMOTHER = "stepmother", _("stepmother")
    STEPFATHER = "stepfather", _("stepfather")
    GUARDIAN = "guardian", _("guardian")
    TRUSTEE = "trustee", _("trustee")
    FOSTER_PARENT = "foster_parent", _("foster carer")
    GRANDPARENT = "grandparent", _("grandparent")
    SIBLING = "sibling", _("brother or sister")
    OTHER_RELATIVE = "other_relative", _("other relative")
    GUARDIANSHIP_BODY = "guardianship_body", _("guardianship and trusteeship body")


class PersonName(models.Model):
    last_name = models.CharField(
        _("surname"), max_length=150, error_messages={"blank": _("Enter the surname.")}
    )
    first_name = models.CharField(
        _("first name"), max_length=150, error_messages={"blank": _("Enter the first name.")}
    )
    patronymic = models.CharField(_("patronymic"), max_length=150, blank=True)

    class Meta:
        abstract = True

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.patronymic) if p)


# Higher apps widen who sees a child (the case team, across regions) by adding a function
# here from their AppConfig.ready(); people itself never imports them. Each gives the ids of
# the juveniles it lets the user see, as a queryset of one column (`.values(...)`).
VISIBILITY_EXTENSIONS: list[Callable[[User], models.QuerySet[Any, Any]]] = []
# The same reasons asked of one row (a condition on the juvenile's `pk`), for `seen_by`.
ROW_VISIBILITY_EXTENSIONS: list[Callable[[User], Q]] = []
# Likewise, the children whose records must not yet be anonymised (an open case, say).
RETENTION_HOLDS: list[Callable[[], Q]] = []
# And the sections they add to a child's own record when it is exported on request.
EXPORT_SECTIONS: list[Callable[["Juvenile"], tuple[str, Any]]] = []


class JuvenileQuerySet(models.QuerySet["Juvenile"]):
    def visible_to(self, user: User) -> "JuvenileQuerySet":
        """The records a staff member may see: those in their agency's region, or registered there.

        Cross-region access through a shared case comes with the proceedings.
        """
        if not user.is_active or not user.has_perm("people.view_juvenile"):
            return self.none()
        if user.is_superuser:
            return self
        if user.agency is None or not user.agency.is_active:
            return self.none()
        # The ids themselves, not a subquery: PostgreSQL then estimates each territory's share of
        # the register from its statistics and reads the small ones through the index.
        territories = user.agency.region_territory_ids
        # A UNION ALL of index scans, one per reason to see a child: an OR over a join and a
        # subquery makes PostgreSQL read the whole national register for every list.
        ids = (
            Juvenile.objects.filter(registered_by_agency=user.agency)
            .values("pk")
            .union(
                Juvenile.objects.filter(address_territory__in=territories).values("pk"),
                *(extension(user) for extension in VISIBILITY_EXTENSIONS),
                all=True,
            )
        )
        return self.filter(pk__in=ids)

    def seen_by(self, user: User) -> "JuvenileQuerySet":
        """The same records as `visible_to`, each asked of its own row: for a search by IIN or
        name or one record, where PostgreSQL should start from the few rows the search finds
        rather than build the set of every child the user may see."""
        if not user.is_active or not user.has_perm("people.view_juvenile"):
            return self.none()
        if user.is_superuser:
            return self
        if user.agency is None or not user.agency.is_active:
            return self.none()
        condition = Q(registered_by_agency=user.agency) | Q(
            address_territory__in=user.agency.region_territory_ids
        )
        for extension in ROW_VISIBILITY_EXTENSIONS:
            condition |= extension(user)
        return self.filter(condition)

    def matching(self, query: str) -> "JuvenileQuerySet":
        """By IIN (its digits, from the start) or by name in either script."""
        query = (query or "").strip()
        if not query:
            return self
        digits = query.replace(" ", "")
        if digits.isascii() and digits.isdigit():
            return self.filter(iin__startswith=digits)
        tokens = search_key(query).split()
        if not tokens:
            # Punctuation or digits alone name nobody; unfiltered, they listed the whole register.
            return self.none()
        qs = self
        for token in tokens:
            qs = qs.filter(search_key__contains=token)
        return qs


class Juvenile(PersonName, TimeStampedModel, Versioned):
    """A minor known to the juvenile justice system: the child's shared record."""

    name_latin = models.CharField(_("name in Latin letters"), max_length=500, editable=False)
    search_key = models.CharField(max_length=500, editable=False, db_index=True)
    iin = models.CharField(_("IIN"), max_length=12, unique=True, null=True, blank=True)
    no_iin_reason = models.CharField(
        _("why there is no IIN"), max_length=20, choices=NoIINReason, blank=True
    )
    birth_date = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex)
    citizenship = models.CharField(
        _("citizenship"), max_length=12, choices=Citizenship, default=Citizenship.KAZAKHSTAN
    )
    citizenship_country = models.CharField(_("country of citizenship"), max_length=100, blank=True)
    address_territory = models.ForeignKey(
        Territory,
        verbose_name=_("region or district of residence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    school = models.CharField(_("school or place of study"), max_length=255, blank=True)
    # The family profile the concept names as risk factors (seed, section 3).
    incomplete_family = models.BooleanField(_("incomplete family"), default=False)
    low_income_family = models.BooleanField(_("low-income family"), default=False)
    large_family = models.BooleanField(_("large family"), default=False)
    asocial_family = models.BooleanField(_("asocial family"), default=False)
    family_notes = models.TextField(_("notes on the family"), blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True, editable=False)
    registered_by_agency = models.ForeignKey(
        Agency, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = JuvenileQuerySet.as_manager()

    class Meta:
        verbose_name = _("juvenile")
        verbose_name_plural = _("juveniles")
        ordering = ["last_name", "first_name", "id"]
        indexes = [
            # The register in its order, and Today's "recently registered by your agency".
            models.Index(fields=["last_name", "first_name", "id"], name="juvenile_name_order"),
            models.Index(
                fields=["registered_by_agency", "-created_at"], name="juvenile_agency_recent"
            ),
        ]
        permissions = [("export_juvenile", _("Can export a child's own record on request"))]
        constraints = [
            models.CheckConstraint(
                condition=Q(iin__isnull=False) | ~Q(no_iin_reason=""),
                name="juvenile_iin_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def age_on(self, day: datetime.date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def iin_masked(self) -> str:
        """The IIN as lists show it: the last four digits only (the record shows it whole)."""
        return mask_iin(self.iin)

    @property
    def risk_factors(self) -> list[str]:
        flags = ("incomplete_family", "low_income_family", "large_family", "asocial_family")
        fields = [self._meta.get_field(name) for name in flags if getattr(self, name)]
        return [str(field.verbose_name) for field in fields if isinstance(field, models.Field)]


class Relative(PersonName, TimeStampedModel, Versioned):
    """A parent, guardian, relative or legal representative of a juvenile."""

    juvenile = models.ForeignKey(
        Juvenile, verbose_name=_("juvenile"), on_delete=models.CASCADE, related_name="relatives"
    )
    relation = models.CharField(_("relation to the child"), max_length=20, choices=Relation)
    is_legal_representative = models.BooleanField(_("legal representative"), default=False)
    lives_with_child = models.BooleanField(_("lives with the child"), default=False)
    iin = models.CharField(_("IIN"), max_length=12, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    occupation = models.CharField(_("occupation"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("family member or representative")
        verbose_name_plural = _("family members and representatives")
        ordering = ["-is_legal_representative", "last_name", "id"]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_relation_display()})"


class RegionTally(models.Model):
    """How many juveniles live in a region, as counted at `counted_at` (people/tallies.py).

    The analyst's figures by region read these rows, not the national register: a count over
    every child grows with the country; the rows are counted again by `qorgau count-register`
    (a schedule, and after a load), and the page says when.
    """

    region = models.OneToOneField(
        Territory, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+"
    )
    juveniles = models.PositiveIntegerField(_("juveniles"))
    counted_at = models.DateTimeField(_("counted at"))

    class Meta:
        verbose_name = _("juveniles of a region")
        verbose_name_plural = _("juveniles by region")

    def __str__(self) -> str:
        return f"{self.region}: {self.juveniles}"
