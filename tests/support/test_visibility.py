"""The row-by-row visible_to of support and mediation see exactly what the set-based rule saw.

Each rewritten method is compared, for every persona of the access world (and a superuser),
with the formulation it replaced: `x IN Proceeding.objects.visible_to(user)`.
"""

from collections.abc import Iterator

import pytest
from django.db.models import Q

from qorgau.accounts.models import User
from qorgau.mediation.models import Mediation
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.models import (
    Assessment,
    Interview,
    PlanTask,
    Portrait,
    PortraitReport,
    SupportPlan,
)
from qorgau.support.models.assessment import AssessmentStatus
from qorgau.support.models.portrait import ReportStatus, in_consultation
from qorgau.support.visibility import case_seen_by
from tests.access.world import World, built_once, everyone

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with built_once(django_db_blocker) as built:
        yield built


@pytest.fixture(scope="module")
def users(world: World, django_db_blocker) -> list[User]:
    return everyone(world, django_db_blocker)


def cases(user: User):
    return Proceeding.objects.visible_to(user).values("pk")


def old_kept(user: User):
    if not user.has_perm("support.view_portrait"):
        return Portrait.objects.none()
    return Portrait.objects.filter(in_consultation(user), accused__proceeding__in=cases(user))


def old_portraits(user: User):
    if not user.has_perm("support.view_portrait"):
        return Portrait.objects.none()
    issued = PortraitReport.objects.filter(status=ReportStatus.SIGNED).values("portrait")
    return Portrait.objects.filter(
        in_consultation(user) | Q(pk__in=issued), accused__proceeding__in=cases(user)
    )


def old_reports(user: User):
    if not user.has_perm("support.view_portraitreport"):
        return PortraitReport.objects.none()
    return PortraitReport.objects.filter(
        Q(portrait__in=old_kept(user).values("pk"))
        | Q(status=ReportStatus.SIGNED, portrait__accused__proceeding__in=cases(user))
    )


def old_plans(user: User):
    if not user.is_active or not user.has_perm("support.view_supportplan"):
        return SupportPlan.objects.none()
    if user.is_superuser:
        return SupportPlan.objects.all()
    if user.agency is None or not user.agency.is_active:
        return SupportPlan.objects.none()
    agency = user.agency.pk
    tasks = PlanTask.objects.filter(Q(agency_id=agency) | Q(referred_by_agency_id=agency))
    minors = Accused.objects.filter(proceeding__in=cases(user)).values("juvenile")
    return SupportPlan.objects.filter(
        Q(lead_agency_id=agency) | Q(pk__in=tasks.values("plan")) | Q(juvenile__in=minors)
    )


def old_mediations(user: User):
    if not user.is_active:
        return Mediation.objects.none()
    if user.is_superuser:
        return Mediation.objects.all()
    if not user.has_perm("mediation.view_mediation"):
        return Mediation.objects.none()
    if user.agency is None or not user.agency.is_active:
        return Mediation.objects.none()
    return Mediation.objects.filter(
        Q(proceeding__in=cases(user)) | Q(mediator__agency_id=user.agency_id)
    )


def old_assessments(user: User):
    if not user.is_active or not user.has_perm("support.view_assessment"):
        return Assessment.objects.none()
    if user.is_superuser:
        return Assessment.objects.filter(Q(status=AssessmentStatus.COMPLETED) | Q(author=user))
    if user.agency is None or not user.agency.is_active:
        return Assessment.objects.none()
    children = Accused.objects.filter(proceeding__in=cases(user)).values("juvenile")
    finished = Q(status=AssessmentStatus.COMPLETED) | Q(author=user)
    return Assessment.objects.filter(
        Q(author_agency=user.agency) | Q(juvenile__in=children), finished
    )


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_world_has_rows_to_compare(world):
    for model in (Portrait, PortraitReport, SupportPlan, PlanTask, Mediation, Assessment):
        assert model.objects.exists(), model


def test_case_seen_by_is_proceeding_visible_to(users):
    for user in users:
        row_by_row = Proceeding.objects.filter(case_seen_by(user, "pk"))
        assert ids(row_by_row) == ids(Proceeding.objects.visible_to(user)), user.username


@pytest.mark.parametrize(
    ("name", "new", "old"),
    [
        ("portrait kept", lambda u: Portrait.objects.kept_by(u), old_kept),
        ("portrait", lambda u: Portrait.objects.visible_to(u), old_portraits),
        ("report", lambda u: PortraitReport.objects.visible_to(u), old_reports),
        (
            "report kept",
            lambda u: PortraitReport.objects.kept_by(u),
            lambda u: PortraitReport.objects.filter(portrait__in=old_kept(u).values("pk")),
        ),
        (
            "interview",
            lambda u: Interview.objects.visible_to(u),
            lambda u: Interview.objects.filter(portrait__in=old_kept(u).values("pk")),
        ),
        ("plan", lambda u: SupportPlan.objects.visible_to(u), old_plans),
        (
            "task",
            lambda u: PlanTask.objects.visible_to(u),
            lambda u: PlanTask.objects.filter(plan__in=old_plans(u).values("pk")),
        ),
        ("mediation", lambda u: Mediation.objects.visible_to(u), old_mediations),
        ("assessment", lambda u: Assessment.objects.visible_to(u), old_assessments),
    ],
)
def test_visible_to_sees_what_it_saw(users, name, new, old):
    seen_by_someone = False
    for user in users:
        assert ids(new(user)) == ids(old(user)), f"{name}: {user.username}"
        seen_by_someone = seen_by_someone or bool(ids(old(user)))
    assert seen_by_someone, name
