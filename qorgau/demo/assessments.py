"""Demo data of the assessments part of the accompaniment, built through its services.

The court's social worker assesses minors of the Almaty cases that reached the court, the
social psychologist others; one minor is reassessed, one assessment stays a draft. Answer
profiles differ, so the pages show every level.
"""

import random

from qorgau.accounts.models import User
from qorgau.proceedings.models import Accused, Proceeding
from qorgau.support.instrument import RISK_NEEDS, library
from qorgau.support.services import assessment as services

# Item id -> answer; items not named get the lowest answer (or, for strengths, `some`).
PROFILES: dict[str, dict[str, str]] = {
    "high_society": {
        "prior_offences": "several", "earlier_measures": "clearly", "violence": "yes",
        "offending_friends": "clearly", "no_prosocial_friends": "partly",
        "adult_influence": "partly", "justifies_offending": "clearly", "no_regret": "partly",
        "aggression": "clearly", "defiance": "partly", "unstructured_time": "clearly",
        "nights_out": "clearly", "alcohol": "partly", "attendance": "partly",
        "trusted_adult": "absent", "organised_activity": "absent", "wants_to_change": "absent",
    },
    "vulnerable_child": {
        "supervision": "clearly", "family_conflict": "clearly", "family_offending": "clearly",
        "material_need": "clearly", "distress": "clearly", "self_harm": "clearly",
        "impulsivity": "partly", "basic_skills": "clearly", "no_guidance": "clearly",
        "ran_away": "clearly", "attendance": "clearly", "achievement": "clearly",
        "school_conduct": "partly", "alcohol": "clearly", "drugs": "clearly",
        "substance_and_offence": "partly", "offending_friends": "partly",
        "trusted_adult": "absent", "committed_to_study": "absent",
    },
    "moderate": {
        "prior_offences": "one", "offending_friends": "partly", "unstructured_time": "clearly",
        "nights_out": "partly", "attendance": "partly", "achievement": "partly",
        "supervision": "partly", "impulsivity": "clearly", "justifies_offending": "partly",
        "no_regret": "partly", "adult_influence": "partly", "alcohol": "partly",
        "committed_to_study": "some", "organised_activity": "absent",
    },
    "low": {
        "impulsivity": "partly", "unstructured_time": "partly", "trusted_adult": "strong",
        "committed_to_study": "strong", "organised_activity": "strong",
        "wants_to_change": "strong",
    },
    "improved": {
        "prior_offences": "several", "earlier_measures": "partly", "violence": "yes",
        "offending_friends": "partly", "justifies_offending": "partly", "aggression": "partly",
        "unstructured_time": "partly", "trusted_adult": "strong", "wants_to_change": "strong",
        "organised_activity": "some",
    },
}  # fmt: skip


def _answers(profile: str) -> dict[str, str]:
    instrument = library().current(RISK_NEEDS)
    assert instrument is not None
    answers = {}
    for item in instrument.items:
        default = "some" if item.domain_id == "strengths" else item.options[0].id
        answers[item.id] = PROFILES[profile].get(item.id, default)
    return answers


def assess(author: User, accused: Accused, profile: str, notes: str) -> None:
    draft = services.start_assessment(
        actor=author, juvenile=accused.juvenile, accused=accused, answers=_answers(profile),
        notes=notes,
    )  # fmt: skip
    services.complete_assessment(actor=author, assessment=draft)


def _almaty_minors(user: User) -> list[Accused]:
    cases = Proceeding.objects.visible_to(user).filter(number__contains="7513")
    return list(Accused.objects.filter(proceeding__in=cases).select_related("juvenile"))


def load(staff: dict[str, User], rng: random.Random) -> None:
    """Called once the demo cases exist; `staff` maps each demo login to its user."""
    court_social, psychologist = staff["courtsocial"], staff["psychologist"]
    in_court = _almaty_minors(court_social)
    done: set[int] = set()
    notes = {
        "high_society": "Ата-анасымен, сынып жетекшісімен сөйлестім; мектеп мінездемесі алынды.",
        "vulnerable_child": "Отбасы әлеуметтік қауіпті жағдайда; қорғаншылық органына хабарланды.",
        "moderate": "Бала әңгімеге ашық; үйірмеге жазылуға келісті.",
    }
    profiles = ["high_society", "moderate", "vulnerable_child"]
    for accused, profile in zip(in_court, profiles, strict=False):
        assess(court_social, accused, profile, notes[profile])
        done.add(accused.juvenile_id)
    if in_court:
        # Six weeks of work later: the same child reassessed, the levels lower.
        first = services.view_assessments_of(actor=court_social, juvenile=in_court[0].juvenile)
        again = services.reassess(actor=court_social, assessment=first[0])
        better = "Бокс секциясына барады, анасымен қарым-қатынасы жақсарды."
        services.save_answers(actor=court_social, assessment=again, answers=_answers("improved"),
                              notes=better)  # fmt: skip
        services.complete_assessment(actor=court_social, assessment=again)
    others = [a for a in _almaty_minors(psychologist) if a.juvenile_id not in done]
    rng.shuffle(others)
    for accused, profile in zip(others[:2], ["low", "vulnerable_child"], strict=False):
        assess(psychologist, accused, profile, "")
        done.add(accused.juvenile_id)
    if len(others) > 2:
        partial = dict(list(_answers("moderate").items())[:12])
        services.start_assessment(actor=psychologist, juvenile=others[2].juvenile,
                                  accused=others[2], answers=partial)  # fmt: skip
