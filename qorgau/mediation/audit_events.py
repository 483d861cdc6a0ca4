"""The audit codes of mediation, registered from MediationConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import EventType

EVENTS = [
    EventType("mediation.refer", _("referred a minor and a victim to mediation")),
    EventType("mediation.consent", _("recorded a side's answer on consent to mediation")),
    EventType("mediation.withdraw", _("recorded the withdrawal of consent to mediation")),
    EventType("mediation.session", _("recorded a mediation meeting")),
    EventType("mediation.agreement", _("recorded a reconciliation agreement")),
    EventType("mediation.payment", _("recorded a payment of compensation")),
    EventType("mediation.undertakings", _("recorded that the undertakings were done")),
    EventType("mediation.fail", _("recorded that a mediation ended without reconciliation")),
    EventType("mediation.termination", _("linked a mediation to the termination it led to")),
    EventType("mediation.view", _("viewed a mediation"), reads_personal_data=True),
]
