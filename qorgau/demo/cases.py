"""Demo criminal cases through every path of the procedure, recorded through the services.

Each scenario is a believable case of the pilot districts; some leave safeguards out on
purpose (a late defender, a minor held with adults), as real records do.
"""

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from qorgau.accounts.models import Agency, AgencyType, User
from qorgau.core.models import CriminalArticle
from qorgau.people.models import Juvenile
from qorgau.proceedings import services
from qorgau.proceedings.models import Accused, Participant, ParticipantRole, Proceeding

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


@dataclass
class Cast:
    investigator: User
    prosecutor: User
    judge: User
    defender: User
    psychologist: User
    court: Agency


@dataclass
class Case:
    cast: Cast
    case: Proceeding
    accused: Accused
    offence: datetime.datetime
    defender: Participant
    psychologist: Participant
    representative: Participant | None

    def event(self, actor: User, kind: str, after: datetime.timedelta, **fields: Any) -> None:
        if kind == "judgment":
            from qorgau.demo.courts import hear

            hear(self.cast.judge, self.accused, self.offence + after)  # heard before judged
        services.record_event(
            actor=actor, accused=self.accused, kind=kind, started_at=self.offence + after, **fields
        )


def _article(code: str) -> CriminalArticle:
    article, part = code.split("/")
    return CriminalArticle.objects.get(article=article, part=part)


def _minor_for(
    actor: User, article: CriminalArticle, day: datetime.date, used: set[int], rng: random.Random
) -> Juvenile:
    candidates = [
        j
        for j in Juvenile.objects.visible_to(actor).exclude(pk__in=used).order_by("id")
        if article.min_age <= j.age_on(day) < 18
    ]
    juvenile = rng.choice(candidates)
    used.add(juvenile.pk)
    return juvenile


def _open(
    cast: Cast,
    number: str,
    days_ago: int,
    article: str,
    place: str,
    used: set[int],
    rng: random.Random,
) -> Case:
    evening = rng.randint(17, 22), rng.choice([0, 15, 30, 45])
    offence = timezone.localtime(timezone.now() - days_ago * D).replace(
        hour=evening[0], minute=evening[1], second=0, microsecond=0
    )
    charge = _article(article)
    juvenile = _minor_for(cast.investigator, charge, timezone.localdate(offence), used, rng)
    territory = cast.investigator.agency.territory  # type: ignore[union-attr]
    case = services.open_case(
        actor=cast.investigator,
        number=number,
        registered_on=timezone.localdate(offence + 3 * H),
        offence_at=offence,
        offence_place=place,
        territory=territory,
        juvenile=juvenile,
        articles=[charge],
        prosecutor=cast.prosecutor,
        summary="Кәмелетке толмаған күдікті ретінде ұсталды; істің мән-жайы анықталуда.",
    )
    accused = case.accused.get()
    representative = None
    relative = juvenile.relatives.filter(is_legal_representative=True).first()
    if relative is not None:
        representative = services.add_participant(
            actor=cast.investigator,
            proceeding=case,
            role=ParticipantRole.LEGAL_REPRESENTATIVE,
            accused=accused,
            relative=relative,
        )
    defender = services.add_participant(
        actor=cast.investigator,
        proceeding=case,
        role=ParticipantRole.DEFENDER,
        accused=accused,
        user=cast.defender,
        state_paid=rng.random() < 0.6,
    )
    psychologist = services.add_participant(
        actor=cast.investigator,
        proceeding=case,
        role=ParticipantRole.SOCIAL_PSYCHOLOGIST,
        accused=accused,
        user=cast.psychologist,
    )
    services.add_participant(
        actor=cast.investigator,
        proceeding=case,
        role=ParticipantRole.VICTIM,
        full_name=rng.choice(
            ["Ахметова Сәуле Қанатқызы", "Иванов Пётр Алексеевич", "Жүсіпов Марат Ерланұлы"]
        ),
    )
    return Case(cast, case, accused, offence, defender, psychologist, representative)


