"""Demo data of the portraits part of the accompaniment, built through its services.

The demo psychologist (consultation almaty_bar) has a portrait in progress for the Almaty case
with the late defender, and a signed report in Kazakh for the Almaty case now in court.
"""

import datetime
import random

from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.demo.assessments import assess
from qorgau.proceedings.models import Accused
from qorgau.support.models import REPORT_SECTIONS, DocumentKind, InterviewWith, Portrait
from qorgau.support.services import portrait as services

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)

# Scenario numbers of demo/cases.py SCENARIOS: 6 = in court, 8 = the late defender.
SIGNED_CASE = 6
IN_PROGRESS_CASE = 8

SECTIONS = {
    "grounds": (
        "Портрет қорғаушының өтініші бойынша жасалды. Кәмелетке толмағанмен, оның анасымен "
        "және сынып жетекшісімен әңгімелесу жүргізілді; мектептің мінездемесі мен тұрғын үй "
        "жағдайын тексеру актісі зерделенді."
    ),
    "family": (
        "Бала анасымен және інісімен екі бөлмелі пәтерде тұрады. Әкесі үш жыл бұрын отбасынан "
        "кеткен. Анасы базарда жұмыс істейді, үйге кеш оралады; бала кешке жиі қараусыз қалады."
    ),
    "development": (
        "Жасына сай дамыған. Созылмалы аурулары жоқ. Есірткі мен алкогольге тәуелділік белгілері "
        "анықталған жоқ."
    ),
    "education": (
        "№ 52 мектеп-гимназияның 9-сыныбында оқиды. Соңғы жарты жылда сабаққа жиі келмеген; "
        "педагогикалық қараусыздық белгілері бар. Бос уақытында футбол үйірмесіне барған."
    ),
    "influences": (
        "Өзінен үлкен жасөспірімдер тобымен араласа бастаған; ересек таныстарының ықпалы "
        "байқалады. Анасымен қарым-қатынасы жылы, бірақ бақылау әлсіз."
    ),
    "personality": (
        "Ұялшақ, сенгіш, өзін-өзі бағалауы төмен. Ұстау мен жауап алу кезінде қатты күйзеліс "
        "алды: ұйқысы бұзылған, болашағына алаңдайды. Өз әрекетіне өкінетінін айтады."
    ),
    "risks": (
        "Қайта қылмыс жасау қаупі орташа: қараусыз бос уақыт, үлкен жастағы топтың ықпалы. "
        "Қажеттіліктер: оқуды жалғастыру, бос уақытты ұйымдастыру, анасына қолдау."
    ),
    "conclusions": (
        "Бала бас бостандығынан айыруды қажет етпейді; отбасы мен мектеппен жұмыс оның мінез-"
        "құлқын түзетуге жеткілікті."
    ),
    "recommendations": (
        "Бас бостандығынан айыруға байланысты емес жаза тағайындау; психологиялық сүйемелдеуді "
        "жалғастыру; футбол үйірмесіне қайта тарту; анасына ата-ана біліктілігі бойынша кеңес беру."
    ),
}


def _accused(number: int) -> Accused | None:
    year = timezone.localdate().year % 100
    return (
        Accused.objects.filter(proceeding__number=f"{year}7513{number:07d}")
        .select_related("proceeding")
        .first()
    )


def _working_material(portrait: Portrait, psychologist: User, full: bool) -> None:
    offence = portrait.accused.proceeding.offence_at
    now = timezone.now()

    def held(days: float) -> datetime.datetime:
        return min(offence + days * D, now - H)

    services.record_interview(
        actor=psychologist,
        portrait=portrait,
        with_whom=InterviewWith.MINOR,
        name=portrait.accused.juvenile.full_name,
        held_at=held(1),
        place="Әуезов ауданының ПБ, кәмелетке толмағандармен жұмыс бөлмесі",
        summary="Бала қорқып тұр, әңгімеге бірден ашылмады. Оқиғаға өкінетінін айтты.",
    )
    services.record_document(
        actor=psychologist,
        portrait=portrait,
        kind=DocumentKind.SCHOOL_REFERENCE,
        title="№ 52 мектеп-гимназияның мінездемесі",
        source="№ 52 мектеп-гимназия",
        received_on=timezone.localdate(held(2)),
        summary="Оқу үлгерімі орташа, соңғы жарты жылда сабаққа жиі келмеген.",
    )
    if not full:
        services.add_note(
            actor=psychologist,
            portrait=portrait,
            text="Анасымен әңгімені жұмыстан кейін, кешкі 19:00-де өткізу керек.",
        )
        return
    services.record_interview(
        actor=psychologist,
        portrait=portrait,
        with_whom=InterviewWith.MOTHER,
        name="Анасы",
        held_at=held(2),
        place="Заң консультациясы",
        summary="Анасы баласының кешке қайда жүретінін білмейтінін мойындады.",
    )
    services.record_interview(
        actor=psychologist,
        portrait=portrait,
        with_whom=InterviewWith.TEACHER,
        name="Сынып жетекшісі",
        held_at=held(3),
        place="№ 52 мектеп-гимназия",
        summary="Бала сыныпта тыныш, бірақ соңғы кезде үлкен балалармен жүреді.",
    )
    services.record_document(
        actor=psychologist,
        portrait=portrait,
        kind=DocumentKind.HOUSING_INSPECTION,
        title="Тұрғын үй-тұрмыс жағдайын тексеру актісі",
        source="Әуезов ауданының қорғаншылық және қамқоршылық органы",
        received_on=timezone.localdate(held(4)),
        summary="Пәтер таза, баланың жеке оқу орны бар.",
    )


def load(staff: dict[str, User], rng: random.Random) -> None:
    """Called once the demo cases exist; `staff` maps each demo login to its user."""
    psychologist = staff["psychologist"]
    in_progress = _accused(IN_PROGRESS_CASE)
    if in_progress is not None:
        portrait = services.start_portrait(actor=psychologist, accused=in_progress)
        _working_material(portrait, psychologist, full=False)
        report = services.start_report_version(actor=psychologist, portrait=portrait)
        services.update_report(
            actor=psychologist,
            report=report,
            sections={"grounds": SECTIONS["grounds"], "family": SECTIONS["family"]},
            completed={"grounds": True},
        )
    signed = _accused(SIGNED_CASE)
    if signed is not None:
        portrait = services.start_portrait(actor=psychologist, accused=signed)
        _working_material(portrait, psychologist, full=True)
        # The psychologist assesses risk and needs first: the signed report shows the levels.
        assess(psychologist, signed, "vulnerable_child", "Анасымен және баламен сөйлестім.")
        report = services.start_report_version(
            actor=psychologist, portrait=portrait, language="kk", issued_to="court"
        )
        names = [name for name, _title in REPORT_SECTIONS]
        services.update_report(
            actor=psychologist,
            report=report,
            sections=SECTIONS,
            completed=dict.fromkeys(names, True),
            alternatives=["community_works", "educational_measures"],
        )
        services.sign_report(actor=psychologist, report=report, declaration=True)
