"""The case page: where a minor's case stands, the charges, the people, and the timeline."""

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from qorgau.proceedings import selectors, services
from qorgau.proceedings.models import (
    Accused,
    Charge,
    EventKind,
    Participant,
    ParticipantRole,
    Proceeding,
    Stage,
)
from qorgau.safeguards import selectors as safeguards
from qorgau.web.views.cases import timeline
from qorgau.web.views.cases.common import (
    ADD_ACCUSED,
    ADD_PARTICIPANT,
    FINISHED,
    REQUALIFY,
    SET_PROSECUTOR,
    STAGE_COLOURS,
    may,
    with_roles,
)
from qorgau.web.views.common import AuthedRequest
from qorgau.web.views.oversight.common import may_answer, status_tag
from qorgau.web.views.panels import case_panels

# The people the summary card names for the selected minor, in this order.
KEY_PEOPLE = [
    ParticipantRole.DEFENDER,
    ParticipantRole.LEGAL_REPRESENTATIVE,
    ParticipantRole.SOCIAL_PSYCHOLOGIST,
    ParticipantRole.PEDAGOGUE,
]


@login_required
@permission_required("proceedings.view_proceeding", raise_exception=True)
def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = with_roles(request.user)
    try:
        case = services.view_case(actor=user, pk=pk)
    except Proceeding.DoesNotExist:
        raise Http404 from None
    minors = list(case.accused.all())
    selected = _selected(minors, request.GET.get("minor", ""))
    participants = list(case.participants.all())
    context: dict[str, Any] = {
        "case": case,
        "minors": minors,
        "selected": selected,
        "people": _people(participants, minors),
        "actions": [],
        "links": [],
        "timeline": [],
        "show_flags": False,
        "flags": [],
        "panels": [],
    }
    if selected is not None:
        events = list(selected.events.all())
        # Each author's role: one query for all of them, however long the timeline.
        prefetch_related_objects([event.author for event in events], "groups")
        # The minor's violations and their proving events: two queries, however many.
        show_flags = user.has_perm("safeguards.view_violation")
        flags = _flags(user, selected) if show_flags else []
        by_event: dict[int, list[timeline.Flag]] = defaultdict(list)
        for flag in flags:
            for event_id in flag.event_ids:
                by_event[event_id].append(flag)
        context.update(
            show_flags=show_flags,
            flags=flags,
            unresolved_flags=sum(1 for flag in flags if flag.unresolved),
            age=selected.juvenile.age_on(timezone.localdate(case.offence_at)),
            stage_colour=STAGE_COLOURS[Stage(selected.stage)],
            charges=_charges(list(selected.charges.all())),
            key_people=_key_people(participants, selected),
            timeline=timeline.items(events, case, by_event),
            actions=_actions(user, case, selected),
            links=_links(user, case, selected),
            panels=case_panels(user, case, selected),
        )
    return render(request, "web/cases/detail.html", context)


def _flags(user: Any, accused: Accused) -> list[timeline.Flag]:
    """The minor's violations, not yet answered first; prosecutors get a link to answer each."""
    overseer = may_answer(user)
    result = []
    for violation in safeguards.flags_of_minor(accused):
        rule = violation.rule
        tag = status_tag(violation)
        result.append(
            timeline.Flag(
                title=violation.title,
                description=violation.description,
                citation=rule.citation if rule else "",
                status=tag.text,
                status_colour=tag.colour,
                unresolved=violation.is_unresolved,
                url=reverse("violation_detail", args=[violation.pk]) if overseer else "",
                event_ids=tuple(sorted(event.pk for event in violation.events.all())),
            )
        )
    return result


def _selected(minors: list[Accused], wanted: str) -> Accused | None:
    if not wanted:
        return minors[0] if minors else None
    for accused in minors:
        if str(accused.pk) == wanted:
            return accused
    raise Http404


def _charges(charges: list[Charge]) -> list[dict[str, Any]]:
    """Current charges first, then the requalified ones with what replaced them."""
    successor = {c.requalified_from_id: c for c in charges if c.requalified_from_id}
    rows = [{"charge": c, "next": successor.get(c.pk)} for c in charges]
    return sorted(rows, key=lambda row: row["charge"].ended_at is not None)


def _people(participants: list[Participant], minors: list[Accused]) -> list[dict[str, Any]]:
    """Everyone around the children, grouped by role; "for minor X" when the case has several."""
    names = {accused.pk: accused.juvenile.full_name for accused in minors}
    several = len(minors) > 1
    groups = []
    for role, label in ParticipantRole.choices:
        members = [p for p in participants if p.role == role]
        if members:
            people = [
                {"person": p, "minor": names.get(p.accused_id or 0, "") if several else ""}
                for p in members
            ]
            groups.append({"label": capfirst(label), "people": people})
    return groups


def _key_people(participants: list[Participant], accused: Accused) -> list[dict[str, Any]]:
    rows = []
    for role in KEY_PEOPLE:
        names = [
            p.full_name
            for p in participants
            if p.role == role and p.accused_id in (None, accused.pk)
        ]
        rows.append({"key": capfirst(role.label), "value": ", ".join(names)})
    return rows


def _actions(user: Any, case: Proceeding, accused: Accused) -> list[dict[str, str]]:
    return [
        {
            "url": reverse("event_form", args=[case.pk, accused.pk, kind]),
            "label": str(capfirst(EventKind(kind).label)),
        }
        for kind in selectors.actions_for(user, accused)
    ]


def _links(user: Any, case: Proceeding, accused: Accused) -> list[dict[str, str]]:
    links = []
    if may(user, ADD_PARTICIPANT):
        links.append(
            {"url": reverse("participant_choose", args=[case.pk]), "label": _("Add a person")}
        )
    if may(user, ADD_ACCUSED):
        links.append(
            {"url": reverse("accused_add", args=[case.pk]), "label": _("Add another minor")}
        )
    has_charge = any(charge.ended_at is None for charge in accused.charges.all())
    if may(user, REQUALIFY) and has_charge and accused.stage not in FINISHED:
        links.append(
            {
                "url": reverse("charge_requalify", args=[case.pk, accused.pk]),
                "label": _("Requalify a charge"),
            }
        )
    if may(user, SET_PROSECUTOR):
        label = _("Change the prosecutor") if case.prosecutor_id else _("Name the prosecutor")
        links.append({"url": reverse("prosecutor_set", args=[case.pk]), "label": label})
    return links
