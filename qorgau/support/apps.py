from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "qorgau.support"
    verbose_name = _("Social and psychological accompaniment")

    def ready(self) -> None:
        from qorgau.audit.events import register
        from qorgau.support import audit_events_assessment, audit_events_portrait, portrait_rules
        from qorgau.support.audit_events_plan import register_plan_events
        from qorgau.support.instrument import library

        register(*audit_events_assessment.EVENTS, *audit_events_portrait.EVENTS)
        register_plan_events()
        # A broken instrument or rules file stops the start-up: nothing is silently dropped.
        library()
        portrait_rules.portrait_rules()
        from qorgau.support.privacy import register_privacy

        register_privacy()
        # Its records about a child show on the child's "who saw this record" page.
        from qorgau.people.trail import register_related_subjects
        from qorgau.support.record_subjects import support_records_of_child

        register_related_subjects(support_records_of_child)
