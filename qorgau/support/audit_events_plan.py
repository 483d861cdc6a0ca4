"""Audit codes of the individual support plan; registered from SupportConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import EventType, register

EVENTS = [
    EventType("plan.open", _("drew up an individual support plan")),
    EventType("plan.close", _("closed an individual support plan")),
    EventType("plan.need", _("added a need to a support plan")),
    EventType("plan.task", _("set a task or sent a referral in a support plan")),
    EventType("plan.accept", _("accepted a referral of a support plan")),
    EventType("plan.decline", _("declined a referral of a support plan")),
    EventType("plan.done", _("marked a support plan task done")),
    EventType("plan.cancel", _("cancelled a support plan task")),
    EventType("plan.view", _("viewed an individual support plan"), reads_personal_data=True),
]


def register_plan_events() -> None:
    register(*EVENTS)
