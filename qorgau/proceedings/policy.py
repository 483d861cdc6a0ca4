"""Who may record which step, and which steps each stage of a minor's case allows.

This is the procedure's order and the division of labour between agencies; the figures the
law fixes (ages, measures, grounds, punishments) are in rules/<profile>.yaml.
"""

from qorgau.accounts.models import Role
from qorgau.proceedings.models import EventKind as K
from qorgau.proceedings.models import ParticipantRole
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


# The fields each step records besides its time, document number and notes:
# (required, optional), in the order forms ask for them. The services refuse any other field.
F = tuple[str, ...]
EVENT_FIELDS: dict[str, tuple[F, F]] = {
    K.DETENTION: (("place", "performed_by", "held_separately"), ("attendees",)),
    K.REPRESENTATIVE_NOTIFIED: (("method", "participant"), ()),
    K.DEFENDER_ASSIGNED: (("participant",), ()),
    K.DEFENDER_ARRIVED: (("participant",), ()),
    K.PSYCHOLOGIST_PRESENT: (("participant",), ()),
    K.INTERROGATION: (("ended_at",), ("place", "breaks", "attendees")),
    K.PREVENTIVE_MEASURE: (("measure",), ("term_days", "court_sanctioned")),
    K.RELEASE: ((), ()),
    K.TERMINATION: (("ground",), ()),
    K.TERMINATION_APPROVED: ((), ()),
    K.INDICTMENT: ((), ()),
    K.INDICTMENT_APPROVED: (("court",), ()),
    K.JUDGMENT: (
        ("verdict",),
        (
            "punishment",
            "term_months",
            "fine_amount",
            "conditional",
            "probation_months",
            "deferred",
            "deferral_months",
        ),
    ),
    K.APPEAL: (("performed_by",), ()),
    K.APPEAL_DECISION: (("appeal_outcome",), ()),
    K.JUDGMENT_IN_FORCE: ((), ()),
    K.CLOSED: ((), ()),
}
# Who was present can be recorded for any step (the "author and attendees").
EVERY_EVENT: F = ("attendees", "document_number", "notes")


def event_fields(kind: str) -> set[str]:
    required, optional = EVENT_FIELDS[K(kind)]
    return {*required, *optional, *EVERY_EVENT}


# The same for a person added to a case, by their role in it.
P = ParticipantRole
PARTICIPANT_FIELDS: dict[str, tuple[F, F]] = {
    P.LEGAL_REPRESENTATIVE: (("relative",), ("accused",)),
    P.DEFENDER: (("user",), ("accused", "state_paid")),
    P.SOCIAL_PSYCHOLOGIST: (("user",), ("accused",)),
    P.PEDAGOGUE: (("full_name",), ("accused", "user")),
    P.VICTIM: (("full_name",), ("is_minor",)),
    P.ADULT_COPARTICIPANT: (("full_name",), ("tried_in",)),
}
EVERY_PARTICIPANT: F = ("phone", "notes")
# People who stand for one minor: with one minor in the case, for that one.
FOR_A_MINOR = {P.LEGAL_REPRESENTATIVE, P.DEFENDER, P.SOCIAL_PSYCHOLOGIST, P.PEDAGOGUE}
# Staff who take part in a case, and the role they must hold.
STAFF_ROLE_FOR = {P.DEFENDER: Role.DEFENCE_LAWYER, P.SOCIAL_PSYCHOLOGIST: Role.SOCIAL_PSYCHOLOGIST}

# Who may change a case besides recording events.
OPEN_CASE = frozenset({Role.INVESTIGATOR})
ADD_ACCUSED = frozenset({Role.INVESTIGATOR})
ADD_PARTICIPANT = frozenset({Role.INVESTIGATOR, Role.JUDGE})
REQUALIFY = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR, Role.JUDGE})
SET_PROSECUTOR = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR})
