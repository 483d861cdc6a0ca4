"""The portrait report as a document: one set of data for the HTML preview and the PDF.

The PDF is typeset by typst with the Noto Sans shipped by fontpkg-noto-sans and no system
font, so every machine makes the same file with ә ғ қ ң ө ұ ү һ і. User text reaches typst
only as JSON in `sys.inputs`, where the template places it as strings: no character of it
(# * _ $ @ < > [ ] \\ quotes) is ever read as markup.
"""

import datetime
import json
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import fontpkg_noto_sans
import typst
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from qorgau.accounts.models import User
from qorgau.proceedings.legal_rules import rule_book
from qorgau.support.models.assessment import Assessment
from qorgau.support.models.portrait import REPORT_SECTIONS, PortraitReport
from qorgau.support.report_assessment import AssessmentSection, hidden_section, summarise

TEMPLATE = Path(__file__).resolve().parent / "templates_typst" / "portrait.typ"
FONTS = Path(fontpkg_noto_sans.__file__).parent / "files"

# The rule-book sections whose non-custodial entries a report may recommend instead of
# deprivation of liberty (proceedings/rules/kz.yaml), in the order they are offered.
ALTERNATIVE_SECTIONS = ("punishments", "preventive_measures", "termination_grounds")
NOT_AN_ALTERNATIVE = {"none", "active_repentance", "no_corpus_delicti", "amnesty", "other"}


def alternative_rules() -> list[Any]:
    """The rules a report may name as alternatives: nothing custodial, nothing unrelated."""
    book = rule_book()
    found: list[Any] = []
    for section in ALTERNATIVE_SECTIONS:
        for rule in book.rules[section]:
            if rule.attributes.get("custodial") or rule.code in NOT_AN_ALTERNATIVE:
                continue
            if rule.code not in {r.code for r in found}:
                found.append(rule)
    return found


def alternative_choices() -> list[tuple[str, str]]:
    return [(rule.code, rule.label) for rule in alternative_rules()]


def alternative_label(code: str) -> str:
    for rule in alternative_rules():
        if rule.code == code:
            return str(rule.label)
    return code


def day(value: datetime.date | datetime.datetime) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value).date()
    return value.strftime("%d.%m.%Y")


def moment(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M")


def paragraphs(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r\n", "\n").split("\n") if line.strip()]


@dataclass
class Section:
    name: str
    title: str
    paragraphs: list[str]


@dataclass
class ReportDocument:
    """Everything the preview and the PDF show, in the report's language."""

    lang: str
    title: str
    author: str
    agency: str
    confidential: str
    version_label: str
    case_label: str
    draft: str
    header: list[tuple[str, str]]
    sources_title: str
    interviews_title: str
    interviews: list[str]
    documents_title: str
    documents: list[str]
    sections: list[Section] = field(default_factory=list)
    alternatives_title: str = ""
    alternatives: list[str] = field(default_factory=list)
    # Shown just before the section "Risks and needs"; None when the report has no assessment.
    assessment: AssessmentSection | None = None
    signoff: list[tuple[str, str]] = field(default_factory=list)


def _assessment(report: PortraitReport, viewer: User | None) -> AssessmentSection | None:
    """The assessment fixed on the version. A signed report shows it to every reader (issuing
    it was the disclosure); a draft only to a reader who may see the assessment itself."""
    assessment = report.assessment
    if assessment is None:
        return None
    seen = Assessment.objects.visible_to(viewer).filter(pk=assessment.pk) if viewer else None
    if seen is not None and not report.is_signed and not seen.exists():
        return hidden_section()
    return summarise(assessment)


def build_document(report: PortraitReport, viewer: User | None = None) -> ReportDocument:
    """The report in its own language (kk or ru), whatever the language of the user's pages.

    `viewer` is the reader of a draft (None: the signing psychologist, for the frozen PDF).
    """
    portrait = report.portrait
    accused = portrait.accused
    juvenile = accused.juvenile
    case = accused.proceeding
    with translation.override(report.language):
        agency = getattr(portrait.agency, f"name_{report.language}", "") or portrait.agency.name_kk
        charges = ", ".join(
            str(charge.article.citation) for charge in accused.charges.filter(ended_at=None)
        )
        header = [
            (_("Minor"), juvenile.full_name),
            (_("Date of birth"), day(juvenile.birth_date)),
            (_("Criminal case"), case.number),
            (_("Criminal Code article parts"), charges or "—"),
            (_("Prepared for"), str(report.get_issued_to_display())),
            (_("Psychologist"), portrait.lead.get_full_name()),
        ]
        interviews = [
            _("%(with_whom)s: %(name)s, %(day)s")
            % {
                "with_whom": capfirst(str(interview.get_with_whom_display())),
                "name": interview.name,
                "day": day(interview.held_at),
            }
            for interview in portrait.interviews.all()
        ]
        documents = [
            _("%(title)s (%(source)s, %(day)s)")
            % {"title": document.title, "source": document.source, "day": day(document.received_on)}
            for document in portrait.documents.all()
        ]
        sections = [
            Section(name, str(title), paragraphs(report.section_text(name)))
            for name, title in REPORT_SECTIONS
        ]
        if report.is_signed:
            assert report.signed_by is not None and report.signed_at is not None
            signoff = [
                (_("Signed by"), report.signed_by.get_full_name()),
                (_("Date"), day(report.signed_at)),
            ]
            draft = ""
        else:
            signoff = [(_("Psychologist"), portrait.lead.get_full_name()), (_("Date"), "—")]
            draft = _("Draft: not signed, not issued")
        return ReportDocument(
            lang=report.language,
            title=_("Social-psychological portrait of a minor"),
            author=portrait.lead.get_full_name(),
            agency=agency,
            confidential=_("Confidential (CPC RK art. 532)"),
            version_label=_("Version %(version)s") % {"version": report.version},
            case_label=_("Case %(number)s") % {"number": case.number},
            draft=draft,
            header=header,
            sources_title=_("Sources of information"),
            interviews_title=_("Interviews held"),
            interviews=interviews,
            documents_title=_("Documents studied"),
            documents=documents,
            sections=sections,
            alternatives_title=_("Alternatives to deprivation of liberty recommended"),
            alternatives=[alternative_label(code) for code in report.alternatives],
            assessment=_assessment(report, viewer),
            signoff=signoff,
        )


@cache
def _template() -> bytes:
    return TEMPLATE.read_bytes()


def render_pdf(document: ReportDocument, *, when: datetime.datetime | None = None) -> bytes:
    """Typeset the document; `when` is the creation time written into the PDF."""
    data = json.dumps(asdict(document), ensure_ascii=False)
    stamp = int((when or timezone.now()).timestamp())
    result = typst.compile(  # type: ignore[misc]
        _template(),
        font_paths=[str(FONTS)],
        ignore_system_fonts=True,
        sys_inputs={"data": data},
        timestamp=stamp,
    )
    assert isinstance(result, bytes)
    return result
