from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "qorgau.support"
    verbose_name = _("Social and psychological accompaniment")

    def ready(self) -> None:
        from qorgau.audit.events import register
        from qorgau.support import audit_events_assessment
        from qorgau.support.audit_events_plan import register_plan_events
        from qorgau.support.instrument import library

        register(*audit_events_assessment.EVENTS)
        register_plan_events()
        library()  # a broken instrument file stops the start-up
