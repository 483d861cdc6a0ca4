"""Individual support plans, as qorgau/support/services/plan/ writes them.

A plan is drawn up after the sentence takes force (probation leads it), after a termination
(the child-rights department or the juvenile police lead it), or during the investigation of
a detained minor (the consultation's psychologist). Its needs are those the minor's latest
completed assessment points to (`support.assessment_needs`, the one-click description), or
typed in; each need gets tasks for the lead agency itself or referrals to other agencies,
which accept (naming who does it) or decline. Tasks are done on time or late, some are still
open past their due day at the as-of moment (overdue), a few are cancelled; a plan whose
tasks are all finished is often closed.
"""

import datetime
import random
from typing import Any

from django.utils.translation import gettext

from qorgau.accounts.models import AgencyType, Role
from qorgau.demo.national import audit
from qorgau.demo.national.assessments import Done, first
from qorgau.demo.national.copywriter import Rows
from qorgau.demo.national.minor import Ids
from qorgau.proceedings.models import EventKind as K
from qorgau.support.assessment_needs import suggested_description, suggested_needs
from qorgau.support.models.assessment import Assessment
from qorgau.support.models.plan import NeedKind, Priority

D = datetime.timedelta(days=1)
M = datetime.timedelta(minutes=1)
AFTER_SENTENCE = 0.45
AFTER_TERMINATION = 0.2
WHILE_DETAINED = 0.08
TYPED = {
    NeedKind.PREVENTION: "Қайта құқық бұзушылықтың алдын алу, бос уақытын бақылау.",
    NeedKind.STUDY: "Мектепке тұрақты баруын қамтамасыз ету, үлгерімін көтеру.",
    NeedKind.FAMILY: "Ата-анасымен жұмыс, баланы қадағалауды күшейту.",
    NeedKind.PSYCHOLOGICAL: "Психологиялық кеңес беру, агрессияны басқару сабақтары.",
    NeedKind.LEISURE: "Спорт секциясына немесе үйірмеге тарту.",
    NeedKind.MEDICAL: "Дәрігер-наркологтың кеңесі және бақылауы.",
    NeedKind.SOCIAL: "Отбасына әлеуметтік көмек көрсету мәселесін шешу.",
    NeedKind.WORK: "Жазғы уақытша жұмысқа орналастыру.",
    NeedKind.SENTENCE: "Жазаның орындалуын бақылау, тіркеуге келуі.",
}
ACTIONS = {
    NeedKind.PREVENTION: "Профилактикалық әңгіме өткізу, айына бір рет үйіне бару",
    NeedKind.STUDY: "Мектеппен байланыс, сабаққа қатысуын апта сайын тексеру",
    NeedKind.FAMILY: "Отбасымен үш кездесу өткізу, ата-аналарға кеңес беру",
    NeedKind.PSYCHOLOGICAL: "Бес жеке психологиялық кеңес өткізу",
    NeedKind.LEISURE: "Спорт секциясына жазылуға көмектесу",
    NeedKind.MEDICAL: "Медициналық тексеруге жолдама беру",
    NeedKind.SOCIAL: "Әлеуметтік көмекке құжаттарды рәсімдеуге көмектесу",
    NeedKind.WORK: "Жастар еңбек орталығына жолдау",
    NeedKind.SENTENCE: "Тіркеуге келуін бақылау, айына екі рет",
}
# Which agency does a need's task: (agency type, role that takes tasks there).
DOER = {
    NeedKind.PREVENTION: (AgencyType.JUVENILE_POLICE, Role.JUVENILE_POLICE_INSPECTOR),
    NeedKind.STUDY: (AgencyType.CHILD_RIGHTS_BODY, Role.CHILD_RIGHTS_SPECIALIST),
    NeedKind.FAMILY: (AgencyType.CHILD_RIGHTS_BODY, Role.CHILD_RIGHTS_SPECIALIST),
    NeedKind.PSYCHOLOGICAL: (AgencyType.LEGAL_CONSULTATION, Role.SOCIAL_PSYCHOLOGIST),
    NeedKind.LEISURE: (AgencyType.CHILDREN_INSTITUTION, Role.INSTITUTION_STAFF),
    NeedKind.MEDICAL: (AgencyType.CHILDREN_INSTITUTION, Role.INSTITUTION_STAFF),
    NeedKind.SOCIAL: (AgencyType.CHILD_RIGHTS_BODY, Role.CHILD_RIGHTS_SPECIALIST),
    NeedKind.WORK: (AgencyType.CHILD_RIGHTS_BODY, Role.CHILD_RIGHTS_SPECIALIST),
    NeedKind.SENTENCE: (AgencyType.PROBATION, Role.PROBATION_INSPECTOR),
}
RESULTS = (
    "Орындалды: бала бағдарламаға қатысты, нәтижесі оң.",
    "Орындалды, ата-анасымен келісілді.",
    "Іс-шаралар өткізілді, бала белсенді қатысты.",
)
DECLINED = "Біздің мекеме бұл қызметті көрсетпейді, басқа мекемеге жүгініңіз."
CANCELLED = "Қажеттілік жойылды: бала басқа өңірге көшті."
CLOSING = "Жоспар орындалды: барлық міндеттер аяқталды, қайта құқық бұзушылық жоқ."


