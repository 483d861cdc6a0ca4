from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefenceConfig(AppConfig):
    name = "qorgau.defence"
    verbose_name = _("Juvenile defence")
