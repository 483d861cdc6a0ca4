"""Social-psychological portraits, as qorgau/support/services/portrait/ writes them.

The case's psychologist (of the region's juvenile legal consultation) starts the study soon
after first meeting the minor, interviews the minor and a parent or the legal
representative (the interviews the rules require before signing), often a teacher; interns
record some interviews; a document or a working note is sometimes added. Report version 1 is
drafted, written (one edit of every section, all marked completed) and signed: it then shows
the minor's latest completed assessment, carries a small PDF (the same synthetic document
for every report: the figures are about volume, not typesetting) and is disclosed to every
agency of the case. Recent ones are still drafts at the as-of moment.
"""

import datetime
import hashlib
import random
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from qorgau.accounts.models import AgencyType, Role
from qorgau.demo.national import audit, names
from qorgau.demo.national.assessments import Done, first
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.minor import Ids
from qorgau.proceedings.models import EventKind as K
from qorgau.support import pdf
from qorgau.support.models.portrait import REPORT_SECTIONS

D = datetime.timedelta(days=1)
H = datetime.timedelta(hours=1)
M = datetime.timedelta(minutes=1)
SHARE = 0.55  # of minors met by the psychologist
SECTIONS = [name for name, _title in REPORT_SECTIONS]
TEXT = {
    "kk": "Бала туралы мәліметтер әңгімелер мен құжаттар негізінде жинақталды. "
    "Отбасы жағдайы, оқуы және достарының әсері қаралды; ұсынымдар берілді.",
    "ru": "Сведения о ребёнке собраны по итогам бесед и документов. Рассмотрены условия "
    "жизни семьи, учёба и влияние сверстников; даны рекомендации.",
}
SUMMARIES = (
    "Әңгіме барысында бала өз әрекетіне өкінетінін айтты.",
    "Отбасындағы жағдай, баланың күн тәртібі талқыланды.",
    "Мектептегі үлгерімі мен тәртібі туралы мәлімет алынды.",
)
RELATION_TO_INTERVIEW = {"mother": "mother", "father": "father"}


def _tiny_pdf() -> bytes:
    """A valid one-page PDF that says what it is (the same for every synthetic report)."""
    text = b"BT /F1 12 Tf 72 720 Td (Synthetic report: qorgau generate-national) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


PDF = _tiny_pdf()
PDF_SHA256 = hashlib.sha256(PDF).hexdigest()
_NOTES: dict[str, str] = {}


def _disclosure_note(language: str, completed: datetime.datetime) -> str:
    """report_assessment.disclosure_note in the report's language."""
    if language not in _NOTES:
        with translation.override(language):
            _NOTES[language] = gettext(
                "The report includes the risk and needs assessment of %(day)s: both levels and "
                "their reasons."
            )
    return _NOTES[language] % {"day": audit.local_time(completed, "%d.%m.%Y")}


def make_portrait(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    *,
    region: Any,
    made: Any,
    ctx: Any,
    assessments: list[Done],
    court_from: datetime.datetime | None,
    now: datetime.datetime,
) -> None:
    met = first(made.events, K.PSYCHOLOGIST_PRESENT)
    if met is None or rng.random() >= SHARE:
        return
    lead = made.people.psychologist
    consultation = region.agencies[AgencyType.LEGAL_CONSULTATION]
    interns = consultation.staff[Role.PSYCHOLOGY_INTERN]
    started = (met.start + rng.uniform(0.1, 3) * D).replace(microsecond=0)
    if started >= now:
        return
    child = made.child
    portrait_id = ids("support_portrait")
    subject = (
        "support.portrait",
        portrait_id,
        gettext("Portrait of %(name)s") % {"name": child.name.full},
    )

    def write(at: datetime.datetime, actor: Any, action: str, **kw: Any) -> None:
        rows.add(
            "audit_auditevent",
            audit.row(
                id=ids("audit_auditevent"),
                at=at,
                actor=actor,
                action=action,
                subject=subject,
                rng=rng,
                **kw,
            ),
        )

    write(started, lead.actor, "portrait.start", details={"accused_id": made.id, "case_id": ctx.id})
    relation, person = child.relatives[0]
    talks = [("minor", child.name.full)]
    talks.append((RELATION_TO_INTERVIEW.get(relation, "legal_representative"), person.full))
    if rng.random() < 0.4:
        talks.append(("teacher", names.person(rng).full))
    if rng.random() < 0.15:
        talks.append(("close_person", names.person(rng).full))
    moment, last = started, started
    for with_whom, name in talks:
        held = (moment + rng.uniform(0.5, 4) * D).replace(minute=rng.randint(0, 59), microsecond=0)
        recorded = held + rng.randint(30, 240) * M
        if recorded >= now:
            break
        by = (
            rng.choice(interns)
            if interns and with_whom != "minor" and rng.random() < 0.25
            else lead
        )
        interview_id = ids("support_interview")
        rows.add(
            "support_interview",
            (
                interview_id,
                recorded,
                recorded,
                portrait_id,
                with_whom,
                name,
                held,
                rng.choice(("Консультация кабинеті", "Баланың үйі", "Мектеп")),
                rng.choice(SUMMARIES),
                by.id,
            ),
        )
        write(
            recorded,
            by.actor,
            "portrait.interview",
            changes={"interview": (None, with_whom)},
            details={"interview_id": interview_id},
        )
        moment = last = recorded
    if len(talks) > 1 and last > started and rng.random() < 0.5:
        last += rng.randint(5, 120) * M
        if last < now:
            document_id = ids("support_collecteddocument")
            rows.add(
                "support_collecteddocument",
                (
                    document_id,
                    last,
                    last,
                    portrait_id,
                    "school_reference",
                    "Мектептен мінездеме",
                    "№" + str(rng.randint(1, 180)) + " мектеп",
                    audit.local_day(last) - datetime.timedelta(days=rng.randint(0, 10)),
                    "Сабаққа тұрақты қатыспайды, сыныптастарымен қарым-қатынасы жақсы.",
                    lead.id,
                ),
            )
            write(
                last,
                lead.actor,
                "portrait.document",
                changes={"document": (None, "school_reference")},
                details={"document_id": document_id},
            )
    rows.add("support_portrait", (portrait_id, started, started, made.id, consultation.id, lead.id))
    if len(talks) < 2 or last == started:
        return  # the required interviews are not all recorded yet: no report
    _report(rng, rows, ids, write, lead, portrait_id, last, made, ctx, assessments, court_from, now)


