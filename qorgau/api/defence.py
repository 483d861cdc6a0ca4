"""The defence part of the accompaniment in the JSON API: consultations with their members, the
24/7 duty roster, the on-duty proposal and one-step assignment for a detained minor, and the
response times. Thin over qorgau.defence.services and selectors."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Status

from qorgau.accounts.models import Agency, AgencyType, User
from qorgau.api.common import MESSAGE_NO_PAGE, acting_user, responses, territory_by_code
from qorgau.api.defence_schemas import (
    AssignIn,
    AssignmentOut,
    CancelIn,
    ConsultationOut,
    OnDutyOut,
    PeriodFilters,
    ResponseTimesOut,
    RosterFilters,
    RosterOut,
    ShiftIn,
    ShiftOut,
)
from qorgau.api.versions import with_etag
from qorgau.core.models import Territory
from qorgau.defence import selectors, services
from qorgau.defence.models import DutyShift
from qorgau.proceedings.models import Accused, ParticipantRole, Proceeding

router = Router(tags=["defence"])

MESSAGE_UNKNOWN_CONSULTATION = _("There is no legal consultation with the number %(id)s.")
MESSAGE_UNKNOWN_STAFF = _("There is no active staff member with the number %(id)s.")
MESSAGE_NO_OFFSET = _(
    "Give the time with its offset from UTC, for example 2026-03-01T21:30:00+05:00."
)
ROSTER_READERS = (
    "Staff whose role reads the roster (`defence.view_dutyshift`: investigators, juvenile "
    "police inspectors, prosecutors, defence lawyers, social psychologists, interns, judges, "
    "analysts, administrators); others get 403. The roster is the consultations' contact list "
    "for the case agencies: every reader sees every region."
)
KEEPERS = (
    "The consultation's own defence lawyers and social psychologists, and administrators; "
    "others get 403."
)
CASE_SCOPE = (
    "The case must be one the caller's agency takes part in (else 404); only whoever records a "
    "defender's assignment now may call it: the investigator of the conducting agency before "
    "court, the judge of the court in it (else 403)."
)


def _member(field: str, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        raise ValidationError({field: MESSAGE_UNKNOWN_STAFF % {"id": user_id}})
    return user


def _aware(field: str, moment: datetime.datetime) -> None:
    if timezone.is_naive(moment):
        raise ValidationError({field: MESSAGE_NO_OFFSET})


def _consultation_out(agency: Agency) -> dict[str, Any]:
    members = selectors.members(agency)
    return {
        "id": agency.pk,
        "name": agency.name,
        "region": agency.region,
        "address": agency.address,
        "phone": agency.phone,
        "lawyers": members.lawyers,
        "psychologists": members.psychologists,
        "interns": members.interns,
    }


@router.get(
    "/consultations",
    response=responses({200: list[ConsultationOut]}, 401, 403),
    summary="List juvenile legal consultations with their members",
    description="Active consultations with their lawyers, social psychologists and interns "
    "(names, positions, phones), read from the staff accounts. " + ROSTER_READERS,
)
def list_consultations(request: HttpRequest) -> list[dict[str, Any]]:
    selectors.require_roster_reader(acting_user(request, "defence.view_dutyshift"))
    return [_consultation_out(agency) for agency in selectors.consultations()]


def _region(user: User, code: str | None) -> Territory:
    territory = territory_by_code("region", code)
    if territory is not None:
        return selectors.region_of(territory)
    if user.agency is not None:
        return selectors.region_of(user.agency.territory)
    raise ValidationError({"region": _("Choose a region or city.")})


@router.get(
    "/duty-shifts",
    response=responses({200: RosterOut}, 401, 403, 422),
    summary="Read one week of a region's duty roster",
    description=(
        "The shifts not cancelled overlapping the week from Monday, and the gaps in the 24/7 "
        "cover of each duty. " + ROSTER_READERS
    ),
)
def read_roster(request: HttpRequest, filters: Query[RosterFilters]) -> dict[str, Any]:
    user = acting_user(request, "defence.view_dutyshift")
    selectors.require_roster_reader(user)
    region = _region(user, filters.region)
    week = selectors.roster_week(region, filters.week or timezone.localdate())
    return {
        "region": region,
        "week_start": week.start,
        "shifts": week.shifts,
        "gaps": week.gaps,
    }


@router.post(
    "/duty-shifts",
    response=responses({201: ShiftOut}, 400, 401, 403, 422),
    summary="Add a duty shift",
    description="Puts a member of a consultation on duty for a region or city (default the "
    "consultation's). Refused: a member of another consultation or without the duty's role, an "
    "intern on duty alone or with a defender, end not after start, a shift over the policy's "
    "maximum (24 h), an overlap with the member's or intern's other shift. " + KEEPERS,
)
@with_etag
def add_shift(request: HttpRequest, payload: ShiftIn) -> Status[DutyShift]:
    user = acting_user(request, "defence.add_dutyshift")
    _aware("starts_at", payload.starts_at)
    _aware("ends_at", payload.ends_at)
    consultation = Agency.objects.filter(
        pk=payload.consultation, agency_type=AgencyType.LEGAL_CONSULTATION
    ).first()
    if consultation is None:
        raise ValidationError(
            {"consultation": MESSAGE_UNKNOWN_CONSULTATION % {"id": payload.consultation}}
        )
    member = _member("member", payload.member)
    assert member is not None
    shift = services.add_shift(
        actor=user,
        consultation=consultation,
        member=member,
        duty=payload.duty,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        territory=territory_by_code("territory", payload.territory),
        intern=_member("intern", payload.intern),
    )
    return Status(201, shift)


@router.post(
    "/duty-shifts/{shift_id}/cancel",
    response=responses({200: ShiftOut}, 400, 401, 403, 404, 422),
    summary="Cancel a duty shift",
    description="Takes a shift off the roster with the reason. Refused once the shift is over, "
    "when a minor was assigned from it, or when already cancelled. " + KEEPERS,
)
@with_etag
def cancel_shift(request: HttpRequest, shift_id: int, payload: CancelIn) -> DutyShift:
    user = acting_user(request, "defence.change_dutyshift")
    shift = DutyShift.objects.select_related("consultation").get(pk=shift_id)
    return services.cancel_shift(actor=user, shift=shift, reason=payload.reason)


def _accused(user: User, case_id: int, accused_id: int) -> Accused:
    case = Proceeding.objects.visible_to(user).get(pk=case_id)
    return case.accused.select_related("proceeding__territory").get(pk=accused_id)


@router.get(
    "/cases/{case_id}/minors/{accused_id}/on-duty",
    response=responses({200: OnDutyOut}, 401, 403, 404),
    summary="Who is on duty for a detained minor now",
    description="The defenders and social psychologists on duty now in the region of the case, "
    "with the minor's latest detention and whether the minor already has a defender or "
    "psychologist. Any reader of the case sees it (404 outside the case's agencies).",
)
def read_on_duty(request: HttpRequest, case_id: int, accused_id: int) -> dict[str, Any]:
    user = acting_user(request, "defence.view_dutyshift")
    accused = _accused(user, case_id, accused_id)
    found = selectors.on_duty(accused.proceeding.territory, timezone.now())
    detention = selectors.detention_of(accused)
    return {
        "region": found.region,
        "at": found.at,
        "defenders": found.defenders,
        "psychologists": found.psychologists,
        "detained_at": detention.started_at if detention else None,
        "has_defender": selectors.has_participant(accused, ParticipantRole.DEFENDER),
        "has_psychologist": selectors.has_participant(accused, ParticipantRole.SOCIAL_PSYCHOLOGIST),
    }


def _assignment_out(row: selectors.Measured) -> dict[str, Any]:
    a = row.assignment

    def minutes(delta: datetime.timedelta | None) -> float | None:
        return delta.total_seconds() / 60 if delta is not None else None

    return {
        "id": a.pk,
        "case": a.accused.proceeding_id,
        "accused": a.accused_id,
        "region": a.region,
        "detained_at": row.detained_at,
        "assigned_at": row.assigned_at,
        "defender": a.defender_id,
        "psychologist": a.psychologist_id,
        "state_paid": a.state_paid,
        "defender_arrived_at": row.defender_arrived_at,
        "psychologist_arrived_at": row.psychologist_arrived_at,
        "minutes_to_assignment": minutes(row.to_assignment),
        "minutes_to_defender": minutes(row.to_defender),
        "minutes_to_psychologist": minutes(row.to_psychologist),
    }


@router.post(
    "/cases/{case_id}/minors/{accused_id}/on-duty-assignment",
    response=responses({201: AssignmentOut}, 400, 401, 403, 404, 422),
    summary="Assign the on-duty defender (and psychologist) in one step",
    description="In one transaction: adds the defender (with `state_paid`) and the psychologist "
    "as participants for the minor, records «defender assigned» on the timeline and keeps the "
    "assignment with the shifts it came from. Refused without a detention, when the minor "
    "already has a defender (replacement is not done here), or when the person is not on duty "
    "now in the case's region. " + CASE_SCOPE,
)
def assign_on_duty(
    request: HttpRequest, case_id: int, accused_id: int, payload: AssignIn
) -> Status[dict[str, Any]]:
    user = acting_user(request)
    accused = _accused(user, case_id, accused_id)
    defender = _member("defender", payload.defender)
    assert defender is not None
    assignment = services.assign_on_duty(
        actor=user,
        accused=accused,
        defender=defender,
        psychologist=_member("psychologist", payload.psychologist),
        state_paid=payload.state_paid,
    )
    return Status(201, _assignment_out(selectors.measure([assignment])[0]))


@router.get(
    "/response-times",
    response=responses({200: ResponseTimesOut}, 401, 403, 422),
    summary="Response times of the on-duty defence",
    description="Minutes from the actual detention to the assignment and to each person's first "
    "recorded arrival, per assignment and summed up per region and in all (count, median, "
    "number and share within each target, share paid by the state), for assignments made in the "
    "period. A share counts every assignment; an arrival not recorded counts against it. "
    "`assignments` holds one page of them (25, newest first; `page`, `pages`). "
    "Readers (`defence.view_ondutyassignment`): analysts and administrators see all regions; "
    "prosecutors their region; consultation members their consultation's assignments; "
    "investigators and judges the cases their agency takes part in. `assignments` (one row per "
    "case) is empty for readers who may not read cases (analysts, administrators): they get the "
    "figures only.",
)
def read_response_times(request: HttpRequest, filters: Query[PeriodFilters]) -> dict[str, Any]:
    user = acting_user(request, "defence.view_ondutyassignment")
    end = filters.end or timezone.localdate()
    start = filters.start or end - datetime.timedelta(days=89)
    region = territory_by_code("region", filters.region)
    report = selectors.response_times(
        actor=user, start=start, end=end, region=region, page=filters.page
    )
    if filters.page > report.pages:
        raise ValidationError(
            {"page": MESSAGE_NO_PAGE % {"page": filters.page, "pages": report.pages}}
        )

    def summary(s: selectors.Summary) -> dict[str, Any]:
        def interval(i: selectors.Interval) -> dict[str, Any]:
            return {
                "count": i.count,
                "measured": i.measured,
                "median_minutes": i.median_minutes,
                "within": [{"hours": h, "number": n, "share": p} for h, n, p in i.within],
            }

        return {
            "label": s.label,
            "count": s.count,
            "state_paid": s.state_paid,
            "state_paid_share": s.state_paid_share,
            "to_assignment": interval(s.to_assignment),
            "to_defender": interval(s.to_defender),
            "to_psychologist": interval(s.to_psychologist),
        }

    return {
        "start": start,
        "end": end,
        "targets": report.targets,
        "total": summary(report.total),
        "by_region": [summary(s) for s in report.by_region],
        "page": report.page,
        "pages": report.pages,
        "assignments": [_assignment_out(row) for row in report.rows],
    }