class _Writer:
    """The audit rows of one plan, with the plan as their subject."""

    def __init__(self, rng: random.Random, rows: Rows, ids: Ids, label: str, plan_id: int):
        self.rng, self.rows, self.ids = rng, rows, ids
        self.plan = ("support.supportplan", plan_id, label)

    def __call__(self, at: datetime.datetime, actor: Any, action: str, **kw: Any) -> None:
        kw.setdefault("subject", self.plan)
        self.rows.add(
            "audit_auditevent",
            audit.row(
                id=self.ids("audit_auditevent"),
                at=at,
                actor=actor,
                action=action,
                rng=self.rng,
                **kw,
            ),
        )


def _lead(rng: random.Random, region: Any, local: dict[str, Any], made: Any, now: Any) -> Any:
    """(moment, lead agency, coordinator) of the plan drawn up for this track, or None."""
    events = made.events
    in_force = first(events, K.JUDGMENT_IN_FORCE, K.APPEAL_DECISION)
    ended = first(events, K.TERMINATION_APPROVED)
    detained = first(events, K.DETENTION)
    if in_force is not None and made.stage in ("sentence_execution", "closed"):
        if rng.random() >= AFTER_SENTENCE:
            return None
        agency = region.agencies[AgencyType.PROBATION]
        return in_force.start + rng.uniform(3, 20) * D, agency, Role.PROBATION_INSPECTOR
    if ended is not None:
        if rng.random() >= AFTER_TERMINATION:
            return None
        if rng.random() < 0.6:
            agency = region.agencies[AgencyType.CHILD_RIGHTS_BODY]
            return ended.start + rng.uniform(2, 15) * D, agency, Role.CHILD_RIGHTS_SPECIALIST
        agency = local[AgencyType.JUVENILE_POLICE]
        return ended.start + rng.uniform(2, 15) * D, agency, Role.JUVENILE_POLICE_INSPECTOR
    if detained is not None and rng.random() < WHILE_DETAINED:
        agency = region.agencies[AgencyType.LEGAL_CONSULTATION]
        return detained.start + rng.uniform(3, 12) * D, agency, Role.SOCIAL_PSYCHOLOGIST
    return None


def _needs(
    rng: random.Random, assessment: Done | None, lead_role: str
) -> list[tuple[str, str, str, int | None]]:
    """(kind, description, priority, assessment id) of each need of the plan."""
    found: list[tuple[str, str, str, int | None]] = []
    if assessment is not None:
        model = Assessment(
            instrument_code=assessment.instrument.code,
            instrument_version=assessment.instrument.version,
            society_level=assessment.levels["society"],
            child_level=assessment.levels["child"],
            reasons=assessment.reasons,
            completed_at=assessment.completed_at,
        )
        for suggestion in suggested_needs(model)[:4]:
            text = suggested_description(suggestion, model)
            found.append((suggestion.kind.value, text, suggestion.priority, assessment.id))
    if not found:
        kinds = [
            NeedKind.PREVENTION,
            NeedKind.STUDY,
            NeedKind.FAMILY,
            NeedKind.PSYCHOLOGICAL,
            NeedKind.LEISURE,
        ]
        for kind in rng.sample(kinds, rng.randint(1, 3)):
            priority = rng.choice((Priority.NORMAL, Priority.NORMAL, Priority.HIGH))
            found.append((kind.value, TYPED[kind], priority.value, None))
    if lead_role == Role.PROBATION_INSPECTOR and NeedKind.SENTENCE not in [f[0] for f in found]:
        found.append((NeedKind.SENTENCE.value, TYPED[NeedKind.SENTENCE], "high", None))
    return found