def _report(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    write: Any,
    lead: Any,
    portrait_id: int,
    after: datetime.datetime,
    made: Any,
    ctx: Any,
    assessments: list[Done],
    court_from: datetime.datetime | None,
    now: datetime.datetime,
) -> None:
    drafted = (after + rng.uniform(0.5, 3) * D).replace(microsecond=0)
    if drafted >= now:
        return
    report_id = ids("support_portraitreport")
    language = "kk" if rng.random() < 0.72 else "ru"

    def shown(at: datetime.datetime) -> Done | None:
        return next((a for a in reversed(assessments) if a.completed_at <= at), None)

    assessment = shown(drafted)
    changes: dict[str, tuple[Any, Any]] = {"version": (None, 1)}
    if assessment is not None:
        changes["assessment"] = (None, assessment.id)
    write(
        drafted,
        lead.actor,
        "portrait.report_draft",
        changes=changes,
        details={"report_id": report_id},
    )
    edited = drafted + rng.uniform(1, 30) * H
    issued_to = "court" if court_from is not None and court_from <= edited else "investigator"
    alternatives: list[str] = []
    if issued_to == "court" and rng.random() < 0.4:
        alternatives = [rng.choice([code for code, _label in pdf.alternative_choices()])]
    text = TEXT[language]
    status, signed_at, revision = "draft", None, 1
    if edited < now:
        edits: dict[str, tuple[Any, Any]] = dict.fromkeys(SECTIONS, (0, len(text)))
        edits["completed_sections"] = ([], SECTIONS)
        if language != "kk":
            edits["language"] = ("kk", language)
        if issued_to != "investigator":
            edits["issued_to"] = ("investigator", issued_to)
        if alternatives:
            edits["alternatives"] = ("", ", ".join(alternatives))
        later = shown(edited)
        if later is not None and later is not assessment:
            edits["assessment"] = (assessment.id if assessment else None, later.id)
            assessment = later
        revision = 2
        write(
            edited.replace(microsecond=0),
            lead.actor,
            "portrait.report_edit",
            changes=edits,
            details={"report_id": report_id, "version": 1},
        )
        signed = (edited + rng.uniform(0.2, 4) * D).replace(microsecond=0)
        if signed < now:
            status, signed_at = "signed", signed
    else:
        language, issued_to, alternatives = "kk", "investigator", []
    # Signing looks the assessment up a last time and freezes it with the version.
    followed: dict[str, tuple[Any, Any]] = {}
    final = shown(signed_at) if signed_at is not None else None
    if final is not None and final is not assessment:
        followed["assessment"] = (assessment.id if assessment else None, final.id)
        assessment = final
    written = revision == 2
    rows.add(
        "support_portraitreport",
        (
            report_id,
            drafted,
            signed_at or (edited if written else drafted),
            portrait_id,
            1,
            revision,
            language,
            issued_to,
            *([text if written else ""] * len(SECTIONS)),
            SECTIONS if written else [],
            alternatives,
            assessment.id if assessment else None,
            status,
            lead.id,
            lead.id if signed_at else None,
            signed_at,
            PDF if signed_at else None,
            PDF_SHA256 if signed_at else "",
            len(PDF) if signed_at else None,
        ),
    )
    if signed_at is None:
        return
    receivers = {ctx.registering_id, ctx.investigator.agency_id, ctx.prosecutor.agency_id}
    if court_from is not None and court_from <= signed_at:
        receivers.add(ctx.judge.agency_id)
    receivers.discard(ctx.consultation.id)
    note = _disclosure_note(language, assessment.completed_at) if assessment else ""
    for agency_id in sorted(receivers):
        rows.add(
            "support_disclosure",
            (
                ids("support_disclosure"),
                portrait_id,
                report_id,
                "issued",
                agency_id,
                None,
                lead.id,
                "",
                signed_at,
                note,
                issued_to,
            ),
        )
    write(
        signed_at,
        lead.actor,
        "portrait.report_sign",
        changes={"status": ("draft", "signed"), **followed},
        details={
            "report_id": report_id,
            "version": 1,
            "language": language,
            "sha256": PDF_SHA256,
            "size": len(PDF),
            "assessment_id": assessment.id if assessment else None,
        },
    )
    readers = [ctx.investigator] + ([ctx.judge] if issued_to == "court" else [])
    for reader in readers:
        if rng.random() < 0.6:
            seen = min(signed_at + rng.uniform(0.05, 10) * D, now).replace(microsecond=0)
            rows.add(
                "support_disclosure",
                (
                    ids("support_disclosure"),
                    portrait_id,
                    report_id,
                    "read",
                    reader.agency_id,
                    reader.id,
                    None,
                    "",
                    seen,
                    "",
                    "",
                ),
            )
            write(
                seen,
                reader.actor,
                "portrait.report_view",
                details={"report_id": report_id, "version": 1},
            )
