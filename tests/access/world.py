"""The small world the access matrix walks: one child, one case, and everyone around it.

Built once per module through the services, as users would build it. Region A is Almaty city
(the case is in its Auezov district), region B is Astana. Each persona is `role@relation`:

- `@case`     their agency takes part in the case in its procedural role: the investigator in
              charge, the supervising prosecutor, the judge's court (judge, court social
              worker), the consultation of the minor's defender and psychologist (with its
              intern); the juvenile police unit registered the child's record (own agency).
- `@agency`   a colleague in the same agency as one of the case's people (another investigator
              of the unit, prosecutor of the office, judge of the court, lawyer or psychologist
              of the consultation), not on the case themselves.
- `@task`     their agency's only link is a task of the child's support plan (probation,
              children's institution, child-rights body).
- `@region`   another agency of the same region, not on the case (the analyst sits in one).
- `@elsewhere` an agency of another region.
- `@none`     no agency (the administrator); `anonymous` is nobody signed in.
"""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from qorgau.accounts import services as accounts
from qorgau.accounts.models import Agency, AgencyType, Role, User
from qorgau.audit.models import AuditEvent
from qorgau.courts import services as courts
from qorgau.courts.models import CourtCase, Courtroom
from qorgau.defence import services as defence
from qorgau.defence.models import Duty
from qorgau.mediation import services as mediation
from qorgau.people import services as people
from qorgau.people.models import Juvenile, Relation, Relative
from qorgau.probation import services as probation
from qorgau.probation.models import Supervision
from qorgau.proceedings import services as proceedings
from qorgau.proceedings.models import EventKind, ParticipantRole, Proceeding
from qorgau.safeguards.models import Violation
from qorgau.support.instrument import library
from qorgau.support.models import (
    REPORT_SECTIONS,
    Assessment,
    InterviewWith,
    NeedKind,
    PortraitReport,
)
from qorgau.support.services import assessment as assessments
from qorgau.support.services import plan as plans
from qorgau.support.services import portrait as portraits
from tests import factories
from tests.proceedings import factories as case_factories
from tests.proceedings.factories import CaseFile, Team

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)

# The agency each role works in.
AGENCY_OF = {
    Role.INVESTIGATOR: AgencyType.INVESTIGATION_UNIT,
    Role.JUVENILE_POLICE_INSPECTOR: AgencyType.JUVENILE_POLICE,
    Role.PROSECUTOR: AgencyType.PROSECUTOR_OFFICE,
    Role.DEFENCE_LAWYER: AgencyType.LEGAL_CONSULTATION,
    Role.SOCIAL_PSYCHOLOGIST: AgencyType.LEGAL_CONSULTATION,
    Role.PSYCHOLOGY_INTERN: AgencyType.LEGAL_CONSULTATION,
    Role.JUDGE: AgencyType.JUVENILE_COURT,
    Role.COURT_SOCIAL_WORKER: AgencyType.JUVENILE_COURT,
    Role.PROBATION_INSPECTOR: AgencyType.PROBATION,
    Role.INSTITUTION_STAFF: AgencyType.CHILDREN_INSTITUTION,
    Role.CHILD_RIGHTS_SPECIALIST: AgencyType.CHILD_RIGHTS_BODY,
    Role.ANALYST: AgencyType.PROSECUTOR_OFFICE,
}
CASE_ROLES = [
    Role.INVESTIGATOR,
    Role.JUVENILE_POLICE_INSPECTOR,
    Role.PROSECUTOR,
    Role.DEFENCE_LAWYER,
    Role.SOCIAL_PSYCHOLOGIST,
    Role.PSYCHOLOGY_INTERN,
    Role.JUDGE,
    Role.COURT_SOCIAL_WORKER,
]
# Colleagues of the case's people in the same agency, not on the case themselves.
COLLEAGUE_ROLES = [
    Role.INVESTIGATOR,
    Role.PROSECUTOR,
    Role.DEFENCE_LAWYER,
    Role.SOCIAL_PSYCHOLOGIST,
    Role.JUDGE,
]
TASK_ROLES = [Role.PROBATION_INSPECTOR, Role.INSTITUTION_STAFF, Role.CHILD_RIGHTS_SPECIALIST]
AGENCY_ROLES = [role for role in AGENCY_OF if role != Role.ANALYST]
RELATIONS = ["case", "agency", "task", "region", "elsewhere", "none", "anonymous"]

# Strings that identify the child and the case: the matrix says where each may be shown.
CHILD_SURNAME = "Жолдасбеков"
CHILD_FIRST_NAME = "Арманжан"
NOTE_TEXT = "Құпия жұмыс жазбасы: тек консультация психологтары үшін."


