from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "qorgau.support"
    verbose_name = _("Social and psychological accompaniment")

    def ready(self) -> None:
        from qorgau.audit.events import register
        from qorgau.support import audit_events_portrait, portrait_rules

        register(*audit_events_portrait.EVENTS)
        portrait_rules.portrait_rules()  # a broken rules file stops the start-up
