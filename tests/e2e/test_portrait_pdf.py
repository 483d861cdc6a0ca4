"""A psychologist fills the report in the browser, signs it, downloads the PDF and we read it."""

import datetime
import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from qorgau.accounts.models import AgencyType, Role
from qorgau.proceedings import services as cases
from qorgau.proceedings.models import ParticipantRole
from qorgau.support.models import REPORT_SECTIONS, PortraitReport, ReportStatus
from qorgau.support.services import portrait as services
from tests import factories
from tests.e2e.conftest import SHOTS
from tests.e2e.test_case_timeline import open_case

# serialized_rollback: the flush after a live-server test must give back the reference data.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXT = (
    "Әлеуметтік ортасы: ұлы, үйі, қызы, Өскемен, Ғалым, Құрманов, һ, і, ӘҒҚҢӨҰҮҺІ — «тексеру» "
    "# * _ $ @ [ ]"
)


def test_the_psychologist_signs_a_report_and_downloads_its_pdf(live_server, page, screenshot):
    unit = factories.agency(AgencyType.INVESTIGATION_UNIT, factories.AUEZOV, "Әуезов ПД")
    investigator = factories.staff(Role.INVESTIGATOR, unit, username="tergeushi")
    office = factories.agency(AgencyType.PROSECUTOR_OFFICE, factories.ALMATY_CITY)
    case = open_case(investigator, factories.staff(Role.PROSECUTOR, office))
    accused = case.accused.get()
    bar = factories.agency(
        AgencyType.LEGAL_CONSULTATION, factories.ALMATY_CITY, "Заң консультациясы"
    )
    psychologist = factories.staff(Role.SOCIAL_PSYCHOLOGIST, bar, username="psiholog")
    cases.add_participant(
        actor=investigator,
        proceeding=case,
        role=ParticipantRole.SOCIAL_PSYCHOLOGIST,
        accused=accused,
        user=psychologist,
    )
    portrait = services.start_portrait(actor=psychologist, accused=accused)
    held = timezone.now() - datetime.timedelta(hours=3)
    for with_whom, name in (("minor", accused.juvenile.full_name), ("mother", "Сейітова Айгүл")):
        services.record_interview(
            actor=psychologist,
            portrait=portrait,
            with_whom=with_whom,
            name=name,
            held_at=held,
            summary="Әңгіме.",
        )

    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "psiholog")
    page.fill("#id_password", factories.PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")
    base = f"{live_server.url}/cases/{case.pk}/minors/{accused.pk}/portrait/"
    page.goto(base)
    page.locator("main form[action$='/report/new/'] button").click()
    page.wait_for_url("**/report/1/")

    for number, (name, _title) in enumerate(REPORT_SECTIONS):
        page.locator(f"a[href$='/sections/{name}/']").click()
        page.wait_for_url(f"**/sections/{name}/")
        page.fill("#id_text", f"{TEXT} ({number + 1})")
        page.check("input[name=completed][value=yes]")
        page.locator("main button[type=submit]").click()
        page.wait_for_url("**/report/1/")
    screenshot("portrait-tasks")
    assert page.locator(".govuk-task-list__status .govuk-tag--green").count() == len(
        REPORT_SECTIONS
    )

    page.locator("a[href$='/details/']").first.click()
    page.check("input[name=language][value=kk]")
    page.check("input[name=issued_to][value=court]")
    page.check("input[name=alternatives][value=community_works]")
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/report/1/")

    page.locator("a[href$='/check/']").click()
    page.wait_for_url("**/check/")
    page.locator("main button[type=submit]").click()  # without the declaration: refused
    assert page.locator(".govuk-error-summary").is_visible()
    page.check("#id_declaration")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}#versions")
    screenshot("portrait-signed")

    with page.expect_download() as info:
        page.locator("#versions a[href$='/pdf/']").click()
    content = info.value.path().read_bytes()
    report = PortraitReport.objects.get(portrait=portrait, version=1)
    assert report.status == ReportStatus.SIGNED and content == bytes(report.pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    for letter in "әғқңөұүһіӘҒҚҢӨҰҮҺІ":
        assert letter in text, letter
    assert "Әлеуметтік ортасы: ұлы, үйі, қызы, Өскемен" in text
    assert "# * _ $ @ [ ]" in text
    assert "қоғамдық жұмыстарға тарту" in text
    assert timezone.localdate().strftime("%d.%m.%Y") in text
    assert psychologist.get_full_name() in text
    (SHOTS / "portrait.pdf").write_bytes(content)
