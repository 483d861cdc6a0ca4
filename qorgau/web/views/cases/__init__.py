"""The case pages: the list, opening a case, the case page, its events, people and charges."""

from qorgau.web.views.cases.events import event_choose, event_form
from qorgau.web.views.cases.listing import case_create, case_list
from qorgau.web.views.cases.page import case_detail
from qorgau.web.views.cases.people import (
    accused_add,
    charge_requalify,
    participant_choose,
    participant_form,
    prosecutor_set,
)

__all__ = [
    "accused_add",
    "case_create",
    "case_detail",
    "case_list",
    "charge_requalify",
    "event_choose",
    "event_form",
    "participant_choose",
    "participant_form",
    "prosecutor_set",
]
