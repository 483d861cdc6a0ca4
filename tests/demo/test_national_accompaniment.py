"""The accompaniment in a generated country: assessments, portraits, support plans and
mediations are what the services would have written (read back through the models, the
scoring, the selectors and the rules of the real code), at believable rates, each with its
audit rows."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from qorgau.audit.models import AuditEvent
from qorgau.audit.verify import verify_chain
from qorgau.demo.national import runner
from qorgau.mediation.models import Agreement, Mediation
from qorgau.mediation.rulebook import mediation_book
from qorgau.people.models import Juvenile
from qorgau.proceedings.models import Accused
from qorgau.support.assessment_scoring import score
from qorgau.support.models.assessment import Assessment
from qorgau.support.models.plan import PlanTask, SupportPlan
from qorgau.support.models.portrait import Disclosure, Portrait, PortraitReport
from qorgau.support.services.portrait.report import missing_interviews, receiving_agencies

AS_OF = datetime.date(2026, 12, 1)
pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator loads PostgreSQL"),
    pytest.mark.django_db,
]


def audited(action: str) -> Counter[str]:
    """How many audit rows of this action name each record (subject id)."""
    return Counter(AuditEvent.objects.filter(action=action).values_list("subject_id", flat=True))


def test_the_accompaniment_is_what_the_services_would_have_written():
    runner.generate(
        seed=3, scale=0.001, as_of=AS_OF, years=1, progress_every=float("inf")
    )  # 60 cases, a year of them (the instrument is in force from 2026-01-01)
    minors = Accused.objects.count()
    today = AS_OF

    # Assessments: scored by the real function against the version they name.
    completed = list(Assessment.objects.filter(status="completed"))
    assert 0.05 * minors <= len(completed) <= 0.6 * minors
    for a in completed:
        result = score(a.instrument, a.answers)
        assert a.domain_scores == result.domains, a.pk
        assert (a.society_score, a.child_score) == (
            result.totals["society"],
            result.totals["child"],
        )
        assert (a.society_level, a.child_level) == (
            result.levels["society"],
            result.levels["child"],
        )
        assert a.reasons == result.reasons
        assert a.instrument.valid_from <= a.created_at.date()
        assert a.accused.juvenile_id == a.juvenile_id
        assert a.author.has_role(
            "court_social_worker", "social_psychologist", "probation_inspector"
        )
        assert a.created_at <= a.completed_at <= a.updated_at
    starts = Counter(
        e.details["assessment_id"] for e in AuditEvent.objects.filter(action="assessment.start")
    )
    done = Counter(
        e.details["assessment_id"] for e in AuditEvent.objects.filter(action="assessment.complete")
    )
    assert all(starts[a.pk] == 1 and done[a.pk] == 1 for a in completed)
    assert all(
        starts[a.pk] == 1 and done[a.pk] == 0 for a in Assessment.objects.filter(status="draft")
    )

    # Portraits: signed reports had the interviews the rules require, are disclosed to the
    # case's agencies, carry a PDF and show the latest assessment completed before signing.
    portraits = list(Portrait.objects.select_related("accused__proceeding"))
    assert 0.3 * minors <= len(portraits) <= 0.7 * minors
    signed = list(
        PortraitReport.objects.filter(status="signed").select_related("portrait__accused")
    )
    assert signed
    for report in signed:
        portrait = report.portrait
        assert not missing_interviews(portrait, report.signed_at.date())
        assert bytes(report.pdf).startswith(b"%PDF") and report.pdf_size == len(report.pdf)
        disclosed = set(
            Disclosure.objects.filter(report=report, kind="issued").values_list(
                "recipient_agency_id", flat=True
            )
        )
        now_receiving = {a.pk for a in receiving_agencies(portrait.accused.proceeding, portrait)}
        assert disclosed and disclosed <= now_receiving, report.pk
        latest = (
            Assessment.objects.filter(
                juvenile_id=portrait.accused.juvenile_id,
                status="completed",
                completed_at__lte=report.signed_at,
            )
            .order_by("-completed_at")
            .first()
        )
        assert report.assessment_id == (latest.pk if latest else None), report.pk
    assert audited("portrait.start") == Counter({str(p.pk): 1 for p in portraits})

    # Support plans: needs with tasks across agencies, referrals answered, some late.
    plans = list(SupportPlan.objects.select_related("coordinator", "lead_agency"))
    assert 0.05 * minors <= len(plans) <= 0.6 * minors
    for plan in plans:
        assert SupportPlan.objects.visible_to(plan.coordinator).filter(pk=plan.pk).exists()
        assert plan.needs.exists() and plan.tasks.exists()
        if plan.status == "closed":
            assert not plan.tasks.filter(status__in=["proposed", "open"]).exists()
    tasks = PlanTask.objects.all()
    referrals = [t for t in tasks if t.is_referral]
    assert referrals and len({t.agency_id for t in tasks}) > len(plans)
    for task in referrals:
        if task.status == "proposed":
            assert task.answered_by_id is None, task.pk
        elif task.status != "cancelled":
            assert task.answered_by_id is not None, task.pk
            assert task.answered_by.agency_id == task.agency_id
    overdue = tasks.filter(status__in=["proposed", "open"], due_on__lt=today)
    assert overdue.exists(), "a country where every task is on time is not believable"
    assert audited("plan.open") == Counter({str(p.pk): 1 for p in plans})

    # Mediations: the agreement's schedule adds up, the status follows the payments, and a
    # termination on reconciliation links the minor's signed agreement.
    mediations = list(Mediation.objects.select_related("termination"))
    assert mediations
    ground = mediation_book().termination_ground
    for m in mediations:
        if m.termination is not None:
            assert m.termination.kind == "termination" and m.termination.ground == ground
            assert m.termination.accused_id == m.accused_id
            assert m.status in ("agreement", "fulfilled")
    for agreement in Agreement.objects.prefetch_related("instalments", "payments"):
        scheduled = sum((i.amount for i in agreement.instalments.all()), Decimal(0))
        assert scheduled == agreement.compensation
        assert agreement.paid_total <= agreement.compensation
        assert (agreement.mediation.status == "fulfilled") == agreement.is_fulfilled
    assert audited("mediation.refer") == Counter({str(m.pk): 1 for m in mediations})

    verified = verify_chain()
    assert verified.broken is None and verified.rows == AuditEvent.objects.count()  # all sealed
    assert Juvenile.objects.count() == minors


def test_the_pages_of_a_generated_country_open_for_the_people_in_it(client):
    """The records read back through the web pages, as the staff who made them see them."""
    from django.urls import reverse

    from qorgau.proceedings.models import Proceeding

    runner.generate(seed=5, scale=0.0005, as_of=AS_OF, years=1, progress_every=float("inf"))
    pages = []
    case = Proceeding.objects.select_related("investigator").first()
    pages.append((case.investigator, reverse("case_detail", args=[case.pk])))
    accused = case.accused.select_related("juvenile").first()
    pages.append((case.investigator, reverse("juvenile_detail", args=[accused.juvenile_id])))
    for a in Assessment.objects.filter(status="completed").select_related("author")[:3]:
        pages.append((a.author, reverse("assessment_detail", args=[a.pk])))
    for p in Portrait.objects.select_related("lead", "accused")[:3]:
        pages.append((p.lead, reverse("portrait", args=[p.accused.proceeding_id, p.accused_id])))
    for plan in SupportPlan.objects.select_related("coordinator")[:3]:
        pages.append((plan.coordinator, reverse("plan_detail", args=[plan.pk])))
    for m in Mediation.objects.select_related("mediator")[:3]:
        pages.append((m.mediator, reverse("mediation_detail", args=[m.pk])))
    assert len(pages) >= 8
    for user, url in pages:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, (url, user.username)
