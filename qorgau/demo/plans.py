"""Demo data of the plans part of the accompaniment, built through its services.

Three Almaty minors get a support plan with tasks for the court social worker, the social
psychologist, the probation inspector, the children's institution and the child-rights body:
some done, some late, one referral declined with its reason, some awaiting an answer. Late
tasks are set as they would have been, weeks ago: the services' `today` argument is the day the
task was set (its due date could not be in the past then).
"""

import datetime
import random

from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused
from qorgau.support.models import PlanNeed, PlanTask, SupportPlan
from qorgau.support.services import plan as services

D = datetime.timedelta(days=1)


def _minor(number: int) -> Accused:
    year = timezone.localdate().year % 100
    return Accused.objects.select_related("juvenile").get(
        proceeding__number=f"{year}7513{number:07d}"
    )


def _need(
    actor: User, plan: SupportPlan, kind: str, text: str, priority: str = "normal"
) -> PlanNeed:
    return services.add_need(actor=actor, plan=plan, kind=kind, description=text, priority=priority)


def _task(
    actor: User,
    need: PlanNeed,
    action: str,
    to: User,
    due_in: int,
    set_ago: int = 0,
    named: bool = True,
) -> PlanTask:
    """A task for `to`'s agency due `due_in` days from today, set `set_ago` days ago."""
    today = timezone.localdate()
    own = to.agency_id == actor.agency_id
    return services.add_task(
        actor=actor,
        need=need,
        action=action,
        agency=to.agency,  # type: ignore[arg-type]
        assignee=to if own and named else None,
        due_on=today + due_in * D,
        today=today - set_ago * D,
    )


def load(staff: dict[str, User], rng: random.Random) -> None:
    """Called once the demo cases exist; `staff` maps each demo login to its user."""
    social = staff["courtsocial"]
    psychologist = staff["psychologist"]
    probation = staff["probation"]
    institution = staff["institution"]
    childrights = staff["childrights"]
    today = timezone.localdate()

    # 1. Conditional sentence: the court social worker leads; probation supervises.
    minor = _minor(4)
    plan = services.open_plan(
        actor=social,
        juvenile=minor.juvenile,
        accused=minor,
        goal="Шартты сотталған кезеңде оқуын жалғастыру, отбасымен байланысты нығайту.",
        today=today - 40 * D,
    )
    sentence = _need(
        social,
        plan,
        "sentence",
        "Сынақ мерзімінде пробациялық бақылау, айына екі рет келу.",
        "high",
    )
    control = _task(
        social, sentence, "Пробация есебіне алу және бақылау кестесін жасау.", probation, -5, 40
    )
    services.accept_referral(actor=probation, task=control, assignee=probation)
    study = _need(social, plan, "study", "9-сыныпты аяқтамаған, сабаққа жиі қатыспайды.")
    school = _task(
        social, study, "Мектеппен келісіп, қосымша сабақтар кестесін бекіту.", social, 10, 30
    )
    services.complete_task(
        actor=social,
        task=school,
        result="Мектеп директорымен кездесу өтті; аптасына 3 қосымша сабақ.",
    )
    psych = _need(social, plan, "psychological", "Сот процесінен кейінгі мазасыздық.")
    talks = _task(social, psych, "Жеке психологиялық кеңестер (6 кездесу).", psychologist, 14, 30)
    services.accept_referral(actor=psychologist, task=talks, assignee=psychologist)
    services.complete_task(
        actor=psychologist, task=talks, result="6 кездесу өтті, мазасыздық деңгейі төмендеді."
    )
    family = _need(social, plan, "family", "Анасы жалғыз тәрбиелейді, жұмысы тұрақсыз.")
    _task(social, family, "Отбасыға әлеуметтік көмек туралы ақпарат беру.", childrights, 7, 3)

    # 2. Community works after custody: the social psychologist leads.
    minor = _minor(2)
    plan = services.open_plan(
        actor=psychologist,
        juvenile=minor.juvenile,
        accused=minor,
        goal="Қоғамдық жұмыстарды өтеу кезінде қайта әлеуметтендіру.",
        today=today - 25 * D,
    )
    psych = _need(psychologist, plan, "psychological", "Күзетпен ұстаудан кейінгі стресс.", "high")
    _task(psychologist, psych, "Апта сайынғы жеке кеңес, қорытынды баяндама.", psychologist, -4, 25)
    leisure = _need(psychologist, plan, "leisure", "Бос уақыты ұйымдастырылмаған, көшеде жүреді.")
    club = _task(
        psychologist, leisure, "Орталықтағы спорт үйірмесіне орналастыру.", institution, 5, 20
    )
    services.decline_referral(
        actor=institution,
        task=club,
        reason="Орталық тек уақытша орналастырылған балаларға үйірме ұйымдастырады; "
        "аудандық жасөспірімдер клубына жолдаңыз.",
    )
    work = _need(psychologist, plan, "work", "16 жаста, кәсіп үйренгісі келеді.")
    job = _task(psychologist, work, "Кәсіптік курсқа жазылуға көмектесу.", social, 4, 10)
    services.accept_referral(actor=social, task=job, assignee=social)

    # 3. In court: the court social worker leads; referrals await the probation service and
    # the child-rights body.
    minor = _minor(6)
    plan = services.open_plan(
        actor=social,
        juvenile=minor.juvenile,
        accused=minor,
        goal="Сот талқылауы кезінде сүйемелдеу, қайта қылмыс жасаудың алдын алу.",
        today=today - 12 * D,
    )
    prevention = _need(social, plan, "prevention", "Бұрын да полиция есебінде болған.", "high")
    _task(
        social, prevention, "Профилактикалық әңгіме және тұрғылықты жерге бару.", probation, 2, 10
    )
    medical = _need(social, plan, "medical", "Денсаулығын тексеру қажет (жиі бас ауруы).")
    _task(social, medical, "Емханаға жолдама алуға көмектесу.", social, 0, 5)
    social_need = _need(social, plan, "social", "Тұрғын үй жағдайы нашар.")
    _task(social, social_need, "Тұрғын үй жағдайын тексеру актісі.", childrights, -2, 12)
