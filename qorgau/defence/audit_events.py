"""The audit codes of the defence area, registered from DefenceConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import EventType

EVENTS = [
    EventType("duty.shift_add", _("added a duty shift")),
    EventType("duty.shift_cancel", _("cancelled a duty shift")),
    EventType("duty.assign", _("assigned the on-duty defender")),
]
