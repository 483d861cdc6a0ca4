from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefenceConfig(AppConfig):
    name = "qorgau.defence"
    verbose_name = _("Juvenile defence")

    def ready(self) -> None:
        from qorgau.audit.events import register
        from qorgau.defence.audit_events import EVENTS
        from qorgau.defence.legal_rules import defence_rules

        # A broken rule file stops the start-up: no rule is ever silently disabled.
        defence_rules()
        register(*EVENTS)
