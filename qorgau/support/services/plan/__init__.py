"""Every change to an individual support plan: each checks the actor, validates, writes, audits.

Who does what (docs/support-plan.md):
- plan makers (court social workers, social psychologists, probation inspectors, juvenile
  police inspectors, child-rights specialists: `support.add_supportplan`) draw up a plan for a
  minor whose record they may see; their agency leads it and they coordinate it;
- staff of an agency working in the plan (the lead agency, or one that accepted a task) add
  needs and tasks; a task for their own agency starts in progress, a task for another agency
  is a referral that agency must answer;
- staff of the receiving agency who take tasks (`support.change_plantask`, plan makers and
  institution staff) accept a referral, naming who does it, or decline it with a reason, and
  mark their agency's tasks done with a result;
- the coordinator, or a plan maker of the lead agency, cancels a task with a reason and closes
  the plan with a note.
"""

from qorgau.support.services.plan.common import (
    DUE_HORIZON_YEARS,
    MESSAGE_ACTION,
    MESSAGE_AGENCY_CLOSED,
    MESSAGE_ALREADY_PLANNED,
    MESSAGE_ASSIGNEE_AGENCY,
    MESSAGE_ASSIGNEE_LATER,
    MESSAGE_CANCEL_REASON,
    MESSAGE_CLOSING_NOTE,
    MESSAGE_DESCRIPTION,
    MESSAGE_DUE_FAR,
    MESSAGE_DUE_PAST,
    MESSAGE_JUVENILE_NOT_VISIBLE,
    MESSAGE_NEED_EXISTS,
    MESSAGE_NO_AGENCY,
    MESSAGE_NOBODY_TO_ANSWER,
    MESSAGE_NOT_ACTIVE,
    MESSAGE_NOT_COORDINATOR,
    MESSAGE_NOT_OPEN,
    MESSAGE_NOT_PROPOSED,
    MESSAGE_NOT_RECEIVER,
    MESSAGE_NOT_WORKING,
    MESSAGE_PLAN_CLOSED,
    MESSAGE_REASON,
    MESSAGE_RESULT,
    MESSAGE_TASKS_LEFT,
    MESSAGE_WRONG_ASSESSMENT,
    MESSAGE_WRONG_CASE,
    answerers,
    takes_tasks,
    working_agency_ids,
)
from qorgau.support.services.plan.plans import (
    add_need,
    add_need_within,
    close_plan,
    open_plan,
    open_plan_within,
    view_plan,
)
from qorgau.support.services.plan.tasks import (
    accept_referral,
    add_task,
    cancel_task,
    complete_task,
    decline_referral,
)

__all__ = [
    "DUE_HORIZON_YEARS",
    "MESSAGE_ACTION",
    "MESSAGE_AGENCY_CLOSED",
    "MESSAGE_ALREADY_PLANNED",
    "MESSAGE_ASSIGNEE_AGENCY",
    "MESSAGE_ASSIGNEE_LATER",
    "MESSAGE_CANCEL_REASON",
    "MESSAGE_CLOSING_NOTE",
    "MESSAGE_DESCRIPTION",
    "MESSAGE_DUE_FAR",
    "MESSAGE_DUE_PAST",
    "MESSAGE_JUVENILE_NOT_VISIBLE",
    "MESSAGE_NEED_EXISTS",
    "MESSAGE_NOBODY_TO_ANSWER",
    "MESSAGE_NOT_ACTIVE",
    "MESSAGE_NOT_COORDINATOR",
    "MESSAGE_NOT_OPEN",
    "MESSAGE_NOT_PROPOSED",
    "MESSAGE_NOT_RECEIVER",
    "MESSAGE_NOT_WORKING",
    "MESSAGE_NO_AGENCY",
    "MESSAGE_PLAN_CLOSED",
    "MESSAGE_REASON",
    "MESSAGE_RESULT",
    "MESSAGE_TASKS_LEFT",
    "MESSAGE_WRONG_ASSESSMENT",
    "MESSAGE_WRONG_CASE",
    "accept_referral",
    "add_need",
    "add_need_within",
    "add_task",
    "answerers",
    "cancel_task",
    "close_plan",
    "complete_task",
    "decline_referral",
    "open_plan",
    "open_plan_within",
    "takes_tasks",
    "view_plan",
    "working_agency_ids",
]
