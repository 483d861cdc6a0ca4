"""Who the benchmark signs in as and what it opens, chosen by queries on any populated database.

"Typical" means the median of a sample spread evenly over the table (by primary key, so the
choice is the same on every run over the same data), never the smallest: the case with the
median number of procedural events, the plan with the median number of tasks, the signed
report with the median PDF size. The users come from the chosen objects (the case's own
investigator, prosecutor and defender), so each of them sees what they are asked to open.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, Model, OuterRef, QuerySet

from qorgau.accounts.models import Role, User
from qorgau.courts.models import CourtCase
from qorgau.mediation.models import Mediation
from qorgau.people.models import Juvenile
from qorgau.probation.models import Release, Supervision
from qorgau.proceedings.models import Accused, Participant, ParticipantRole, Proceeding
from qorgau.safeguards.models import Violation
from qorgau.support.models import Assessment, PortraitReport, SupportPlan
from qorgau.support.models.assessment import AssessmentStatus
from qorgau.support.models.portrait import ReportStatus

SAMPLE = 1000


@dataclass
class Picks:
    """The users (by actor name) and the objects the pages open; None where the data has none."""

    users: dict[str, User] = field(default_factory=dict)
    case: Proceeding | None = None
    case_events: int = 0
    minor: Accused | None = None
    juvenile: Juvenile | None = None
    violation: Violation | None = None
    assessment: Assessment | None = None
    plan: SupportPlan | None = None
    mediation: Mediation | None = None
    supervision: Supervision | None = None
    release: Release | None = None
    signed_report: PortraitReport | None = None
    draft_report: PortraitReport | None = None
    court_case: CourtCase | None = None

    def describe(self) -> dict[str, Any]:
        """What was chosen, for the results file: ids and the sizes that make them typical."""
        out: dict[str, Any] = {
            "users": {
                actor: {"username": user.username, "roles": user.roles, "agency": user.agency_id}
                for actor, user in self.users.items()
            }
        }
        if self.case is not None:
            out["case"] = {"id": self.case.pk, "number": self.case.number}
            out["case"]["events"] = self.case_events
        objects: dict[str, Model | None] = {
            "minor": self.minor,
            "juvenile": self.juvenile,
            "violation": self.violation,
            "assessment": self.assessment,
            "plan": self.plan,
            "mediation": self.mediation,
            "supervision": self.supervision,
            "release": self.release,
            "signed_report": self.signed_report,
            "draft_report": self.draft_report,
            "court_case": self.court_case,
        }
        out.update({name: {"id": obj.pk} for name, obj in objects.items() if obj is not None})
        if self.plan is not None:
            out["plan"]["tasks"] = self.plan.tasks.count()
        if self.signed_report is not None:
            out["signed_report"]["pdf_bytes"] = self.signed_report.pdf_size
        return out


def sample[M: Model](qs: QuerySet[M], size: int = SAMPLE) -> QuerySet[M]:
    """Up to `size` rows spread evenly over the table by primary key."""
    ids = list(qs.order_by("pk").values_list("pk", flat=True))
    step = max(1, len(ids) // size)
    return qs.filter(pk__in=ids[::step][:size])


def median_by[M: Model](qs: QuerySet[M], measure: Any = None) -> tuple[M | None, int]:
    """The row at the median of `measure` (an expression; None: the id) in a sample, and its
    value. Only ids and values are read for the sample (a report's PDF stays in the table)."""
    value = measure if measure is not None else F("pk")
    rows = list(sample(qs).annotate(n=value).order_by("n", "pk").values_list("pk", "n"))
    if not rows:
        return None, 0
    pk, n = rows[len(rows) // 2]
    return qs.model._default_manager.get(pk=pk), int(n or 0)


def usable(user: User | None) -> bool:
    """Active, in an active agency: someone who can sign in and see their agency's work."""
    return (
        user is not None
        and user.is_active
        and user.agency_id is not None
        and user.agency is not None
        and user.agency.is_active
    )


def role_user(role: str) -> User | None:
    """A user of the role who can sign in, in an active agency: the median by id."""
    staff = User.objects.filter(groups__name=role, is_active=True, agency__is_active=True)
    return median_by(staff)[0]


def choose_case() -> tuple[Proceeding | None, int]:
    """The case with the median number of events among those with a prosecutor and a defender
    (so those roles open it too); among all cases with events when none has both."""
    with_events = Proceeding.objects.annotate(
        has_events=Exists(Accused.objects.filter(proceeding=OuterRef("pk"), events__isnull=False))
    ).filter(has_events=True)
    defended = Participant.objects.filter(
        proceeding=OuterRef("pk"), role=ParticipantRole.DEFENDER, user__isnull=False
    )
    staffed = with_events.filter(Exists(defended), prosecutor__isnull=False)
    for candidates in (staffed, with_events):
        case, events = median_by(candidates, Count("events"))
        if case is not None and usable(case.investigator):
            return case, events
    return None, 0


def choose() -> Picks:
    picks = Picks()
    users = picks.users
    picks.case, picks.case_events = choose_case()
    case = picks.case
    if case is not None:
        users["investigator"] = case.investigator
        picks.minor = case.accused.annotate(n=Count("events")).order_by("-n", "pk").first()
        if picks.minor is not None:
            picks.juvenile = picks.minor.juvenile
        if usable(case.prosecutor):
            users["prosecutor"] = case.prosecutor  # type: ignore[assignment]
        defender = (
            Participant.objects.filter(
                proceeding=case, role=ParticipantRole.DEFENDER, user__isnull=False
            )
            .select_related("user")
            .first()
        )
        if defender is not None and usable(defender.user):
            users["defender"] = defender.user  # type: ignore[assignment]
    _accompaniment(picks)
    # Users the case did not give: a portrait's psychologist, else the median of each role.
    lead = users.get("portrait_lead")
    if lead is not None and lead.has_role(Role.SOCIAL_PSYCHOLOGIST):
        users["psychologist"] = lead
    fallbacks = {
        "investigator": Role.INVESTIGATOR,
        "prosecutor": Role.PROSECUTOR,
        "defender": Role.DEFENCE_LAWYER,
        "psychologist": Role.SOCIAL_PSYCHOLOGIST,
        "analyst": Role.ANALYST,
    }
    for actor, role in fallbacks.items():
        if actor not in users:
            user = role_user(role)
            if user is not None:
                users[actor] = user
    _juvenile_with_iin(picks)
    _violation(picks)
    _court(picks)
    return picks


def _court(picks: Picks) -> None:
    """The court case with the median number of hearings, its judge, and a social worker of
    its court (each sees the case and the court's pages)."""
    picks.court_case, _ = median_by(CourtCase.objects.exclude(judge=None), Count("hearings"))
    if picks.court_case is None:
        return
    judge = picks.court_case.judge
    if usable(judge):
        picks.users["judge"] = judge  # type: ignore[assignment]
    worker = median_by(
        User.objects.filter(
            groups__name=Role.COURT_SOCIAL_WORKER, is_active=True,
            agency_id=picks.court_case.court_id,
        )
    )[0]  # fmt: skip
    if usable(worker):
        picks.users["court_social_worker"] = worker  # type: ignore[assignment]


def _juvenile_with_iin(picks: Picks) -> None:
    """The case's minor when it has an IIN, else a typical visible juvenile that has one."""
    investigator = picks.users.get("investigator")
    if investigator is None or (picks.juvenile is not None and picks.juvenile.iin):
        return
    visible = Juvenile.objects.visible_to(investigator).exclude(iin=None).exclude(iin="")
    found, _ = median_by(visible, Count("accusations"))
    picks.juvenile = found or picks.juvenile


def _violation(picks: Picks) -> None:
    """One of the case's violations, else the median one in the prosecutor's cases."""
    prosecutor = picks.users.get("prosecutor")
    if prosecutor is None:
        return
    in_case = Violation.objects.filter(proceeding=picks.case).order_by("pk").first()
    cases = Proceeding.objects.visible_to(prosecutor).values("pk")
    picks.violation = in_case or median_by(Violation.objects.filter(proceeding__in=cases))[0]


def _accompaniment(picks: Picks) -> None:
    users = picks.users
    assessments = Assessment.objects.filter(status=AssessmentStatus.COMPLETED)
    picks.assessment, _ = median_by(assessments)
    if picks.assessment is not None and usable(picks.assessment.author):
        users["assessor"] = picks.assessment.author
    picks.plan, _ = median_by(SupportPlan.objects.all(), Count("tasks"))
    if picks.plan is not None and usable(picks.plan.coordinator):
        users["coordinator"] = picks.plan.coordinator
    picks.mediation, _ = median_by(Mediation.objects.all(), Count("sessions"))
    if picks.mediation is not None:
        mediator = picks.mediation.mediator
        users["mediator"] = (
            mediator if usable(mediator) else picks.mediation.proceeding.investigator
        )
    _probation(picks)
    signed = PortraitReport.objects.filter(status=ReportStatus.SIGNED, pdf_size__isnull=False)
    picks.signed_report, _ = median_by(signed, F("pdf_size"))
    if picks.signed_report is not None:
        # The reader the report is written for: the investigator of its case.
        users["report_reader"] = picks.signed_report.portrait.accused.proceeding.investigator
    picks.draft_report, _ = median_by(PortraitReport.objects.filter(status=ReportStatus.DRAFT))
    if picks.draft_report is not None and usable(picks.draft_report.portrait.lead):
        users["portrait_lead"] = picks.draft_report.portrait.lead


def _probation(picks: Picks) -> None:
    """The supervision with the median number of check-ins, its inspector, and a release."""
    picks.supervision, _ = median_by(Supervision.objects.all(), Count("checkins"))
    if picks.supervision is not None:
        inspector = picks.supervision.inspector
        if not usable(inspector):
            inspector = median_by(
                User.objects.filter(
                    agency_id=picks.supervision.agency_id,
                    groups__name=Role.PROBATION_INSPECTOR,
                    is_active=True,
                )
            )[0]
        if usable(inspector):
            picks.users["inspector"] = inspector  # type: ignore[assignment]
            # A release the same service follows up, so that the inspector may open it.
            releases = Release.objects.filter(agency_id=picks.supervision.agency_id)
            picks.release, _ = median_by(releases)
