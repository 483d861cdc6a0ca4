from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "qorgau.mediation"
    verbose_name = _("Mediation")

    def ready(self) -> None:
        from qorgau.audit.events import register
        from qorgau.mediation.audit_events import EVENTS
        from qorgau.mediation.handlers import on_event_recorded
        from qorgau.mediation.rulebook import mediation_book
        from qorgau.proceedings.signals import event_recorded

        # A broken rule file stops the start-up: no rule is ever silently dropped.
        mediation_book()
        register(*EVENTS)
        event_recorded.connect(on_event_recorded, dispatch_uid="mediation.link_termination")
        from qorgau.mediation.privacy import register_privacy

        register_privacy()
        # Its records about a child show on the child's "who saw this record" page.
        from qorgau.mediation.record_subjects import mediations_of_child
        from qorgau.people.trail import register_related_subjects

        register_related_subjects(mediations_of_child)
