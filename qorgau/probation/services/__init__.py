"""Every change to a supervision or a release: each checks the actor, validates, writes in one
transaction, audits.

The judgment taking effect hands the minor to the probation service of the minor's district
(`receive_sentence`, from the proceedings' event signal). Its inspectors register the minor,
set the plan, record check-ins, breaches, hours worked and the end; they record releases from
closed institutions, which open a re-socialization plan on the support plan, and its follow-ups.
"""

from qorgau.probation.services.common import (
    MESSAGE_ALREADY_REGISTERED,
    MESSAGE_CHECKED_IN,
    MESSAGE_DEFERRAL_GROUND,
    MESSAGE_END_BEFORE_START,
    MESSAGE_HOURS_BEYOND,
    MESSAGE_HOURS_REQUIRED,
    MESSAGE_NEW_CASE,
    MESSAGE_NO_HOURS,
    MESSAGE_NOT_INSPECTOR,
    MESSAGE_NOT_PROBATION,
    MESSAGE_NOT_SUPERVISED,
    MESSAGE_REASON,
    add_months,
    may_record,
    probation_agency_for,
)
from qorgau.probation.services.release import (
    AREA_NEEDS,
    MESSAGE_AREAS,
    MESSAGE_FOLLOW_UP_DONE,
    MESSAGE_NOT_FOLLOWING,
    MESSAGE_OTHER_PLAN,
    record_follow_up,
    record_release,
    view_release,
)
from qorgau.probation.services.supervision import (
    end_supervision,
    receive_sentence,
    record_breach,
    record_check_in,
    record_hours,
    register,
    set_plan,
    view_supervision,
)
from qorgau.probation.services.sweep import SweepResult, sweep

__all__ = [
    "AREA_NEEDS",
    "MESSAGE_ALREADY_REGISTERED",
    "MESSAGE_AREAS",
    "MESSAGE_CHECKED_IN",
    "MESSAGE_DEFERRAL_GROUND",
    "MESSAGE_END_BEFORE_START",
    "MESSAGE_FOLLOW_UP_DONE",
    "MESSAGE_HOURS_BEYOND",
    "MESSAGE_HOURS_REQUIRED",
    "MESSAGE_NEW_CASE",
    "MESSAGE_NOT_FOLLOWING",
    "MESSAGE_NOT_INSPECTOR",
    "MESSAGE_NOT_PROBATION",
    "MESSAGE_NOT_SUPERVISED",
    "MESSAGE_NO_HOURS",
    "MESSAGE_OTHER_PLAN",
    "MESSAGE_REASON",
    "SweepResult",
    "add_months",
    "end_supervision",
    "may_record",
    "probation_agency_for",
    "receive_sentence",
    "record_breach",
    "record_check_in",
    "record_follow_up",
    "record_hours",
    "record_release",
    "register",
    "set_plan",
    "sweep",
    "view_release",
    "view_supervision",
]
