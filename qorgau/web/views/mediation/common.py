"""What the mediation pages and panels share: status words and colours, steps, the schedule."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User
from qorgau.mediation import services
from qorgau.mediation.models import (
    ACTIVE,
    BEFORE_AGREEMENT,
    Agreement,
    Mediation,
    SessionKind,
    Side,
    Status,
)
from qorgau.mediation.services import tenge
from qorgau.proceedings import selectors as proceedings_selectors
from qorgau.proceedings.models import EventKind

STATUS_COLOURS = {
    Status.REFERRED: "yellow",
    Status.CONSENTED: "",
    Status.SESSIONS: "",
    Status.AGREEMENT: "purple",
    Status.FULFILLED: "green",
    Status.FAILED: "red",
    Status.WITHDRAWN: "grey",
    Status.REFUSED: "grey",
}
SCHEDULE_TAGS = {
    "paid": (_("Paid"), "green"),
    "partly_paid": (_("Partly paid"), "yellow"),
    "overdue": (_("Overdue"), "red"),
    "due": (_("Not yet due"), "grey"),
}


def status_tag(mediation: Mediation) -> dict[str, Any]:
    return {
        "text": Status(mediation.status).label,
        "colour": STATUS_COLOURS[Status(mediation.status)],
    }


def agreement_of(mediation: Mediation) -> Agreement | None:
    try:
        return mediation.agreement
    except Agreement.DoesNotExist:
        return None


def schedule_rows(agreement: Agreement) -> list[dict[str, Any]]:
    rows = []
    for row in agreement.schedule():
        text, colour = SCHEDULE_TAGS[row.state]
        rows.append(
            {
                "due_on": row.instalment.due_on,
                "amount": tenge(row.instalment.amount),
                "due_so_far": tenge(row.due_so_far),
                "tag": {"text": text, "colour": colour},
            }
        )
    return rows


def money(agreement: Agreement) -> dict[str, str]:
    return {
        "compensation": tenge(agreement.compensation),
        "paid": tenge(agreement.paid_total),
        "outstanding": tenge(agreement.outstanding),
    }


def steps(mediation: Mediation) -> list[dict[str, Any]]:
    """The stages of ECOSOC 2002/12 as a task list: each with its state as a word."""
    sessions = list(mediation.sessions.all())
    agreement = agreement_of(mediation)
    joint = any(s.kind == SessionKind.JOINT for s in sessions)
    preparatory = any(s.kind != SessionKind.JOINT for s in sessions)
    ended = mediation.status in (Status.WITHDRAWN, Status.REFUSED, Status.FAILED)
    done, todo, stopped = _("Completed"), _("Not started"), _("Stopped")

    def state(finished: bool) -> dict[str, Any]:
        if finished:
            return {"text": done, "colour": ""}
        return {"text": stopped if ended else todo, "colour": "grey"}

    return [
        {"name": _("Referral and mediator assigned"), "tag": state(True)},
        {"name": _("Consent of both sides"), "tag": state(mediation.both_consented)},
        {"name": _("Separate preparatory meetings"), "tag": state(preparatory)},
        {"name": _("Joint meeting"), "tag": state(joint)},
        {"name": _("Agreement signed"), "tag": state(agreement is not None)},
        {
            "name": _("Compliance monitored until fulfilled"),
            "tag": state(mediation.status == Status.FULFILLED),
        },
        {
            "name": _("Outcome reported back to the case"),
            "tag": state(mediation.termination_id is not None),
        },
    ]


def termination_url(user: User, mediation: Mediation) -> str:
    """For whoever may terminate now, when an agreement is signed: the termination form with
    the ground of reconciliation chosen."""
    if mediation.termination_id or mediation.status not in (Status.AGREEMENT, Status.FULFILLED):
        return ""
    if EventKind.TERMINATION not in proceedings_selectors.actions_for(user, mediation.accused):
        return ""
    url = reverse(
        "event_form", args=[mediation.proceeding_id, mediation.accused_id, EventKind.TERMINATION]
    )
    return url + "?ground=reconciliation"


def actions(user: User, mediation: Mediation) -> list[dict[str, Any]]:
    """The links of what this user may record now on this mediation."""
    pk = mediation.pk
    links: list[dict[str, Any]] = []
    recorder = services.may_record(user, mediation)
    status = mediation.status
    agreement = agreement_of(mediation)
    if recorder and status == Status.REFERRED:
        if mediation.accused_consent_at is None:
            url = reverse("mediation_consent", args=[pk, Side.ACCUSED])
            links.append({"url": url, "label": _("Record the minor's side's answer on consent")})
        if mediation.victim_consent_at is None:
            url = reverse("mediation_consent", args=[pk, Side.VICTIM])
            links.append({"url": url, "label": _("Record the victim's side's answer on consent")})
    if recorder and status in BEFORE_AGREEMENT:
        url = reverse("mediation_session", args=[pk])
        links.append({"url": url, "label": _("Record a meeting")})
    joint = any(s.kind == SessionKind.JOINT for s in mediation.sessions.all())
    if recorder and status in (Status.CONSENTED, Status.SESSIONS) and joint:
        url = reverse("mediation_agreement", args=[pk])
        links.append({"url": url, "label": _("Record the agreement")})
    if recorder and status == Status.AGREEMENT and agreement is not None:
        if agreement.outstanding > 0:
            url = reverse("mediation_payment", args=[pk])
            links.append({"url": url, "label": _("Record a payment")})
        if agreement.undertakings_pending:
            url = reverse("mediation_undertakings", args=[pk])
            links.append({"url": url, "label": _("Record that the undertakings were done")})
    consented = mediation.accused_consent_at or mediation.victim_consent_at
    if status in BEFORE_AGREEMENT and consented and withdrawal_sides(user, mediation):
        url = reverse("mediation_withdraw", args=[pk])
        links.append({"url": url, "label": _("Record a withdrawal of consent")})
    if recorder and status in ACTIVE:
        url = reverse("mediation_fail", args=[pk])
        links.append({"url": url, "label": _("Record that it ended without reconciliation")})
    return links


def withdrawal_sides(user: User, mediation: Mediation) -> list[str]:
    sides: list[str] = []
    if mediation.accused_consent_at and services.may_record_withdrawal(
        user, mediation, Side.ACCUSED
    ):
        sides.append(Side.ACCUSED)
    if mediation.victim_consent_at and services.may_record_withdrawal(user, mediation, Side.VICTIM):
        sides.append(Side.VICTIM)
    return sides
