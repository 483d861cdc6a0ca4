from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProbationConfig(AppConfig):
    name = "qorgau.probation"
    verbose_name = _("Probation")

    def ready(self) -> None:
        from qorgau.audit.events import register
        from qorgau.probation.audit_events import EVENTS
        from qorgau.probation.handlers import on_event_recorded
        from qorgau.probation.rulebook import probation_book
        from qorgau.proceedings.signals import event_recorded

        # A broken rule file stops the start-up: no rule is ever silently dropped.
        probation_book()
        register(*EVENTS)
        event_recorded.connect(on_event_recorded, dispatch_uid="probation.receive_sentence")
        from qorgau.probation.privacy import register_privacy

        register_privacy()
        # Its records about a child show on the child's "who saw this record" page.
        from qorgau.people.trail import register_related_subjects
        from qorgau.probation.record_subjects import probation_of_child

        register_related_subjects(probation_of_child)
