"""Demo data of the juvenile courts, built through their services.

- Every demo criminal case that reached a judgment was heard first: `hear` (called from
  demo/cases.py before each judgment) schedules a hearing, summons the minor and the people
  around the child and records who came, so each judgment follows a held hearing.
- The case still in court (Almaty): heard three days ago and awaiting judgment, with another
  sitting today and one next week; its social worker's report is still missing, so the judge's
  Today and the court social worker's reports due both show it.
- Administrative cases about minors (petty hooliganism decided with a fine; drinking in a
  public place, scheduled, its report filed) and civil cases about children (deprivation of
  parental rights with the prosecutor a party, an adoption by foreign citizens, the child's
  residence scheduled, paternity just registered); one civil case in Astana.
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from qorgau.accounts.models import Agency, AgencyType, User
from qorgau.courts import services
from qorgau.courts.models import CourtCase, Courtroom, Hearing
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused, ParticipantRole

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)
ROOMS = ("№ 1", "№ 2", "№ 3")


def courtroom(judge: User, number: int = 0) -> Courtroom:
    """The court's courtroom `number`, added through the service the first time."""
    assert judge.agency is not None
    name = ROOMS[number]
    found = Courtroom.objects.filter(court=judge.agency, name=name).first()
    return found or services.add_courtroom(actor=judge, court=judge.agency, name=name)


def _schedule(judge: User, case: CourtCase, start: datetime.datetime, room: int = 0) -> Hearing:
    """A hearing at `start`, or as near before it as the judge and courtroom are free."""
    for shift in range(6):
        try:
            return services.schedule_hearing(
                actor=judge, case=case, courtroom=courtroom(judge, room),
                starts_at=start - shift * 70 * datetime.timedelta(minutes=1), minutes=60,
            )  # fmt: skip
        except ValidationError:
            continue
    raise RuntimeError(f"no free hour for a hearing of {case} near {start}")


def _summon_people(judge: User, hearing: Hearing, accused: Accused | None) -> None:
    sent = timezone.localdate(hearing.starts_at) - 5 * D
    services.summon(actor=judge, hearing=hearing, summoned_as="minor", method="post", sent_on=sent)
    if accused is None:
        return
    wanted = {
        ParticipantRole.LEGAL_REPRESENTATIVE: "legal_representative",
        ParticipantRole.DEFENDER: "defender",
        ParticipantRole.SOCIAL_PSYCHOLOGIST: "social_psychologist",
        ParticipantRole.PEDAGOGUE: "pedagogue",
    }
    for person in accused.proceeding.participants.filter(role__in=list(wanted)).order_by("id"):
        if person.accused_id not in (None, accused.pk):
            continue
        services.summon(
            actor=judge, hearing=hearing, summoned_as=wanted[ParticipantRole(person.role)],
            participant=person, method="phone", sent_on=sent,
        )  # fmt: skip


def _held(judge: User, hearing: Hearing, absent: tuple[str, ...] = ()) -> Hearing:
    present = {s.pk: s.summoned_as not in absent for s in hearing.summonses.all()}
    return services.record_presence(actor=judge, hearing=hearing, present=present)


def hear(judge: User, accused: Accused, before: datetime.datetime) -> None:
    """Inside demo/cases.py: the minor's court case is heard in the morning before `before`."""
    case = CourtCase.objects.get(accused=accused)
    morning = timezone.localtime(before).replace(hour=10, minute=0, second=0, microsecond=0)
    hearing = _schedule(judge, case, morning if morning + 2 * H <= before else before - 3 * H)
    _summon_people(judge, hearing, accused)
    _held(judge, hearing)


def _today_at(hour: int) -> datetime.datetime:
    day = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _children(court: Agency, rng: random.Random, count: int) -> list[Juvenile]:
    region = court.region_territory_ids
    found = list(
        Juvenile.objects.filter(address_territory_id__in=region).order_by("id")[: count * 4]
    )
    rng.shuffle(found)
    return found[:count]


def _register(judge: User, kind: str, child: Juvenile, days_ago: int, **fields: Any) -> CourtCase:
    assert judge.agency is not None
    return services.register_case(
        actor=judge, court=judge.agency, kind=kind, juvenile=child,
        received_at=timezone.now() - days_ago * D, judge=judge, **fields,
    )  # fmt: skip


