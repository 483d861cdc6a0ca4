"""The audit codes of probation, registered from ProbationConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import EventType

EVENTS = [
    EventType("probation.receive", _("handed a convicted minor to the probation service")),
    EventType("probation.register", _("registered a minor with the probation service")),
    EventType("probation.plan", _("set a supervision plan")),
    EventType("probation.check_in", _("recorded a check-in")),
    EventType("probation.breach", _("recorded a breach of supervision")),
    EventType("probation.hours", _("recorded hours of work")),
    EventType("probation.end", _("ended a supervision")),
    EventType("probation.reminder", _("raised a probation reminder")),
    EventType("probation.view", _("viewed a supervision"), reads_personal_data=True),
    EventType("probation.release", _("recorded a release from an institution")),
    EventType("probation.follow_up", _("recorded a follow-up after release")),
    EventType("probation.release_view", _("viewed a release"), reads_personal_data=True),
]