def make_plan(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    *,
    region: Any,
    local: dict[str, Any],
    made: Any,
    assessments: list[Done],
    now: datetime.datetime,
    readers: list[Any],
) -> None:
    """At most one plan for this minor (one active plan per child)."""
    chosen = _lead(rng, region, local, made, now)
    if chosen is None:
        return
    at, lead, lead_role = chosen
    at = at.replace(microsecond=0)
    if at >= now - D:
        return
    coordinator = rng.choice(lead.staff[lead_role])
    child = made.child
    plan_id = ids("support_supportplan")
    label = gettext("Support plan of %(name)s") % {"name": child.name.full}
    write = _Writer(rng, rows, ids, label, plan_id)
    write(
        at,
        coordinator.actor,
        "plan.open",
        changes={"juvenile": (None, child.id), "lead_agency": (None, lead.id)},
        details={"accused": made.id},
    )
    latest = next((a for a in reversed(assessments) if a.completed_at < at), None)
    moment, last_change, tasks_left = at, at, 0
    for kind, description, priority, from_assessment in _needs(rng, latest, lead_role):
        moment += rng.randint(2, 15) * M
        need_id = ids("support_planneed")
        rows.add(
            "support_planneed",
            (need_id, moment, moment, plan_id, kind, description, priority, coordinator.id),
        )
        write(
            moment,
            coordinator.actor,
            "plan.need",
            changes={"kind": (None, kind), "priority": (None, priority)},
            details={"need": need_id, "assessment_id": from_assessment},
        )
        for _ in range(rng.choices((1, 2), (75, 25))[0]):
            moment += rng.randint(2, 15) * M
            state = _task(
                rng,
                rows,
                ids,
                write,
                region,
                local,
                lead,
                coordinator,
                kind,
                plan_id,
                need_id,
                moment,
                now,
            )
            last_change = max(last_change, state[0])
            tasks_left += state[1]
    closed = last_change + rng.uniform(10, 60) * D
    finished = tasks_left == 0 and closed < now and rng.random() < 0.7
    if finished:
        closed = closed.replace(microsecond=0)
        write(
            closed,
            coordinator.actor,
            "plan.close",
            changes={"status": ("active", "closed"), "closing_note": ("", CLOSING)},
        )
        last_change = closed
    for viewer in rng.sample(readers, k=min(len(readers), rng.choice((0, 0, 1)))):
        seen = min(at + rng.uniform(1, 60) * D, now).replace(microsecond=0)
        write(seen, viewer.actor, "plan.view", details={"juvenile": child.id})
    rows.add(
        "support_supportplan",
        (
            plan_id,
            at,
            last_change,
            child.id,
            made.id,
            lead.id,
            coordinator.id,
            "Қайта құқық бұзушылықтың алдын алу және баланың қажеттіліктерін қанағаттандыру.",
            "closed" if finished else "active",
            audit.local_day(at),
            audit.local_day(last_change) if finished else None,
            CLOSING if finished else "",
            coordinator.id,
        ),
    )


