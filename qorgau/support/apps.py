from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "qorgau.support"
    verbose_name = _("Social and psychological accompaniment")

    def ready(self) -> None:
        from qorgau.support.audit_events_plan import register_plan_events

        register_plan_events()
