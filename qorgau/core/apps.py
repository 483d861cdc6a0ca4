from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "qorgau.core"
    verbose_name = _("Reference data")

    def ready(self) -> None:
        # A broken retention file must stop the start-up, not surface when the command runs.
        from qorgau.core.retention import retention_rules

        retention_rules()