@dataclass
class World:
    personas: dict[str, User | None] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)
    # id -> the model of a versioned record, whose changes send its version in If-Match
    versioned: dict[str, type[Any]] = field(default_factory=dict)
    # token -> the strings that must not appear where the matrix does not allow the token
    secrets: dict[str, list[str]] = field(default_factory=dict)


def _agencies(kato: str, label: str) -> dict[str, Agency]:
    kinds = sorted({str(kind) for kind in AGENCY_OF.values()})
    return {kind: factories.agency(kind, kato, f"{label} {kind}") for kind in kinds}


def person(role: str, relation: str, agency: Agency | None) -> User:
    """A staff member whose name says who they are (no name is part of another one)."""
    return accounts.create_staff(
        actor=factories.superuser(),
        username=f"{role}-{relation}",
        password=factories.PASSWORD,
        roles=[role],
        agency=agency,
        first_name=f"Аты-{role}-{relation}",
        last_name="Тегі",
    )


def _personas_in(agencies: dict[str, Agency], relation: str, roles: list[str]) -> dict[str, User]:
    return {
        f"{role}@{relation}": person(role, relation, agencies[AGENCY_OF[role]]) for role in roles
    }


def build() -> World:
    world = World()
    p: dict[str, User | None] = world.personas
    # The agencies around the case (region A), and one of each kind beside them and elsewhere.
    home = {
        AgencyType.INVESTIGATION_UNIT: factories.agency(
            AgencyType.INVESTIGATION_UNIT, factories.AUEZOV, "Әуезов тергеу"
        ),
        AgencyType.JUVENILE_POLICE: factories.agency(
            AgencyType.JUVENILE_POLICE, factories.AUEZOV, "Әуезов ювеналдық полиция"
        ),
        AgencyType.PROSECUTOR_OFFICE: factories.agency(
            AgencyType.PROSECUTOR_OFFICE, factories.ALMATY_CITY, "Алматы прокуратурасы"
        ),
        AgencyType.LEGAL_CONSULTATION: factories.agency(
            AgencyType.LEGAL_CONSULTATION, factories.ALMATY_CITY, "Ювеналдық заң консультациясы"
        ),
        AgencyType.JUVENILE_COURT: factories.agency(
            AgencyType.JUVENILE_COURT, factories.ALMATY_CITY, "Алматы ювеналдық соты"
        ),
        AgencyType.PROBATION: factories.agency(
            AgencyType.PROBATION, factories.AUEZOV, "Әуезов пробациясы"
        ),
        AgencyType.CHILDREN_INSTITUTION: factories.agency(
            AgencyType.CHILDREN_INSTITUTION, factories.ALMATY_CITY, "Балалар орталығы"
        ),
        AgencyType.CHILD_RIGHTS_BODY: factories.agency(
            AgencyType.CHILD_RIGHTS_BODY, factories.ALMATY_CITY, "Бала құқықтары бөлімі"
        ),
    }
    p.update(_personas_in({str(k): v for k, v in home.items()}, "case", CASE_ROLES))
    p.update(_personas_in({str(k): v for k, v in home.items()}, "agency", COLLEAGUE_ROLES))
    p.update(_personas_in({str(k): v for k, v in home.items()}, "task", TASK_ROLES))
    p.update(_personas_in(_agencies(factories.ALMATY_CITY, "Алматы"), "region", AGENCY_ROLES))
    region = _agencies(factories.ALMATY_CITY, "Алматы талдау")
    p.update(_personas_in(region, "region", [Role.ANALYST]))
    p.update(_personas_in(_agencies(factories.ASTANA, "Астана"), "elsewhere", AGENCY_ROLES))
    p["administrator@none"] = person(Role.ADMINISTRATOR, "none", None)
    p["anonymous"] = None
    # A staff member nobody signs in as: the target of the administrator's sign-in actions.
    bystander = person(Role.INVESTIGATOR, "bystander", home[AgencyType.INVESTIGATION_UNIT])

    def who(role: str, relation: str = "case") -> User:
        user = p[f"{role}@{relation}"]
        assert user is not None
        return user

    investigator, psychologist = who(Role.INVESTIGATOR), who(Role.SOCIAL_PSYCHOLOGIST)
    defender, judge = who(Role.DEFENCE_LAWYER), who(Role.JUDGE)
    team = Team(investigator, who(Role.PROSECUTOR), judge, defender, psychologist)

    # The child, registered by the juvenile police, and the case opened by the investigator.
    offence = case_factories.offence_moment()
    child = case_factories.minor(
        who(Role.JUVENILE_POLICE_INSPECTOR),
        timezone.localdate(offence),
        16,
        last_name=CHILD_SURNAME,
        first_name=CHILD_FIRST_NAME,
    )
    mother = people.add_relative(
        actor=who(Role.JUVENILE_POLICE_INSPECTOR),
        juvenile=child,
        relation=Relation.MOTHER,
        is_legal_representative=True,
        last_name=CHILD_SURNAME + "а",
        first_name="Гүлнар",
    )
    case = case_factories.open_case(team, child, offence_at=offence)
    file = CaseFile(team, case, case.accused.get())
    file.representative = proceedings.add_participant(
        actor=investigator,
        proceeding=case,
        role=ParticipantRole.LEGAL_REPRESENTATIVE,
        accused=file.accused,
        relative=mother,
    )

    # Detained an hour after the offence; the on-duty pair assigned from the roster.
    for member, duty in ((defender, Duty.DEFENDER), (psychologist, Duty.PSYCHOLOGIST)):
        shift = defence.add_shift(
            actor=member,
            consultation=home[AgencyType.LEGAL_CONSULTATION],
            member=member,
            duty=duty,
            starts_at=offence,
            ends_at=offence + 12 * H,
        )
    detention = file.record(EventKind.DETENTION, at=offence + H)
    file.record(EventKind.INTERROGATION, at=offence + 2 * H)  # no defender yet: a violation
    assignment = defence.assign_on_duty(
        actor=investigator,
        accused=file.accused,
        defender=defender,
        psychologist=psychologist,
        state_paid=True,
        at=offence + 3 * H,
    )
    file.defender, file.psychologist = assignment.defender, assignment.psychologist
    file.record(EventKind.DEFENDER_ARRIVED, actor=defender, at=offence + 4 * H)

    # The assessment, the portrait (signed report, a confidential note) and a mediation.
    instrument = library().current("risk-needs")
    assert instrument is not None
    answers = {item.id: item.options[0].id for item in instrument.items}
    assessment = assessments.start_assessment(
        actor=psychologist, juvenile=child, accused=file.accused, answers=answers
    )
    assessments.complete_assessment(actor=psychologist, assessment=assessment)
    portrait = portraits.start_portrait(actor=psychologist, accused=file.accused)
    for with_whom, name in ((InterviewWith.MINOR, "Арманжан"), (InterviewWith.MOTHER, "Гүлнар")):
        portraits.record_interview(
            actor=psychologist,
            portrait=portrait,
            with_whom=with_whom,
            name=name,
            held_at=timezone.now() - 5 * H,
            place="Заң консультациясы",
            summary="Әңгіме барысы.",
        )
    portraits.add_note(actor=psychologist, portrait=portrait, text=NOTE_TEXT)
    report = portraits.start_report_version(actor=psychologist, portrait=portrait)
    names = [name for name, _title in REPORT_SECTIONS]
    portraits.update_report(
        actor=psychologist,
        report=report,
        sections={name: f"Мәтін ({name})" for name in names},
        completed=dict.fromkeys(names, True),
        alternatives=["community_works"],
    )
    portraits.sign_report(actor=psychologist, report=report, declaration=True)
    victim = proceedings.add_participant(
        actor=investigator,
        proceeding=case,
        role=ParticipantRole.VICTIM,
        full_name="Ахметова Сәуле Қанатқызы",
    )
    referral = mediation.refer(
        actor=investigator,
        accused=file.accused,
        victim=victim,
        source="investigator",
        mediator=psychologist,
        referred_at=offence + 2 * D,
        condition_confirmed=True,
    )

    # To court: the judge's court joins the case.
    file.record(EventKind.INDICTMENT, at=offence + 3 * D)
    file.record(EventKind.INDICTMENT_APPROVED, at=offence + 4 * D)
    # The court: the minor's court case with a hearing, and a civil case about the child.
    court_case = CourtCase.objects.get(accused=file.accused)
    courtroom = Courtroom.objects.create(court=judge.agency, name="№ 1")
    hearing = courts.schedule_hearing(
        actor=judge, case=court_case, courtroom=courtroom, starts_at=offence + 5 * D, minutes=60
    )
    courts.register_case(
        actor=judge, court=judge.agency, kind="civil", juvenile=child,  # type: ignore[arg-type]
        received_at=offence + D, matter="residence",
        parties=[{"role": "claimant", "full_name": "Қорғаншылық органы"}],
    )  # fmt: skip

    # The support plan: led by the consultation, one task for each task-only agency.
    today = timezone.localdate()
    plan = plans.open_plan(
        actor=psychologist, juvenile=child, accused=file.accused, goal="Оқуын жалғастыру."
    )
    need = plans.add_need(
        actor=psychologist,
        plan=plan,
        kind=NeedKind.PSYCHOLOGICAL,
        description="Психологиялық қолдау.",
        priority="high",
    )
    tasks = {
        role: plans.add_task(
            actor=psychologist,
            need=need,
            action=f"Тапсырма: {role}",
            agency=home[AGENCY_OF[role]],
            due_on=today + 14 * D,
        )
        for role in TASK_ROLES
    }
    probation_task = tasks[Role.PROBATION_INSPECTOR]
    plans.accept_referral(actor=who(Role.PROBATION_INSPECTOR, "task"), task=probation_task)
    other_need = plans.add_need(
        actor=psychologist,
        plan=plan,
        kind=NeedKind.STUDY,
        description="Мектепке қайта оралу.",
    )
    plans.add_task(
        actor=psychologist,
        need=other_need,
        action="Консультацияның өз тапсырмасы",
        agency=home[AgencyType.LEGAL_CONSULTATION],
        due_on=today + 7 * D,
    )

    # A second case of the child taken to a judgment in force: the Auezov probation service
    # receives the minor, registers and plans; it also follows up a release of the child.
    second_case = case_factories.open_case(team, child, offence_at=offence + D)
    second = CaseFile(team, second_case, second_case.accused.get())
    case_factories.add_people(second)
    second.drive("sentence_execution")
    inspector = who(Role.PROBATION_INSPECTOR, "task")
    supervision = Supervision.objects.get(accused=second.accused)
    started = supervision.starts_on
    probation.register(actor=inspector, supervision=supervision, registered_on=started)
    probation.set_plan(actor=inspector, supervision=supervision, report_every_days=7,
                       first_check_in_on=started, work_hours=40)  # fmt: skip
    release = probation.record_release(
        actor=inspector, juvenile=child, accused=file.accused, institution="Орташа қауіпсіз мекеме",
        institution_kind="medium_security", released_on=today - 100 * D, basis="served",
        areas={"housing": "Анасымен тұрады.", "family": "Отбасымен жұмыс."},
    )  # fmt: skip

    violation = Violation.objects.filter(proceeding=case).order_by("id").first()
    assert violation is not None, "the interrogation without a defender raised no violation"
    shift_pk = shift.pk
    world.ids = {
        "juvenile": child.pk,
        "relative": mother.pk,
        "case": case.pk,
        "accused": file.accused.pk,
        "charge": file.accused.charges.order_by("id").first().pk,  # type: ignore[union-attr]
        "event_kind": EventKind.REPRESENTATIVE_NOTIFIED.value,
        "participant_role": ParticipantRole.VICTIM.value,
        "consultation": home[AgencyType.LEGAL_CONSULTATION].pk,
        "shift": shift_pk,
        "agency": home[AgencyType.INVESTIGATION_UNIT].pk,
        "staff": investigator.pk,
        "instrument": instrument.code,
        "instrument_version": instrument.version,
        "assessment": assessment.pk,
        "domain": instrument.domains[0].id,
        "portrait": portrait.pk,
        "report": report.pk,
        "report_version": report.version,
        "section": names[0],
        "plan": plan.pk,
        "need": need.pk,
        "task": probation_task.pk,
        "mediation": referral.pk,
        "court_case": court_case.pk,
        "hearing": hearing.pk,
        "court": court_case.court_id,
        "civil": "civil",
        "supervision": supervision.pk,
        "release": release.pk,
        "follow_up": release.follow_ups.order_by("id").first().pk,  # type: ignore[union-attr]
        "side": "accused",
        "violation": violation.pk,
        "answer": "acknowledge",
        "bystander": bystander.pk,
        # The newest audit row of the world: the child's trail up to it is the same every run.
        "audit_head": AuditEvent.objects.order_by("-id").values_list("id", flat=True)[0],
    }
    world.versioned = {
        "juvenile": Juvenile,
        "relative": Relative,
        "case": Proceeding,
        "agency": Agency,
        "staff": User,
        "bystander": User,
        "assessment": Assessment,
        "report": PortraitReport,
    }
    world.secrets = {
        "case_number": [case.number],
        "name": [CHILD_SURNAME],
        "iin": [child.iin or ""],
        "staff": [defender.get_full_name(), psychologist.get_full_name()],
        "note": [NOTE_TEXT],
        # The detention as the API writes a time: per-case data, not a figure.
        "detention": [DjangoJSONEncoder().default(detention.started_at.astimezone(datetime.UTC))],
    }
    return world


@contextmanager
def built_once(django_db_blocker: Any) -> Iterator["World"]:
    """The world for a module-scoped fixture: built inside a transaction that is rolled back
    after the module's tests (as TestCase's class-wide atomic)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def everyone(world: "World", django_db_blocker: Any) -> list[User]:
    """Every persona of the world who signs in, and a superuser."""
    from tests import factories

    with django_db_blocker.unblock():
        found = [user for user in world.personas.values() if user is not None]
        return [*found, factories.superuser()]
