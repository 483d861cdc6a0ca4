"""Who may record which step, and which steps each stage of a minor's case allows.

This is the procedure's order and the division of labour between agencies; the figures the
law fixes (ages, measures, grounds, punishments) are in rules/<profile>.yaml.
"""

from qorgau.accounts.models import Role
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import Stage as S

INVESTIGATIVE = {
    K.DETENTION,
    K.REPRESENTATIVE_NOTIFIED,
    K.DEFENDER_ASSIGNED,
    K.DEFENDER_ARRIVED,
    K.PSYCHOLOGIST_PRESENT,
    K.INTERROGATION,
    K.PREVENTIVE_MEASURE,
    K.RELEASE,
}
IN_COURT = {
    K.REPRESENTATIVE_NOTIFIED,
    K.DEFENDER_ASSIGNED,
    K.DEFENDER_ARRIVED,
    K.PSYCHOLOGIST_PRESENT,
    K.PREVENTIVE_MEASURE,
    K.RELEASE,
    K.JUDGMENT,
}

# Which events each stage allows.
ALLOWED = {
    S.REGISTERED: INVESTIGATIVE,
    S.INVESTIGATION: INVESTIGATIVE
    | {K.TERMINATION, K.TERMINATION_APPROVED, K.INDICTMENT, K.INDICTMENT_APPROVED},
    S.IN_COURT: IN_COURT,
    S.JUDGMENT: {K.APPEAL, K.JUDGMENT_IN_FORCE, K.RELEASE},
    S.APPEAL: {K.APPEAL_DECISION, K.RELEASE},
    S.SENTENCE_EXECUTION: {K.CLOSED},
    S.TERMINATED: set(),
    S.CLOSED: set(),
}

# Which roles record each event. Before the court, measures and release are the
# investigator's; in court, the judge's.
ROLES = {
    K.DETENTION: {Role.INVESTIGATOR},
    K.REPRESENTATIVE_NOTIFIED: {Role.INVESTIGATOR, Role.JUDGE},
    K.DEFENDER_ASSIGNED: {Role.INVESTIGATOR, Role.JUDGE},
    K.DEFENDER_ARRIVED: {Role.DEFENCE_LAWYER},
    K.PSYCHOLOGIST_PRESENT: {Role.SOCIAL_PSYCHOLOGIST},
    K.INTERROGATION: {Role.INVESTIGATOR},
    K.PREVENTIVE_MEASURE: {Role.INVESTIGATOR, Role.JUDGE},
    K.RELEASE: {Role.INVESTIGATOR, Role.JUDGE},
    K.TERMINATION: {Role.INVESTIGATOR},
    K.TERMINATION_APPROVED: {Role.PROSECUTOR},
    K.INDICTMENT: {Role.INVESTIGATOR},
    K.INDICTMENT_APPROVED: {Role.PROSECUTOR},
    K.JUDGMENT: {Role.JUDGE},
    K.APPEAL: {Role.DEFENCE_LAWYER, Role.PROSECUTOR},
    K.APPEAL_DECISION: {Role.JUDGE},
    K.JUDGMENT_IN_FORCE: {Role.JUDGE},
    K.CLOSED: {Role.JUDGE, Role.PROBATION_INSPECTOR},
}

# The roles that act in court; the others act before it.
COURT_ROLES = {Role.JUDGE}
BEFORE_COURT = {S.REGISTERED, S.INVESTIGATION}


def conducts(role: str, stage: str) -> bool:
    """Whether the role acts at this stage: the investigator before the court, the judge in it."""
    if role == Role.INVESTIGATOR:
        return stage in BEFORE_COURT
    if role in COURT_ROLES:
        return stage not in BEFORE_COURT
    return True


def kinds_allowed(stage: str) -> set[str]:
    return {str(kind) for kind in ALLOWED[S(stage)]}


def roles_for(kind: str) -> set[str]:
    return {str(role) for role in ROLES[K(kind)]}
