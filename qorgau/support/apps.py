from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "qorgau.support"
    verbose_name = _("Social and psychological accompaniment")
