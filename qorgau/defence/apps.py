from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefenceConfig(AppConfig):
    name = "qorgau.defence"
    verbose_name = _("Juvenile defence")

    def ready(self) -> None:
        from qorgau.audit.events import register
        from qorgau.defence.audit_events import EVENTS
        from qorgau.defence.handlers import on_event_recorded
        from qorgau.defence.legal_rules import defence_rules
        from qorgau.proceedings.signals import event_recorded

        # A broken rule file stops the start-up: no rule is ever silently disabled.
        defence_rules()
        register(*EVENTS)
        event_recorded.connect(on_event_recorded, dispatch_uid="defence.first_arrivals")
