"""Audit codes of risk and needs assessments (registered from SupportConfig.ready())."""

from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import EventType

EVENTS = [
    EventType("assessment.start", _("started a risk and needs assessment")),
    EventType("assessment.save", _("saved answers of a risk and needs assessment")),
    EventType("assessment.complete", _("completed a risk and needs assessment")),
    EventType("assessment.view", _("viewed a risk and needs assessment"), reads_personal_data=True),
    EventType(
        "assessment.list",
        _("viewed the list of a minor's risk and needs assessments"),
        reads_personal_data=True,
    ),
]
