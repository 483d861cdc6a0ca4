from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "qorgau.people"
    verbose_name = _("People")

    def ready(self) -> None:
        from qorgau.people.retention import register_retention

        register_retention()