def _first_hours(
    c: Case, *, with_defender: bool = True, separately: bool = True, custody: bool = False
) -> None:
    """Detention, notification, defender, psychologist, interrogation: the first night of a case."""
    inv = c.cast.investigator
    present = [p for p in (c.representative, c.psychologist) if p is not None]
    if with_defender:
        present.append(c.defender)
    c.event(
        inv,
        "detention",
        1 * H,
        place="полиция бөлімінің кезекші бөлімі",
        performed_by="полиция сержанты Д. Әбілов",
        held_separately=separately,
        attendees=[],
    )
    if c.representative is not None:
        c.event(
            inv, "representative_notified", 1.5 * H, method="phone", participant=c.representative
        )
    c.event(inv, "defender_assigned", 2 * H, participant=c.defender)
    c.event(
        c.cast.defender, "defender_arrived", (3 if with_defender else 9) * H, participant=c.defender
    )
    c.event(c.cast.psychologist, "psychologist_present", 2.5 * H, participant=c.psychologist)
    start = c.offence + 4 * H if with_defender else c.offence + 3.5 * H
    c.event(
        inv,
        "interrogation",
        start - c.offence,
        ended_at=start + 2.5 * H,
        breaks=[(start + 1.5 * H, start + 1.75 * H)],
        attendees=present,
    )
    if custody:
        c.event(
            inv,
            "preventive_measure",
            20 * H,
            measure="custody",
            term_days=60,
            court_sanctioned=True,
        )
    else:
        c.event(inv, "release", 6 * H)
        c.event(inv, "preventive_measure", 7 * H, measure="supervision")


def _to_court(c: Case, days: int) -> None:
    c.event(c.cast.investigator, "indictment", days * D)
    c.event(c.cast.prosecutor, "indictment_approved", (days + 3) * D, court=c.cast.court)


def reconciliation(c: Case) -> None:
    from qorgau.demo.mediation import reconcile

    _first_hours(c)
    # Mediation first: the termination on reconciliation then links to the agreement.
    reconcile(investigator=c.cast.investigator, mediator=c.cast.psychologist,
              accused=c.accused, offence=c.offence)  # fmt: skip
    c.event(
        c.cast.investigator,
        "termination",
        20 * D,
        ground="reconciliation",
        notes="Жәбірленушімен медиация арқылы татуласты, зиян толық өтелді.",
    )
    c.event(c.cast.prosecutor, "termination_approved", 22 * D)


def custody_then_community_works(c: Case) -> None:
    _first_hours(c, custody=True)
    c.event(c.cast.investigator, "release", 30 * D)
    c.event(c.cast.investigator, "preventive_measure", 30 * D + H, measure="supervision")
    _to_court(c, 40)
    c.event(
        c.cast.judge,
        "judgment",
        70 * D,
        verdict="conviction",
        punishment="community_works",
        term_months=4,
    )
    c.event(c.cast.judge, "judgment_in_force", 86 * D)


def deprivation_of_liberty(c: Case) -> None:
    _first_hours(c, custody=True, separately=False)
    _to_court(c, 50)
    c.event(
        c.cast.judge,
        "judgment",
        90 * D,
        verdict="conviction",
        punishment="deprivation_of_liberty",
        term_months=36,
    )
    c.event(c.cast.defender, "appeal", 95 * D, performed_by="қорғаушы Е. В. Ким")
    c.event(c.cast.judge, "appeal_decision", 120 * D, appeal_outcome="upheld")


def conditional_sentence(c: Case) -> None:
    _first_hours(c)
    _to_court(c, 35)
    c.event(
        c.cast.judge,
        "judgment",
        60 * D,
        verdict="conviction",
        punishment="restriction_of_freedom",
        term_months=12,
        conditional=True,
        probation_months=12,
    )
    c.event(c.cast.judge, "judgment_in_force", 76 * D)


def acquittal(c: Case) -> None:
    _first_hours(c)
    _to_court(c, 45)
    c.event(c.cast.judge, "judgment", 80 * D, verdict="acquittal")
    c.event(c.cast.judge, "judgment_in_force", 96 * D)


def in_court(c: Case) -> None:
    _first_hours(c)
    _to_court(c, 25)


def on_appeal(c: Case) -> None:
    _first_hours(c, custody=True)
    _to_court(c, 30)
    c.event(
        c.cast.judge,
        "judgment",
        55 * D,
        verdict="conviction",
        punishment="correctional_works",
        term_months=6,
    )
    c.event(c.cast.prosecutor, "appeal", 60 * D, performed_by="процесс прокуроры")


