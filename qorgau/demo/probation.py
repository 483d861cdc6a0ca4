"""Demo data of sentence execution by probation and of re-socialization, through the services.

For the pilot districts (Auezov, Almaty city; Karasai, Almaty region):
- the community-works case (demo/cases.py, case 2) is received by Auezov's service when its
  judgment took effect: registered, planned (120 hours), check-ins attended, one missed with a
  warning, one excused, hours worked; the latest check-in day has passed unrecorded (overdue);
- the conditional sentence (case 4): registered, reports weekly, the next check-in is today;
- two Karasai cases taken to a judgment here: a deferred sentence (a young child), registered,
  and community works whose convict has not reported within the 10 days (a reminder);
- releases: one from a medium-security institution three months ago (the 3-month follow-up is
  due), one from a special-regime organisation 8 months ago whose minor has a new case
  (re-offending), and one in Karasai with its first follow-up recorded.
Then the reminders sweep runs, as the scheduler would.
"""

import datetime
import random

from django.utils import timezone

from qorgau.accounts.models import Agency, AgencyType, User
from qorgau.demo.cases import Cast, _first_hours, _open, _to_court
from qorgau.people.models import Juvenile
from qorgau.probation import services
from qorgau.probation.models import Supervision
from qorgau.proceedings.models import Accused
from qorgau.support.models import SupportPlan

D = datetime.timedelta(days=1)


def _supervision(number: str) -> Supervision | None:
    return Supervision.objects.filter(proceeding__number=number).first()


def _check_ins(
    inspector: User, supervision: Supervision, until: datetime.date, outcomes: list[str]
) -> None:
    """Record check-ins on the plan's days before `until`, one outcome each in turn."""
    for number, outcome in enumerate(outcomes):
        supervision.refresh_from_db()
        day = supervision.next_check_in_on
        if day is None or day >= until:
            return
        reason = "Ауырып қалды, анықтама әкелді." if outcome == "excused" else ""
        services.record_check_in(
            actor=inspector, supervision=supervision, due_on=day, attendance=outcome,
            reason=reason, notes="Мінез-құлқы туралы әңгіме өткізілді." if number % 2 else "",
        )  # fmt: skip
        if outcome == "missed":
            services.record_breach(
                actor=inspector, supervision=supervision, occurred_on=day,
                description="Белгіленген күні себепсіз келмеді.", response="warning",
            )  # fmt: skip


def _community_works(inspector: User, supervision: Supervision, today: datetime.date) -> None:
    start = supervision.starts_on
    services.register(actor=inspector, supervision=supervision, registered_on=start + 4 * D)
    services.set_plan(
        actor=inspector, supervision=supervision, report_every_days=14,
        first_check_in_on=start + 7 * D,
        obligations="Тұрғылықты жерін хабарламай ауыстырмау; 22:00-ден кейін үйде болу.",
        work_hours=120,
    )  # fmt: skip
    supervision.refresh_from_db()
    # Every check-in day up to the last one (left unrecorded: overdue on Today).
    days = (today - supervision.next_check_in_on).days // 14 if supervision.next_check_in_on else 0
    outcomes = (["attended", "attended", "missed", "excused", "attended"] * 4)[: max(days, 0)]
    _check_ins(inspector, supervision, today, outcomes)
    for offset, hours in ((10, 16), (17, 16), (24, 12), (31, 12)):
        day = start + offset * D
        if day < today:
            services.record_hours(actor=inspector, supervision=supervision, worked_on=day,
                                  hours=hours, place="Әуезов ауданының саябағы")  # fmt: skip


def _conditional(inspector: User, supervision: Supervision, today: datetime.date) -> None:
    start = supervision.starts_on
    services.register(actor=inspector, supervision=supervision, registered_on=start + 2 * D)
    # Weekly, on the weekday of today: the next check-in falls today.
    first = start + 3 * D
    first += datetime.timedelta(days=(today - first).days % 7)
    services.set_plan(
        actor=inspector, supervision=supervision, report_every_days=7, first_check_in_on=first,
        obligations="Оқуын жалғастыру; түнгі уақытта ойын-сауық орындарына бармау.",
    )  # fmt: skip
    _check_ins(inspector, supervision, today, ["attended"] * 52)


