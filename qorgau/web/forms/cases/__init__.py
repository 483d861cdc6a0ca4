"""Forms of the case pages."""

from qorgau.web.forms.cases.case import (
    AccusedForm,
    CaseFilterForm,
    CaseForm,
    ParticipantForm,
    ParticipantRoleForm,
    ProsecutorForm,
    RequalifyForm,
)
from qorgau.web.forms.cases.events import EventForm, EventKindForm

__all__ = [
    "AccusedForm",
    "CaseFilterForm",
    "CaseForm",
    "EventForm",
    "EventKindForm",
    "ParticipantForm",
    "ParticipantRoleForm",
    "ProsecutorForm",
    "RequalifyForm",
]
