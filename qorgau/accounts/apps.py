from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qorgau.accounts"
    verbose_name = _("Staff and agencies")

    def ready(self) -> None:
        from qorgau.accounts import signin
        from qorgau.accounts.audit_events import EVENTS
        from qorgau.audit.events import register

        register(*EVENTS)
        signin.connect()
