from typing import Any, ClassVar

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from qorgau.core.versioning import StaleVersion, current_version


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedBase(models.Model):
    """The behaviour of a versioned row; the field itself is declared by the subclass."""

    VERSION_FIELD: ClassVar[str] = "version"
    # Fields the system keeps that nobody edits (a login time): saving only these keeps the version.
    UNVERSIONED_FIELDS: ClassVar[frozenset[str]] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding or self.pk is None or kwargs.get("force_insert"):
            super().save(*args, **kwargs)
            return
        name = self.VERSION_FIELD
        update_fields = kwargs.get("update_fields")
        if update_fields is None:
            update_fields = [
                field.attname
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != name
            ]
        else:
            update_fields = [field for field in update_fields if field != name]
            if not update_fields:
                return
            if set(update_fields) <= self.UNVERSIONED_FIELDS:
                super().save(*args, **kwargs)
                return
        self.advance_version()
        kwargs["update_fields"] = update_fields
        super().save(*args, **kwargs)

    def advance_version(self) -> None:
        """Move the stored version one on from the one this copy holds, or refuse if it moved.

        save() calls it first; call it alone for a change kept in other rows (roles, answers).
        """
        name = self.VERSION_FIELD
        seen = int(getattr(self, name))
        claimed = (
            type(self)._base_manager.filter(pk=self.pk, **{name: seen}).update(**{name: seen + 1})
        )
        if not claimed:
            raise StaleVersion(sent=seen, current=current_version(type(self), self.pk))
        setattr(self, name, seen + 1)


class Versioned(VersionedBase):
    """A record two people may edit at once: the version makes the second save see the first."""

    # db_default as well, so rows loaded by COPY or raw INSERT without the column get 1.
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)

    class Meta:
        abstract = True


class TrilingualName(models.Model):
    """A name kept in Kazakh, Russian and English; `name` picks the active language."""

    name_kk = models.CharField(_("name in Kazakh"), max_length=255)
    name_ru = models.CharField(_("name in Russian"), max_length=255)
    name_en = models.CharField(_("name in English"), max_length=255)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        lang = (get_language() or "kk")[:2]
        return str(getattr(self, f"name_{lang}", "") or self.name_kk)


class TerritoryLevel(models.TextChoices):
    REGION = "region", _("region")
    CITY = "city", _("city")
    DISTRICT = "district", _("district")


class Territory(TrilingualName):
    """An administrative unit of the KATO classifier (data file: core/data/territory.csv)."""

    kato_code = models.CharField(_("KATO code"), max_length=9, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=16, choices=TerritoryLevel)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["kato_code"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_top_level(self) -> bool:
        return self.parent_id is None


class Gravity(models.TextChoices):
    """Categories of criminal offences, CC RK art. 10 part 3 and art. 11."""

    MISDEMEANOUR = "misdemeanour", _("criminal misdemeanour")
    MINOR = "minor", _("minor gravity")
    MEDIUM = "medium", _("medium gravity")
    GRAVE = "grave", _("grave")
    ESPECIALLY_GRAVE = "especially_grave", _("especially grave")


class CriminalArticle(models.Model):
    """A part of an article of the Criminal Code of RK (core/data/criminal-code-articles.csv)."""

    article = models.CharField(_("article"), max_length=16)
    part = models.CharField(_("part"), max_length=8)
    title_kk = models.CharField(_("title in Kazakh"), max_length=500)
    title_ru = models.CharField(_("title in Russian"), max_length=500)
    title_en = models.CharField(_("title in English"), max_length=500)
    gravity = models.CharField(_("gravity"), max_length=20, choices=Gravity)
    min_age = models.PositiveSmallIntegerField(_("minimum age of criminal responsibility"))
    sanction_max_ru = models.TextField(_("maximum sanction"), blank=True)
    source = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("Criminal Code article part")
        verbose_name_plural = _("Criminal Code article parts")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "part"], name="unique_article_part"),
            models.CheckConstraint(
                condition=models.Q(min_age__gte=14) & models.Q(min_age__lte=18),
                name="article_min_age_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citation} {self.title}"

    @property
    def title(self) -> str:
        lang = (get_language() or "kk")[:2]
        return str(getattr(self, f"title_{lang}", "") or self.title_kk)

    @property
    def citation(self) -> str:
        return _("art. %(article)s part %(part)s") % {"article": self.article, "part": self.part}