def _task(
    rng: random.Random,
    rows: Rows,
    ids: Ids,
    write: _Writer,
    region: Any,
    local: dict[str, Any],
    lead: Any,
    coordinator: Any,
    kind: str,
    plan_id: int,
    need_id: int,
    at: datetime.datetime,
    now: datetime.datetime,
) -> tuple[datetime.datetime, int]:
    """One task or referral and its course; (its last change, 1 if still active else 0)."""
    agency_type, role = DOER[NeedKind(kind)]
    if rng.random() < 0.35 or agency_type == lead.kind:
        agency, doers = lead, lead.staff[_takers(lead)]
    elif agency_type == AgencyType.JUVENILE_POLICE:
        agency = local[AgencyType.JUVENILE_POLICE]
        doers = agency.staff[role]
    else:
        agency = region.agencies[agency_type]
        doers = agency.staff[role]
    referral = agency.id != lead.id
    day = audit.local_day(at)
    due = day + datetime.timedelta(days=rng.randint(14, 120))
    task_id = ids("support_plantask")
    assignee = None if referral else (coordinator if rng.random() < 0.6 else rng.choice(doers))
    status = "proposed" if referral else "open"
    task_subject = (
        "support.plantask",
        task_id,
        f"{NeedKind(kind).label}: {ACTIONS[NeedKind(kind)][:60]}",
    )
    write(
        at,
        coordinator.actor,
        "plan.task",
        subject=task_subject,
        changes={
            "agency": (None, agency.id),
            "assignee": (None, assignee.id if assignee else None),
            "due_on": (None, due.isoformat()),
            "status": (None, status),
        },
        details={"plan": plan_id, "need": kind, "referral": referral},
    )
    answered_by = answered_at = done_at = cancelled_at = None
    decline = result = cancel = ""
    last = at
    if referral:
        answered = (at + rng.uniform(0.2, 6) * D).replace(microsecond=0)
        if answered < now:
            answerer = rng.choice(doers)
            answered_by, answered_at, last = answerer, answered, answered
            if rng.random() < 0.08:
                status, decline = "declined", DECLINED
                write(
                    answered,
                    answerer.actor,
                    "plan.decline",
                    subject=task_subject,
                    changes={"status": ("proposed", "declined"), "decline_reason": ("", decline)},
                    details={"plan": plan_id},
                )
            else:
                status, assignee = "open", rng.choice(doers)
                write(
                    answered,
                    answerer.actor,
                    "plan.accept",
                    subject=task_subject,
                    changes={"status": ("proposed", "open"), "assignee": (None, assignee.id)},
                    details={"plan": plan_id},
                )
    if status == "open":
        span = (due - day).days
        finish = at + rng.uniform(0.3, 1.4) * span * D
        if rng.random() < 0.04 and finish < now:
            status, cancel = "cancelled", CANCELLED
            cancelled_at = last = finish.replace(microsecond=0)
            write(
                cancelled_at,
                coordinator.actor,
                "plan.cancel",
                subject=task_subject,
                changes={"status": ("open", "cancelled"), "cancel_reason": ("", cancel)},
                details={"plan": plan_id},
            )
        elif finish < now and rng.random() < 0.85:
            status, result = "done", rng.choice(RESULTS)
            done_at = last = finish.replace(microsecond=0)
            doer = assignee or rng.choice(doers)
            write(
                done_at,
                doer.actor,
                "plan.done",
                subject=task_subject,
                changes={"status": ("open", "done"), "result": ("", result)},
                details={"plan": plan_id, "overdue": due < audit.local_day(done_at)},
            )
    rows.add(
        "support_plantask",
        (
            task_id,
            at,
            last,
            plan_id,
            need_id,
            ACTIONS[NeedKind(kind)],
            agency.id,
            assignee.id if assignee else None,
            due,
            status,
            coordinator.id,
            lead.id,
            answered_by.id if answered_by else None,
            answered_at,
            decline,
            done_at,
            result,
            coordinator.id if cancelled_at else None,
            cancelled_at,
            cancel,
        ),
    )
    return last, int(status in ("proposed", "open"))


def _takers(agency: Any) -> str:
    """The role of the agency's staff who take support tasks."""
    for role in (
        Role.PROBATION_INSPECTOR,
        Role.CHILD_RIGHTS_SPECIALIST,
        Role.JUVENILE_POLICE_INSPECTOR,
        Role.SOCIAL_PSYCHOLOGIST,
        Role.INSTITUTION_STAFF,
    ):
        if agency.staff.get(role):
            return role
    raise LookupError(f"Agency {agency.id} has nobody who takes support tasks")
