"""Services: start, save, complete, reassess, read; who may; bad input; audit rows."""

import shutil

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from qorgau.audit.models import AuditEvent
from qorgau.support.instrument import INSTRUMENTS_DIR, forget_library
from qorgau.support.models import Assessment
from qorgau.support.services import assessment as services
from tests.support.helpers import highest, lowest


def _messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


@pytest.fixture
def draft(file):
    return services.start_assessment(
        actor=file.team.psychologist, juvenile=file.accused.juvenile, accused=file.accused
    )


def test_start_a_draft_with_the_current_version_and_partial_answers(file):
    psychologist = file.team.psychologist
    assessment = services.start_assessment(
        actor=psychologist,
        juvenile=file.accused.juvenile,
        accused=file.accused,
        answers={"alcohol": "partly", "drugs": None},
        notes=" first talk ",
    )
    assert (assessment.instrument_code, assessment.instrument_version) == ("risk-needs", 1)
    assert assessment.status == "draft"
    assert assessment.answers == {"alcohol": "partly"}
    assert assessment.author_agency == psychologist.agency
    assert assessment.notes == "first talk"
    event = AuditEvent.objects.get(action="assessment.start")
    assert event.actor == psychologist
    assert event.details["assessment_id"] == assessment.pk


def test_save_merges_answers_and_clears_with_none(draft, file):
    services.save_answers(actor=file.team.psychologist, assessment=draft,
                          answers={"alcohol": "partly", "drugs": "clearly"})  # fmt: skip
    saved = services.save_answers(
        actor=file.team.psychologist, assessment=draft, answers={"drugs": None, "violence": "no"}
    )
    assert saved.answers == {"alcohol": "partly", "violence": "no"}
    event = AuditEvent.objects.filter(action="assessment.save").latest("id")
    assert event.changes == {"answers.drugs": ["clearly", None], "answers.violence": [None, "no"]}


def test_complete_scores_and_keeps_levels_and_reasons(draft, file):
    services.save_answers(actor=file.team.psychologist, assessment=draft, answers=highest())
    done = services.complete_assessment(actor=file.team.psychologist, assessment=draft)
    assert done.status == "completed" and done.completed_at is not None
    assert (done.society_score, done.child_score) == (104, 110)
    assert (done.society_level, done.child_level) == ("very_high", "very_high")
    assert done.domain_scores["peers"] == {"points": 6, "society": 18, "child": 12}
    assert [d["domain"] for d in done.reasons["society"]["domains"]] == [
        "attitudes_behaviour", "prior_offending", "peers"]  # fmt: skip
    event = AuditEvent.objects.get(action="assessment.complete")
    assert event.changes["society_level"] == [None, "very_high"]


def test_complete_refuses_unanswered_items_naming_each_and_writes_nothing(draft, file):
    answers = lowest()
    del answers["violence"], answers["defiance"], answers["material_need"]
    services.save_answers(actor=file.team.psychologist, assessment=draft, answers=answers)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.complete_assessment(actor=file.team.psychologist, assessment=draft)
    assert _messages(caught.value) == {
        "answers.violence": [
            "«Қазіргі құқық бұзушылық зорлық-зомбылықпен, қорқытумен немесе қарумен байланысты» "
            "сұрағына «Бұрын жасалған және қазіргі құқық бұзушылықтар» бөлімінде жауап беріңіз."
        ],
        "answers.defiance": [
            "«Ережелер мен ересектердің талаптарын орындаудан бас тартады» сұрағына «Көзқарастары "
            "мен мінез-құлқы» бөлімінде жауап беріңіз."
        ],
    }
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.society_level == ""
    assert AuditEvent.objects.count() == before


def test_unanswered_message_in_russian_and_english(draft, file):
    from django.utils import translation

    for language, expected in [
        ("ru", "Ответьте на вопрос «Есть друзья, совершающие правонарушения» в разделе "
               "«Сверстники и окружение»."),
        ("en", "Answer «Has friends who offend» in the section «Peers»."),
    ]:  # fmt: skip
        with translation.override(language), pytest.raises(ValidationError) as caught:
            services.complete_assessment(actor=file.team.psychologist, assessment=draft)
        assert expected in _messages(caught.value)["answers.offending_friends"]


def test_bad_answers_are_refused_naming_the_item(draft, file):
    with pytest.raises(ValidationError) as caught:
        services.save_answers(actor=file.team.psychologist, assessment=draft,
                              answers={"alcohol": "always", "hobby": "none"})  # fmt: skip
    messages = _messages(caught.value)
    assert messages["answers.alcohol"] == [
        "«Алкоголь ішеді» сұрағына құралда берілген жауаптардың бірін таңдаңыз."
    ]
    assert "answers.hobby" in messages
    with pytest.raises(ValidationError):
        services.save_answers(actor=file.team.psychologist, assessment=draft, answers=["x"])  # type: ignore[arg-type]
    draft.refresh_from_db()
    assert draft.answers == {}


def test_a_completed_assessment_never_changes(draft, file):
    services.save_answers(actor=file.team.psychologist, assessment=draft, answers=lowest())
    services.complete_assessment(actor=file.team.psychologist, assessment=draft)
    with pytest.raises(ValidationError, match="қайта бағалауды бастаңыз"):
        services.save_answers(actor=file.team.psychologist, assessment=draft,
                              answers={"alcohol": "clearly"})  # fmt: skip
    with pytest.raises(ValidationError):
        services.complete_assessment(actor=file.team.psychologist, assessment=draft)


