"""Demo data of the defence part of the accompaniment, built through its services.

The Almaty city consultation keeps a 24/7 roster (day 08:00–20:00 and night 20:00–08:00) from
four weeks back to two weeks ahead, with one short night next week so the roster shows a gap.
Three detained minors got the on-duty defender and psychologist in one step, with arrivals
recorded, so the response-time page has figures; a fourth was detained an hour ago and waits.
"""

import datetime
import random
from typing import Any

from django.utils import timezone

from qorgau.accounts import services as accounts
from qorgau.accounts.models import Agency, AgencyType, User
from qorgau.core.models import CriminalArticle
from qorgau.defence import selectors, services
from qorgau.defence.models import Duty
from qorgau.people.models import Juvenile
from qorgau.proceedings import services as proceedings
from qorgau.proceedings.models import Accused, EventKind, ParticipantRole, Proceeding

H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)
D = datetime.timedelta(days=1)
WEEKS_BACK = 4
WEEKS_AHEAD = 2
PHONES = {
    "defender": "+7 701 311 24 07",
    "defender2": "+7 707 455 18 90",
    "psychologist": "+7 702 640 33 15",
    "psychologist2": "+7 705 212 77 41",
    "intern": "+7 747 903 11 28",
}
# (days ago, detention after the evening offence, minutes to assignment, to the defender's
# arrival, to the psychologist's arrival, paid by the state, article, place)
DETENTIONS = [
    (3, 1 * H, 25, 70, 95, True, "188/2", "Саин көшесі, 30, дүкен"),
    (9, 2 * H, 50, 160, 120, True, "191/2", "Абай даңғылы, 150"),
    (17, 1 * H, 130, 250, None, False, "188/2", "Жандосов көшесі, 58"),
]


def load(staff: dict[str, User], rng: random.Random) -> None:
    """Called once the demo cases exist; `staff` maps each demo login to its user."""
    admin = User.objects.get(username="admin")
    for login, phone in PHONES.items():
        staff[login] = accounts.update_staff(actor=admin, user=staff[login], phone=phone)
    bar = Agency.objects.get(agency_type=AgencyType.LEGAL_CONSULTATION)
    accounts.update_agency(
        actor=admin, agency=bar, phone="+7 727 261 05 05", address="Алматы қ., Абай даңғылы, 52"
    )
    _roster(staff)
    used: set[int] = set()
    year = timezone.localdate().year % 100
    for number, detention in enumerate(DETENTIONS, start=901):
        _assigned(staff, f"{year}7513{number:07d}", detention, used, rng)
    _waiting(staff, f"{year}7513{905:07d}", used, rng)


def _roster(staff: dict[str, User]) -> None:
    keeper = staff["defender"]
    today = timezone.localdate()
    first = selectors.week_start(today) - WEEKS_BACK * 7 * D
    last = selectors.week_start(today) + (WEEKS_AHEAD + 1) * 7 * D
    lawyers = [staff["defender"], staff["defender2"]]
    psychologists = [staff["psychologist"], staff["psychologist2"]]
    gap_night = today + 8 * D  # one night next week ends at 02:00: the roster warns of it
    day = first
    number = 0
    while day < last:
        for half, hour in enumerate((8, 20)):
            start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
            end = start + 12 * H
            lawyer = lawyers[(number + half) % 2]
            psychologist = psychologists[(number + half + 1) % 2]
            short = end - 6 * H if day == gap_night and hour == 20 else end
            _shift(keeper, lawyer, Duty.DEFENDER, start, short)
            intern = staff["intern"] if hour == 8 and day.weekday() < 5 else None
            _shift(keeper, psychologist, Duty.PSYCHOLOGIST, start, end, intern)
        day += D
        number += 1


def _shift(
    keeper: User,
    member: User,
    duty: str,
    start: datetime.datetime,
    end: datetime.datetime,
    intern: User | None = None,
) -> None:
    assert member.agency is not None
    services.add_shift(
        actor=keeper,
        consultation=member.agency,
        member=member,
        duty=duty,
        starts_at=start,
        ends_at=end,
        intern=intern,
    )


