from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProceedingsConfig(AppConfig):
    name = "qorgau.proceedings"
    verbose_name = _("Criminal proceedings")

    def ready(self) -> None:
        # A broken rule file must stop the start-up, not surface on the first request.
        from qorgau.proceedings.access import (
            register_case_records_in_the_trail,
            register_case_team_visibility,
        )
        from qorgau.proceedings.legal_rules import rule_book
        from qorgau.proceedings.privacy import register_privacy

        rule_book()
        register_case_team_visibility()
        register_privacy()
        register_case_records_in_the_trail()
