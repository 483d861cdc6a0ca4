from django.db import models
from django.utils.translation import gettext_lazy as _


class GeneratorRun(models.Model):
    """A synthetic country loaded by `qorgau generate-national`: the marker of generated data.

    A database whose records are not accounted for by a run is refused by the generator.
    """

    seed = models.BigIntegerField(_("seed"))
    scale = models.FloatField(_("scale"))
    as_of = models.DateField(_("as of"))
    years = models.FloatField(_("years of cases"), default=3)
    blocks = models.PositiveIntegerField(_("blocks"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The secondary indexes of the filled tables taken down for the load, as [name, definition]:
    # rebuilt at its end, also when it fails. Not empty: the load left them down (a crash), and
    # `--resume` builds them again.
    indexes_down = models.JSONField(_("indexes taken down for the load"), default=list, blank=True)

    class Meta:
        verbose_name = _("synthetic data run")
        verbose_name_plural = _("synthetic data runs")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"seed {self.seed}, scale {self.scale:g}, as of {self.as_of:%Y-%m-%d}"


class GeneratorChunk(models.Model):
    """One chunk of a run, written in the same transaction as its rows (0 = the agencies)."""

    run = models.ForeignKey(
        GeneratorRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="chunks"
    )
    number = models.PositiveIntegerField(_("number"))
    rows = models.PositiveIntegerField(_("rows"))
    done_at = models.DateTimeField(_("done at"))

    class Meta:
        verbose_name = _("synthetic data chunk")
        verbose_name_plural = _("synthetic data chunks")
        ordering = ["run", "number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="one_chunk_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.number}"