def _minor(actor: User, article: CriminalArticle, day: datetime.date, used: set[int]) -> Juvenile:
    """A juvenile of the investigator's not yet accused anywhere, of age for the article."""
    free = (
        Juvenile.objects.visible_to(actor)
        .filter(accusations__isnull=True)
        .exclude(pk__in=used)
        .order_by("id")
    )
    juvenile = next(j for j in free if article.min_age <= j.age_on(day) < 18)
    used.add(juvenile.pk)
    return juvenile


def _open(
    staff: dict[str, User],
    number: str,
    offence: datetime.datetime,
    code: str,
    place: str,
    used: set[int],
) -> tuple[Proceeding, Accused]:
    investigator = staff["investigator"]
    article_no, part = code.split("/")
    article = CriminalArticle.objects.get(article=article_no, part=part)
    juvenile = _minor(investigator, article, timezone.localdate(offence), used)
    case = proceedings.open_case(
        actor=investigator,
        number=number,
        registered_on=timezone.localdate(offence + 3 * H),
        offence_at=offence,
        offence_place=place,
        territory=investigator.agency.territory,  # type: ignore[union-attr]
        juvenile=juvenile,
        articles=[article],
        prosecutor=staff["prosecutor"],
        summary="Кәмелетке толмаған күдікті ретінде ұсталды; кезекші қорғаушы тағайындалды.",
    )
    accused = case.accused.get()
    relative = juvenile.relatives.filter(is_legal_representative=True).first()
    if relative is not None:
        proceedings.add_participant(
            actor=investigator,
            proceeding=case,
            role=ParticipantRole.LEGAL_REPRESENTATIVE,
            accused=accused,
            relative=relative,
        )
    return case, accused


def _detain(investigator: User, accused: Accused, at: datetime.datetime) -> None:
    proceedings.record_event(
        actor=investigator,
        accused=accused,
        kind=EventKind.DETENTION,
        started_at=at,
        place="Әуезов АІБ кезекші бөлімі",
        performed_by="полиция сержанты Д. Әбілов",
        held_separately=True,
    )


def _evening(days_ago: int, rng: random.Random) -> datetime.datetime:
    moment = timezone.localtime(timezone.now() - days_ago * D)
    return moment.replace(hour=rng.randint(18, 21), minute=rng.choice([0, 20, 40]), second=0,
                          microsecond=0)  # fmt: skip


def _assigned(
    staff: dict[str, User],
    number: str,
    detention: tuple[Any, ...],
    used: set[int],
    rng: random.Random,
) -> None:
    days_ago, after, to_assign, to_defender, to_psychologist, paid, code, place = detention
    offence = _evening(days_ago, rng)
    case, accused = _open(staff, number, offence, code, place, used)
    detained = offence + after
    _detain(staff["investigator"], accused, detained)
    at = detained + to_assign * M
    found = selectors.on_duty(case.territory, at)
    with_psychologist = to_psychologist is not None and found.psychologists
    assignment = services.assign_on_duty(
        actor=staff["investigator"],
        accused=accused,
        defender=found.defenders[0].member,
        psychologist=found.psychologists[0].member if with_psychologist else None,
        state_paid=paid,
        at=at,
    )
    defender = assignment.defender
    assert defender.user is not None
    proceedings.record_event(
        actor=defender.user,
        accused=accused,
        kind=EventKind.DEFENDER_ARRIVED,
        started_at=detained + to_defender * M,
        participant=defender,
    )
    psychologist = assignment.psychologist
    if psychologist is not None and psychologist.user is not None:
        proceedings.record_event(
            actor=psychologist.user,
            accused=accused,
            kind=EventKind.PSYCHOLOGIST_PRESENT,
            started_at=detained + to_psychologist * M,
            participant=psychologist,
        )


def _waiting(staff: dict[str, User], number: str, used: set[int], rng: random.Random) -> None:
    """Detained 50 minutes ago, no defender yet: the case page proposes those on duty."""
    now = timezone.now().replace(second=0, microsecond=0)
    _case, accused = _open(staff, number, now - 3 * H, "188/2", "Төле би көшесі, 200", used)
    _detain(staff["investigator"], accused, now - 50 * M)
