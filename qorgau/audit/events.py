"""The catalogue of audit event codes. Codes are stable: add new ones, never rename."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class EventType:
    code: str
    label: Promise
    reads_personal_data: bool = False


_ALL = [
    EventType("auth.login", _("signed in")),
    EventType("auth.login_failed", _("sign-in refused")),
    EventType("auth.logout", _("signed out")),
    EventType("auth.language", _("changed interface language")),
    EventType("agency.create", _("created an agency")),
    EventType("agency.update", _("changed an agency")),
    EventType("staff.create", _("created a staff account")),
    EventType("staff.update", _("changed a staff account")),
    EventType("staff.roles", _("changed staff roles")),
    EventType("staff.training", _("recorded a training")),
    EventType("juvenile.create", _("registered a juvenile")),
    EventType("juvenile.update", _("changed a juvenile's record")),
    EventType("juvenile.view", _("viewed a juvenile's record"), reads_personal_data=True),
    EventType("juvenile.search", _("searched juveniles"), reads_personal_data=True),
    EventType(
        "juvenile.export", _("exported a child's record on request"), reads_personal_data=True
    ),
    EventType("juvenile.anonymise", _("anonymised a child's record under the retention rules")),
    EventType("relative.create", _("added a family member or representative")),
    EventType("relative.update", _("changed a family member or representative")),
    EventType("audit.view", _("read the audit trail")),
    EventType("audit.record_trail", _("saw who saw a child's record"), reads_personal_data=True),
    EventType("access.refused", _("was refused access")),
    EventType("case.open", _("registered a criminal case")),
    EventType("case.update", _("changed a criminal case")),
    EventType("case.accused", _("joined a minor to a case")),
    EventType("case.participant", _("added a participant to a case")),
    EventType("case.requalify", _("requalified a charge")),
    EventType("case.event", _("recorded a procedural event")),
    EventType("case.view", _("viewed a criminal case"), reads_personal_data=True),
    EventType("case.search", _("searched criminal cases"), reads_personal_data=True),
    EventType("violation.open", _("found a violation of a safeguard")),
    EventType("violation.status", _("answered a violation")),
    EventType("violation.view", _("viewed a violation"), reads_personal_data=True),
]

EVENTS: dict[str, EventType] = {event.code: event for event in _ALL}
EVENT_CHOICES = [(event.code, event.label) for event in _ALL]


def register(*events: EventType) -> None:
    """Add the codes of a higher app (from its AppConfig.ready()); a code means one thing."""
    for event in events:
        known = EVENTS.get(event.code)
        if known is not None and known != event:
            raise ValueError(f"Audit event code {event.code!r} is already registered differently")
        if known is None:
            EVENTS[event.code] = event
            EVENT_CHOICES.append((event.code, event.label))


def label_for(code: str) -> str:
    event = EVENTS.get(code)
    return str(event.label) if event else code
