"""What the court services share: who acts, the messages, loading a case for a change."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.access import MESSAGE_INACTIVE, require
from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.courts.models import CourtCase, Hearing

MESSAGE_NOT_COURT_STAFF = _("Only the judges of the court hearing this case may do this.")
MESSAGE_NOT_SOCIAL_WORKER = _(
    "Only a social worker of the court hearing this case files its report."
)
MESSAGE_NOT_JUVENILE_COURT = _("Choose a juvenile court.")
MESSAGE_DECIDED = _("The case is already decided: nothing more can be recorded in it.")
MESSAGE_NO_CHILD = _("Choose the child the case concerns.")
MESSAGE_MATTER = _("Choose what the civil case is about.")
MESSAGE_ARTICLE = _("Choose an article of the Code of Administrative Offences in force.")
MESSAGE_FOREIGN_ONLY_ADOPTION = _("Only an adoption can be marked as by foreign citizens.")
MESSAGE_PARTY_NAME = _("Enter the name of each party.")
MESSAGE_PARTY_ROLE = _("Choose the role of each party.")
MESSAGE_FUTURE = _("The time cannot be in the future.")
MESSAGE_JUDGE = _("Choose a judge of this court.")
MESSAGE_COURTROOM = _("Choose a courtroom of this court.")
MESSAGE_DURATION = _("Enter the length of the hearing in minutes, from 10 to 600.")
MESSAGE_BEFORE_RECEIPT = _(
    "The hearing cannot be before the court received the case (%(received)s)."
)
MESSAGE_JUDGE_BUSY = _(
    "The judge already has a hearing at this time: %(case)s, %(start)s–%(end)s. "
    "Choose another time."
)
MESSAGE_ROOM_BUSY = _(
    "The courtroom is taken at this time: %(case)s, %(start)s–%(end)s. Choose another time or "
    "courtroom."
)
MESSAGE_NOT_SCHEDULED = _("This hearing is no longer scheduled: it is «%(status)s».")
MESSAGE_REASON = _("Say why the hearing is adjourned.")
MESSAGE_SUMMONED = _("Choose who is summoned.")
MESSAGE_NAME = _("Enter the name of the person summoned.")
MESSAGE_PARTICIPANT = _("Choose a person recorded in the criminal case.")
MESSAGE_BEFORE_HEARING = _("Presence is recorded once the hearing has begun.")
MESSAGE_UNKNOWN_SUMMONS = _("Answer for the people summoned to this hearing only.")
MESSAGE_NO_HEARING = _("A judgment needs a hearing: record that a hearing was held first.")
MESSAGE_REPORT_EXISTS = _("The report for this case is already filed.")
MESSAGE_REPORT_AFTER = _("The report is filed before the judgment: this case is already decided.")
MESSAGE_FAMILY = _("Describe the family situation.")
MESSAGE_ALTERNATIVES = _("Enter the alternatives to custody the report proposes.")
MESSAGE_FOLLOWED = _("Say whether the court followed the social worker's report.")
MESSAGE_NO_REPORT_TO_FOLLOW = _("There is no report in this case for the court to follow.")
MESSAGE_DECISION = _("Choose the decision.")
MESSAGE_PENALTY = _("Choose a penalty in force on the day of the decision.")
MESSAGE_NO_PENALTY = _("A penalty is only imposed by a decision to impose one.")
MESSAGE_FINE = _("Enter the amount of the fine.")
MESSAGE_BEFORE_HEARD = _("The decision cannot be before the first hearing held (%(held)s).")
MESSAGE_NOT_CRIMINAL = _("This is recorded in a criminal case only.")
MESSAGE_COURTROOM_NAME = _("Enter the name of the courtroom.")
MESSAGE_COURTROOM_EXISTS = _("The court already has a courtroom of this name.")
MESSAGE_CRIMINAL = _("Criminal cases come from the proceeding when the indictment is approved.")

JUDGES = (Role.JUDGE,)
SOCIAL_WORKERS = (Role.COURT_SOCIAL_WORKER,)


def active(actor: User) -> None:
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_INACTIVE)


def require_court(court: Agency | None) -> Agency:
    if court is None or court.agency_type != AgencyType.JUVENILE_COURT or not court.is_active:
        raise ValidationError({"court": MESSAGE_NOT_JUVENILE_COURT})
    return court


def is_judge_of(actor: User, court_id: int) -> bool:
    """A judge of the court (and a superuser) runs its cases."""
    if actor.is_superuser:
        return True
    return (
        actor.is_active
        and actor.has_perm("courts.change_courtcase")
        and actor.has_role(*JUDGES)
        and actor.agency_id == court_id
    )


def is_social_worker_of(actor: User, court_id: int) -> bool:
    if actor.is_superuser:
        return True
    return (
        actor.is_active
        and actor.has_perm("courts.add_socialworkerreport")
        and actor.has_role(*SOCIAL_WORKERS)
        and actor.agency_id == court_id
    )


def case_for_judge(actor: User, case: CourtCase) -> CourtCase:
    """The case locked for a change by a judge of its court; refused for anyone else.

    The lock keeps two changes at once (two hearings booked, a judgment twice) from both
    reading the case as it was.
    """
    require(actor, "courts.change_courtcase")
    locked = CourtCase.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    if locked is None or not is_judge_of(actor, locked.court_id):
        raise PermissionDenied(MESSAGE_NOT_COURT_STAFF)
    return locked


def require_undecided(case: CourtCase) -> None:
    if case.is_decided:
        raise ValidationError(MESSAGE_DECIDED)


def judge_of_court(judge: User | None, court_id: int) -> User:
    if (
        judge is None
        or not judge.is_active
        or judge.agency_id != court_id
        or not judge.groups.filter(name=Role.JUDGE).exists()
    ):
        raise ValidationError({"judge": MESSAGE_JUDGE})
    return judge


def hearing_for_judge(actor: User, hearing: Hearing) -> tuple[CourtCase, Hearing]:
    case = case_for_judge(actor, hearing.case)
    locked = Hearing.objects.select_for_update().get(pk=hearing.pk)
    return case, locked
