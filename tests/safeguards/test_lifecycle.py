"""The prosecutor's answer to a violation: open → acknowledged → remedied | disputed (with the
reason) | prosecutor's act issued (type, number, date). Each answer is audited; a refused one
changes nothing."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation

from qorgau.audit.models import AuditEvent
from qorgau.safeguards import services
from qorgau.safeguards.models import ActType, Status, Violation
from qorgau.safeguards.rulebook import LANGUAGES
from qorgau.safeguards.services import (
    MESSAGE_ACT_DATE,
    MESSAGE_ACT_NUMBER,
    MESSAGE_ACT_TYPE,
    MESSAGE_NOT_OPEN,
    MESSAGE_NOT_UNRESOLVED,
    MESSAGE_REASON_REQUIRED,
)
from tests.proceedings.factories import last_audit
from tests.safeguards.scenario import D

ANSWER_FIELDS = (
    "pk", "status", "status_changed_at", "status_changed_by", "note", "act_type", "act_number",
    "act_date",
)  # fmt: skip


def state() -> tuple[Any, ...]:
    return (
        list(Violation.objects.order_by("pk").values_list(*ANSWER_FIELDS)),
        AuditEvent.objects.count(),
    )


def refused(call, **kwargs) -> dict[str, list[str]]:
    """Call an answer that must be refused and change nothing; its messages by field."""
    before = state()
    with pytest.raises(ValidationError) as excinfo:
        call(**kwargs)
    assert state() == before
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


def act(**overrides):
    data = {
        "act_type": ActType.REPRESENTATION,
        "act_number": " 2-0113-25/417 ",
        "act_date": timezone.localdate(),
    }
    data.update(overrides)
    return data


# Each answer, its status and its audit row


def test_the_prosecutor_acknowledges_an_open_violation(violation, prosecutor):
    answered = services.acknowledge(actor=prosecutor, violation=violation)
    violation.refresh_from_db()
    assert violation.status == answered.status == Status.ACKNOWLEDGED
    assert violation.status_changed_by == prosecutor
    assert violation.status_changed_at is not None
    audit = last_audit("violation.status")
    assert audit.actor == prosecutor
    assert audit.changes == {"status": ["open", "acknowledged"]}
    assert audit.details == {"violation_id": violation.pk}
    assert (audit.subject_type, audit.subject_id) == (
        "proceedings.proceeding",
        str(violation.proceeding_id),
    )


@pytest.mark.parametrize("seen_first", [False, True], ids=["open", "acknowledged"])
def test_the_prosecutor_marks_a_violation_remedied(violation, prosecutor, seen_first):
    if seen_first:
        services.acknowledge(actor=prosecutor, violation=violation)
    old = "acknowledged" if seen_first else "open"
    services.remedy(actor=prosecutor, violation=violation, note="  Бөлек камераға ауыстырылды. ")
    violation.refresh_from_db()
    assert (violation.status, violation.note) == (Status.REMEDIED, "Бөлек камераға ауыстырылды.")
    assert last_audit("violation.status").changes == {
        "status": [old, "remedied"],
        "note": [None, "Бөлек камераға ауыстырылды."],
    }


@pytest.mark.parametrize("seen_first", [False, True], ids=["open", "acknowledged"])
def test_the_prosecutor_disputes_a_violation_with_the_reason(violation, prosecutor, seen_first):
    if seen_first:
        services.acknowledge(actor=prosecutor, violation=violation)
    services.dispute(actor=prosecutor, violation=violation, reason=" Хаттамада қате. ")
    violation.refresh_from_db()
    assert (violation.status, violation.note) == (Status.DISPUTED, "Хаттамада қате.")
    assert last_audit("violation.status").changes["status"][1] == "disputed"


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_dispute_without_a_reason_is_refused(violation, prosecutor, reason):
    errors = refused(services.dispute, actor=prosecutor, violation=violation, reason=reason)
    assert errors == {"reason": [str(MESSAGE_REASON_REQUIRED)]}


@pytest.mark.parametrize("act_type", ActType.values)
@pytest.mark.parametrize("seen_first", [False, True], ids=["open", "acknowledged"])
def test_the_prosecutor_issues_an_act(violation, prosecutor, act_type, seen_first):
    if seen_first:
        services.acknowledge(actor=prosecutor, violation=violation)
    today = timezone.localdate()
    services.issue_act(actor=prosecutor, violation=violation, **act(act_type=act_type))
    violation.refresh_from_db()
    assert (violation.status, violation.act_type, violation.act_number, violation.act_date) == (
        Status.ACT_ISSUED,
        act_type,
        "2-0113-25/417",
        today,
    )
    assert last_audit("violation.status").changes == {
        "status": ["acknowledged" if seen_first else "open", "act_issued"],
        "act_type": [None, act_type],
        "act_number": [None, "2-0113-25/417"],
        "act_date": [None, today.isoformat()],
    }


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        pytest.param({"act_type": ""}, {"act_type": [MESSAGE_ACT_TYPE]}, id="no-type"),
        pytest.param({"act_type": "warning"}, {"act_type": [MESSAGE_ACT_TYPE]}, id="bad-type"),
        pytest.param({"act_number": "  "}, {"act_number": [MESSAGE_ACT_NUMBER]}, id="no-number"),
        pytest.param({"act_date": None}, {"act_date": [MESSAGE_ACT_DATE]}, id="no-date"),
        pytest.param({"act_date": "tomorrow"}, {"act_date": [MESSAGE_ACT_DATE]}, id="future"),
        pytest.param(
            {"act_type": "", "act_number": "", "act_date": None},
            {
                "act_type": [MESSAGE_ACT_TYPE],
                "act_number": [MESSAGE_ACT_NUMBER],
                "act_date": [MESSAGE_ACT_DATE],
            },
            id="nothing",
        ),
    ],
)
def test_an_act_without_its_type_number_or_a_past_date_is_refused(
    violation, prosecutor, overrides, errors
):
    if overrides.get("act_date") == "tomorrow":
        overrides = {**overrides, "act_date": timezone.localdate() + D}
    got = refused(services.issue_act, actor=prosecutor, violation=violation, **act(**overrides))
    assert got == {field: [str(m) for m in messages] for field, messages in errors.items()}


def test_an_act_dated_in_the_past_is_accepted(violation, prosecutor):
    day = timezone.localdate() - 3 * D
    services.issue_act(actor=prosecutor, violation=violation, **act(act_date=day))
    violation.refresh_from_db()
    assert violation.act_date == day


# What each status allows


def answer(name: str, prosecutor, violation) -> None:
    if name == "acknowledge":
        services.acknowledge(actor=prosecutor, violation=violation)
    elif name == "remedy":
        services.remedy(actor=prosecutor, violation=violation, note="")
    elif name == "dispute":
        services.dispute(actor=prosecutor, violation=violation, reason="Ереже қолданылмайды.")
    else:
        services.issue_act(actor=prosecutor, violation=violation, **act())


REACHED_BY = {
    Status.ACKNOWLEDGED: ["acknowledge"],
    Status.REMEDIED: ["remedy"],
    Status.DISPUTED: ["acknowledge", "dispute"],
    Status.ACT_ISSUED: ["acknowledge", "issue_act"],
}


@pytest.mark.parametrize("status", list(REACHED_BY))
@pytest.mark.parametrize("action", ["acknowledge", "remedy", "dispute", "issue_act"])
def test_what_each_status_allows(violation, prosecutor, status, action):
    for step in REACHED_BY[status]:
        answer(step, prosecutor, violation)
    violation.refresh_from_db()
    assert violation.status == status
    allowed = status == Status.ACKNOWLEDGED and action != "acknowledge"
    if allowed:
        answer(action, prosecutor, violation)
        violation.refresh_from_db()
        assert violation.status != status
        return
    message = MESSAGE_NOT_OPEN if action == "acknowledge" else MESSAGE_NOT_UNRESOLVED
    errors = refused(
        {
            "acknowledge": services.acknowledge,
            "remedy": services.remedy,
            "dispute": services.dispute,
            "issue_act": services.issue_act,
        }[action],
        actor=prosecutor,
        violation=violation,
        **{"remedy": {"note": ""}, "dispute": {"reason": "Қате."}, "issue_act": act()}.get(
            action, {}
        ),
    )
    assert errors == {"__all__": [str(message)]}


def test_an_answer_reads_the_stored_status_not_a_stale_copy(violation, prosecutor):
    stale = Violation.objects.get(pk=violation.pk)
    services.remedy(actor=prosecutor, violation=violation, note="")
    errors = refused(services.dispute, actor=prosecutor, violation=stale, reason="Қате.")
    assert errors == {"__all__": [str(MESSAGE_NOT_UNRESOLVED)]}


def test_only_open_and_acknowledged_violations_are_unresolved(violation, prosecutor):
    def unresolved():
        return list(Violation.objects.unresolved().filter(rule_id="held_with_adults"))

    assert unresolved() == [violation]
    services.acknowledge(actor=prosecutor, violation=violation)
    assert unresolved() == [violation]
    services.remedy(actor=prosecutor, violation=violation, note="")
    assert unresolved() == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_title_and_description_in_the_language_of_the_reader(violation, language):
    rule = violation.rule
    with translation.override(language):
        assert violation.title == rule.title[language]
        shown = formats.date_format(
            timezone.localtime(datetime.datetime.fromisoformat(violation.facts["start"])),
            "SHORT_DATETIME_FORMAT",
        )
        assert violation.description == rule.message[language].format(start=shown)
        assert violation.facts["start"] not in violation.description  # stored as ISO, shown local


def test_reading_a_violation_is_audited(violation, prosecutor):
    read = services.view_violation(actor=prosecutor, pk=violation.pk)
    event = AuditEvent.objects.filter(action="violation.view").get()
    assert read == violation
    assert (event.actor, event.details["violation_id"]) == (prosecutor, violation.pk)


def test_an_outsider_cannot_read_a_violation(violation, outsider):
    with pytest.raises(Violation.DoesNotExist):
        services.view_violation(actor=outsider, pk=violation.pk)
