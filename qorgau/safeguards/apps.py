from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardsConfig(AppConfig):
    name = "qorgau.safeguards"
    verbose_name = _("Procedural safeguards")

    def ready(self) -> None:
        from qorgau.proceedings.signals import event_recorded
        from qorgau.safeguards.handlers import on_event_recorded
        from qorgau.safeguards.rulebook import safeguard_book

        # A broken rule file stops the start-up: no rule is ever silently disabled.
        safeguard_book()
        event_recorded.connect(on_event_recorded, dispatch_uid="safeguards.evaluate")
        from qorgau.safeguards.privacy import register_privacy

        register_privacy()
        # Its records about a child show on the child's "who saw this record" page.
        from qorgau.people.trail import register_related_subjects
        from qorgau.safeguards.record_subjects import violations_of_child

        register_related_subjects(violations_of_child)
