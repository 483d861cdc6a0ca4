"""The audit codes of the juvenile courts, registered from CourtsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import EventType

EVENTS = [
    EventType("court.receive", _("received a criminal case in court")),
    EventType("court.courtroom", _("added a courtroom")),
    EventType("court.register", _("registered a court case")),
    EventType("court.hearing", _("scheduled a court hearing")),
    EventType("court.adjourn", _("adjourned a court hearing")),
    EventType("court.summons", _("summoned a person to a court hearing")),
    EventType("court.presence", _("recorded who was present at a court hearing")),
    EventType("court.report", _("filed the court social worker's report")),
    EventType("court.judgment", _("recorded the judgment or decision of a court case")),
    EventType("court.view", _("viewed a court case"), reads_personal_data=True),
]
