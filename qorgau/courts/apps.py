from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CourtsConfig(AppConfig):
    name = "qorgau.courts"
    verbose_name = _("Juvenile courts")

    def ready(self) -> None:
        from qorgau.audit.events import register
        from qorgau.core.rulefiles import RuleFileError
        from qorgau.courts.audit_events import EVENTS
        from qorgau.courts.handlers import on_event_recorded
        from qorgau.courts.rulebook import RULES_DIR, court_book
        from qorgau.proceedings.signals import event_recorded
        from qorgau.safeguards.rulebook import safeguard_book

        # A broken rule file stops the start-up: no rule is ever silently dropped. A hearing's
        # presence rule must name a safeguard that exists.
        book = court_book()
        for rule in book.rules["hearing_presence"]:
            if safeguard_book().get(rule.code) is None:
                raise RuleFileError(
                    RULES_DIR / f"{book.profile}.yaml", rule.code, "code", "is no safeguard rule"
                )
        register(*EVENTS)
        event_recorded.connect(on_event_recorded, dispatch_uid="courts.court_stage")
        from qorgau.courts.privacy import register_privacy
        from qorgau.courts.record_subjects import court_cases_of_child
        from qorgau.people.trail import register_related_subjects

        register_privacy()
        register_related_subjects(court_cases_of_child)