def late_defender(c: Case) -> None:
    _first_hours(c, with_defender=False)


def termination_pending(c: Case) -> None:
    _first_hours(c)
    c.event(c.cast.investigator, "termination", 12 * D, ground="educational_measures")


def judgment_not_yet_in_force(c: Case) -> None:
    _first_hours(c)
    _to_court(c, 30)
    c.event(
        c.cast.judge,
        "judgment",
        58 * D,
        verdict="conviction",
        punishment="fine",
        fine_amount=150000,
    )


def just_registered(c: Case) -> None:
    """Registered this week; nothing recorded yet."""


# (scenario, days since the offence, article part, place)
SCENARIOS: list[tuple[Callable[[Case], None], int, str, str]] = [
    (reconciliation, 60, "188/2", "«Мега» сауда орталығы, Розыбакиев к-сі"),
    (custody_then_community_works, 150, "191/2", "Абай даңғылы мен Саин көшесінің қиылысы"),
    (deprivation_of_liberty, 200, "192/2", "Жандосов көшесі, 58, дүкен"),
    (conditional_sentence, 120, "188/2", "№ 52 мектеп-гимназия ауласы"),
    (acquittal, 140, "106/1", "Шаляпин к-сі, аялдама"),
    (in_court, 45, "191/2", "Момышұлы көшесі, 12"),
    (on_appeal, 90, "188/2", "Төле би к-сі, 250, базар"),
    (late_defender, 6, "293/1", "Саин көшесі, саябақ"),
    (termination_pending, 25, "188/2", "Райымбек даңғылы, 300"),
    (judgment_not_yet_in_force, 62, "190/1", "Алтынсарин даңғылы, 20"),
    (just_registered, 2, "190/1", "Жандосов көшесі, 100"),
]


def load_cases(staff: dict[str, User], rng: random.Random) -> int:
    court = Agency.objects.get(
        agency_type=AgencyType.JUVENILE_COURT, territory__kato_code="750000000"
    )
    cast = Cast(
        investigator=staff["investigator"],
        prosecutor=staff["prosecutor"],
        judge=staff["judge"],
        defender=staff["defender"],
        psychologist=staff["psychologist"],
        court=court,
    )
    used: set[int] = set()
    year = timezone.localdate().year % 100
    for number, (scenario, days, article, place) in enumerate(SCENARIOS, start=1):
        c = _open(cast, f"{year}7513{number:07d}", days, article, place, used, rng)
        scenario(c)
    karasai = Cast(
        investigator=staff["karasai"],
        prosecutor=staff["prosecutor2"],
        judge=staff["judge"],
        defender=staff["defender"],
        psychologist=staff["psychologist"],
        court=court,
    )
    c = _open(karasai, f"{year}1952{1:07d}", 40, "188/2", "Қаскелең қ., Абай к-сі, 5", used, rng)
    reconciliation(c)
    c = _open(karasai, f"{year}1952{2:07d}", 10, "190/1", "Шамалған а., базар", used, rng)
    late_defender(c)
    answer_violations(staff["prosecutor"])
    return len(SCENARIOS) + 2


def answer_violations(prosecutor: User) -> None:
    """The prosecutor has reacted to some flags, so the oversight pages show every status."""
    from qorgau.safeguards import services as safeguards
    from qorgau.safeguards.models import ActType, Violation

    found = list(Violation.objects.visible_to(prosecutor).order_by("id"))
    for number, violation in enumerate(found):
        if number % 4 == 0:
            safeguards.acknowledge(actor=prosecutor, violation=violation)
        elif number % 4 == 1:
            safeguards.issue_act(
                actor=prosecutor,
                violation=violation,
                act_type=ActType.REPRESENTATION,
                act_number=f"2-{number:03d}",
                act_date=timezone.localdate(),
            )
        elif number % 4 == 2 and violation.rule_id == "specialized_officials":
            safeguards.dispute(
                actor=prosecutor,
                violation=violation,
                reason="Курсты 2026 жылы өтті, куәлік кадр қызметінде.",
            )