def _decide(judge: User, case: CourtCase, days_ago: int, **outcome: Any) -> None:
    start = (timezone.localtime() - days_ago * D).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    hearing = _schedule(judge, case, start, room=1)
    _summon_people(judge, hearing, None)
    _held(judge, hearing)
    services.record_judgment(actor=judge, case=case, decided_at=hearing.ends_at, **outcome)


def load(staff: dict[str, User], rng: random.Random) -> None:
    judge, second, social = staff["judge"], staff["judge2"], staff["courtsocial"]
    # The criminal case still in court.
    in_court = (
        CourtCase.objects.filter(court=judge.agency, decided_at=None, kind="criminal")
        .select_related("accused")
        .order_by("received_at")
        .first()
    )
    if in_court is not None and in_court.accused is not None:
        earlier = _schedule(judge, in_court, _today_at(10) - 3 * D)
        _summon_people(judge, earlier, in_court.accused)
        _held(judge, earlier, absent=("social_psychologist",))
        for start in (_today_at(15), _today_at(10) + 7 * D):
            later = _schedule(judge, in_court, start, room=1)
            _summon_people(judge, later, in_court.accused)
    # Administrative cases about minors.
    assert judge.agency is not None
    police = Agency.objects.filter(
        agency_type=AgencyType.JUVENILE_POLICE, territory__in=judge.agency.region_territory_ids
    ).first()
    protocol = [{"role": "protocol_body", "agency": police}] if police else []
    kids = _children(judge.agency, rng, 7)
    hooligan = _register(
        second, "administrative", kids[0], 30, article="434", parties=protocol,
        summary="Түнгі уақытта аулада дауыстап боқтап, тыныштықты бұзған.",
    )  # fmt: skip
    _decide(second, hooligan, 10, decision="penalty", penalty="fine", fine_amount=Decimal("7384"))
    drinking = _register(
        second, "administrative", kids[1], 12, article="440", parties=protocol,
        summary="Саябақта сыра ішкен.",
    )  # fmt: skip
    services.file_report(
        actor=social, case=drinking,
        family_situation="Әкесімен және әжесімен тұрады; анасы шетелде жұмыс істейді.",
        alternatives="Ескерту; мектеп психологымен жұмыс; спорт секциясы.",
        recommendation="Тәрбиелік ықпал ету шарасын қолдану.",
    )  # fmt: skip
    _schedule(second, drinking, _today_at(11) + 2 * D, room=2)
    # Civil cases about children.
    guardianship = {
        "role": "guardianship_body",
        "full_name": "Алматы қ. білім басқармасы, қорғаншылық және қамқоршылық органы",
    }
    prosecutor = staff["prosecutor"].agency
    deprivation = _register(
        judge, "civil", kids[2], 60, matter="deprivation",
        parties=[guardianship, {"role": "prosecutor", "agency": prosecutor},
                 {"role": "respondent", "full_name": "Ерболов Данияр Серікұлы"}],
    )  # fmt: skip
    _decide(judge, deprivation, 20, decision="granted", notes="Ата-ана міндеттерін орындамаған.")
    adoption = _register(
        second, "civil", kids[3], 45, matter="adoption", foreign_adoption=True,
        parties=[{"role": "claimant", "full_name": "Smith John, Smith Mary"}, guardianship],
    )  # fmt: skip
    _decide(second, adoption, 15, decision="granted")
    residence = _register(
        judge, "civil", kids[4], 8, matter="residence",
        parties=[{"role": "claimant", "full_name": "Омарова Әсел Қайратқызы"},
                 {"role": "respondent", "full_name": "Омаров Ерлан Серікұлы"}, guardianship],
    )  # fmt: skip
    _schedule(judge, residence, _today_at(10) + 3 * D)
    _register(
        second, "civil", kids[5], 2, matter="paternity",
        parties=[{"role": "claimant", "full_name": "Әлиева Жанар Бақытқызы"}],
    )  # fmt: skip
    # Astana.
    astana = staff["astana_judge"]
    assert astana.agency is not None
    other = _children(astana.agency, rng, 1)
    if other:
        case = _register(
            astana, "civil", other[0], 20, matter="property",
            parties=[{"role": "claimant", "full_name": "Астана қ. қорғаншылық органы"}],
        )  # fmt: skip
        _schedule(astana, case, _today_at(12) + D)
