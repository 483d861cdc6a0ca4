"""Every change to a case: each checks the actor, validates, writes in one transaction, audits."""

from qorgau.proceedings.services.cases import (
    add_accused,
    add_participant,
    add_participant_within,
    log_case_search,
    open_case,
    requalify_charge,
    set_prosecutor,
    view_case,
)
from qorgau.proceedings.services.events import record_event, record_event_within

__all__ = [
    "add_accused",
    "add_participant",
    "add_participant_within",
    "log_case_search",
    "open_case",
    "record_event",
    "record_event_within",
    "requalify_charge",
    "set_prosecutor",
    "view_case",
]