def test_reassessment_is_a_new_draft_from_the_earlier_answers(draft, file):
    services.save_answers(actor=file.team.psychologist, assessment=draft, answers=lowest())
    services.complete_assessment(actor=file.team.psychologist, assessment=draft)
    again = services.reassess(actor=file.team.psychologist, assessment=draft)
    assert again.pk != draft.pk and again.status == "draft"
    assert again.supersedes == draft and again.answers == lowest()
    assert again.accused == file.accused
    with pytest.raises(ValidationError):
        services.reassess(actor=file.team.psychologist, assessment=again)


def test_one_draft_per_author_and_child(draft, file):
    with pytest.raises(ValidationError) as caught:
        services.start_assessment(actor=file.team.psychologist, juvenile=file.accused.juvenile)
    assert "continue it" in str(caught.value.messages) or caught.value.messages


def test_only_the_author_changes_a_draft(draft, in_court, court_social_worker):
    with pytest.raises(PermissionDenied):
        services.save_answers(actor=court_social_worker, assessment=draft, answers={})


@pytest.mark.parametrize("persona", ["investigator", "prosecutor", "defender", "judge", "analyst"])
def test_other_roles_do_not_assess(file, persona, request):
    with pytest.raises(PermissionDenied):
        services.start_assessment(actor=request.getfixturevalue(persona),
                                  juvenile=file.accused.juvenile)  # fmt: skip
    assert not Assessment.objects.exists()


def test_the_court_social_worker_assesses_a_child_of_a_case_in_court(in_court, court_social_worker):
    made = services.start_assessment(
        actor=court_social_worker, juvenile=in_court.accused.juvenile, accused=in_court.accused
    )
    assert made.author_agency == court_social_worker.agency


def test_a_case_outside_the_agency_is_refused(file, probation_inspector, court_social_worker):
    # The court is not yet in the case: its social worker sees the child (same region) only.
    with pytest.raises(ValidationError) as caught:
        services.start_assessment(actor=court_social_worker, juvenile=file.accused.juvenile,
                                  accused=file.accused)  # fmt: skip
    assert "accused" in caught.value.message_dict
    # An Astana probation inspector does not even see the Almaty child.
    with pytest.raises(PermissionDenied):
        services.start_assessment(actor=probation_inspector, juvenile=file.accused.juvenile)


def test_accused_of_another_child_is_refused(file, investigator):
    from tests import factories

    other = factories.juvenile(investigator, last_name="Басқа")
    with pytest.raises(ValidationError) as caught:
        services.start_assessment(actor=file.team.psychologist, juvenile=other,
                                  accused=file.accused)  # fmt: skip
    assert "accused" in caught.value.message_dict


# Visibility and audited reads


def _completed(file):
    made = services.start_assessment(actor=file.team.psychologist,
                                     juvenile=file.accused.juvenile, accused=file.accused,
                                     answers=lowest())  # fmt: skip
    return services.complete_assessment(actor=file.team.psychologist, assessment=made)


def test_reading_one_is_audited(file):
    done = _completed(file)
    read = services.view_assessment(actor=file.team.investigator, pk=done.pk)
    assert read == done
    event = AuditEvent.objects.get(action="assessment.view")
    assert event.actor == file.team.investigator
    assert event.details == {"assessment_id": done.pk}


def test_the_case_team_sees_completed_ones_and_outsiders_do_not(file, outsider, analyst):
    done = _completed(file)
    for member in (file.team.investigator, file.team.prosecutor, file.team.defender):
        assert list(Assessment.objects.visible_to(member)) == [done]
    assert not Assessment.objects.visible_to(outsider).exists()
    assert not Assessment.objects.visible_to(analyst).exists()
    with pytest.raises(Assessment.DoesNotExist):
        services.view_assessment(actor=outsider, pk=done.pk)


def test_a_draft_is_seen_by_its_author_only(draft, file):
    assert list(Assessment.objects.visible_to(file.team.psychologist)) == [draft]
    assert not Assessment.objects.visible_to(file.team.investigator).exists()


def test_the_list_of_a_child_is_audited(file):
    done = _completed(file)
    found = services.view_assessments_of(actor=file.team.judge, juvenile=file.accused.juvenile)
    # The judge's court is not in the case yet, and the judge sees the child by region only.
    assert found == []
    found = services.view_assessments_of(actor=file.team.prosecutor,
                                         juvenile=file.accused.juvenile)  # fmt: skip
    assert found == [done]
    assert AuditEvent.objects.filter(action="assessment.list").count() == 2


# The version used is kept


def test_an_assessment_keeps_the_version_it_used_after_a_new_one(file, tmp_path):
    done = _completed(file)
    shutil.copytree(INSTRUMENTS_DIR, tmp_path, dirs_exist_ok=True)
    data = yaml.safe_load((INSTRUMENTS_DIR / "risk-needs" / "1.yaml").read_text(encoding="utf-8"))
    data["version"] = 2
    data["valid_from"] = "2026-01-02"
    data["cutoffs"]["society"] = {"low": 0, "moderate": 1, "high": 2, "very_high": 3}
    data["domains"][3]["title"]["en"] = "Friends and company"
    (tmp_path / "risk-needs" / "2.yaml").write_text(
        yaml.safe_dump(data, allow_unicode=True), encoding="utf-8"
    )
    with override_settings(QORGAU_INSTRUMENTS_DIR=tmp_path):
        forget_library()
        done.refresh_from_db()
        assert done.instrument.version == 1
        assert done.instrument.domain("peers").title_["en"] == "Peers"
        assert done.instrument.level_of("society", 2) == "low"
        again = services.reassess(actor=file.team.psychologist, assessment=done)
        assert again.instrument_version == 2
        assert again.instrument.level_of("society", 2) == "high"