def _karasai_cases(staff: dict[str, User], rng: random.Random) -> None:
    court = Agency.objects.get(
        agency_type=AgencyType.JUVENILE_COURT, territory__kato_code="750000000"
    )
    cast = Cast(
        investigator=staff["karasai"], prosecutor=staff["prosecutor2"], judge=staff["judge"],
        defender=staff["defender"], psychologist=staff["psychologist"], court=court,
    )  # fmt: skip
    used = set(Accused.objects.values_list("juvenile_id", flat=True))
    year = timezone.localdate().year % 100
    deferred = _open(cast, f"{year}1952{3:07d}", 50, "188/2", "Қаскелең қ., вокзал", used, rng)
    _first_hours(deferred)
    _to_court(deferred, 12)
    deferred.event(
        cast.judge, "judgment", 25 * D, verdict="conviction", punishment="deprivation_of_liberty",
        term_months=24, deferred=True, deferral_months=18,
    )  # fmt: skip
    deferred.event(cast.judge, "judgment_in_force", 38 * D)
    late = _open(cast, f"{year}1952{4:07d}", 40, "190/1", "Шамалған а., дүкен", used, rng)
    _first_hours(late)
    _to_court(late, 8)
    late.event(cast.judge, "judgment", 18 * D, verdict="conviction",
               punishment="community_works", term_months=3)  # fmt: skip
    late.event(cast.judge, "judgment_in_force", 26 * D)
    supervision = Supervision.objects.filter(accused=deferred.accused).first()
    if supervision is not None:
        inspector = staff["probation2"]
        services.register(actor=inspector, supervision=supervision,
                          registered_on=supervision.starts_on + 6 * D,
                          deferral_ground="young_child")  # fmt: skip
        services.set_plan(actor=inspector, supervision=supervision, report_every_days=30,
                          first_check_in_on=supervision.starts_on + 7 * D,
                          obligations="Баланы күту; оқуын сырттай жалғастыру.")  # fmt: skip
        services.record_check_in(
            actor=inspector,
            supervision=supervision,
            due_on=supervision.starts_on + 7 * D,
            attendance="attended",
        )


def _free_juveniles(inspector: User, accused: bool) -> list[Juvenile]:
    """Juveniles the inspector sees with no active support plan; with or without a case."""
    planned = SupportPlan.objects.filter(status="active").values("juvenile_id")
    found = Juvenile.objects.visible_to(inspector).exclude(pk__in=planned)
    in_cases = Accused.objects.values("juvenile_id")
    found = found.filter(pk__in=in_cases) if accused else found.exclude(pk__in=in_cases)
    return list(found.order_by("id")[:5])


def _releases(staff: dict[str, User], today: datetime.date) -> None:
    inspector = staff["probation"]
    free = _free_juveniles(inspector, accused=False)
    if free:
        services.record_release(
            actor=inspector, juvenile=free[0], institution="Алматы қаласындағы кәмелетке "
            "толмағандарды ұстауға арналған орташа қауіпсіз мекеме",
            institution_kind="medium_security", released_on=today - 95 * D, basis="served",
            areas={
                "housing": "Әжесімен тұрады; тұрғын үй жағдайын тексеру керек.",
                "study": "Колледжге құжат тапсыруға көмек.",
                "employment": "Жазғы уақытша жұмыс іздеу.",
                "family": "Анасымен байланысты қалпына келтіру.",
                "health": "Нарколог кеңесі.",
            },
        )  # fmt: skip
    # A minor of one of the demo cases, released 8 months ago: the case came after the release.
    reoffended = _free_juveniles(inspector, accused=True)
    if reoffended:
        release = services.record_release(
            actor=inspector, juvenile=reoffended[0],
            institution="Ерекше режимде ұстайтын білім беру ұйымы (Алматы облысы)",
            institution_kind="special_regime", released_on=today - 240 * D,
            basis="early_release_special_regime",
            areas={"study": "Мектепке қайта оралу.", "family": "Отбасымен жұмыс."},
        )  # fmt: skip
        first = release.follow_ups.get(months=3)
        services.record_follow_up(actor=inspector, follow_up=first, done_on=first.due_on + 2 * D,
                                  outcome="settled", notes="Мектепке барады.")  # fmt: skip
        second = release.follow_ups.get(months=6)
        services.record_follow_up(
            actor=inspector, follow_up=second, done_on=second.due_on + D,
            outcome="difficulties", notes="Сабақтан қалып жүр, ескі ортасымен қайта араласады.",
        )  # fmt: skip
    karasai = staff["probation2"]
    free = _free_juveniles(karasai, accused=False)
    if free:
        release = services.record_release(
            actor=karasai, juvenile=free[-1], institution="Тәрбие колониясы",
            institution_kind="educational_colony", released_on=today - 120 * D,
            basis="age_of_majority",
            areas={"employment": "Кәсіптік оқуға жолдама.", "housing": "Жатақхана."},
        )  # fmt: skip
        first = release.follow_ups.get(months=3)
        services.record_follow_up(actor=karasai, follow_up=first, done_on=first.due_on,
                                  outcome="settled", notes="Кәсіптік лицейде оқиды.")  # fmt: skip


def load(staff: dict[str, User], rng: random.Random) -> None:
    """Called once the demo cases exist; `staff` maps each demo login to its user."""
    today = timezone.localdate()
    year = today.year % 100
    inspector = staff["probation"]
    works = _supervision(f"{year}7513{2:07d}")
    if works is not None and works.agency_id == inspector.agency_id:
        _community_works(inspector, works, today)
    conditional = _supervision(f"{year}7513{4:07d}")
    if conditional is not None and conditional.agency_id == inspector.agency_id:
        _conditional(inspector, conditional, today)
    _karasai_cases(staff, rng)
    _releases(staff, today)
    services.sweep()
