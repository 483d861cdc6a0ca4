"""Enumerations the API names itself, where two apps' choices share a class name.

The OpenAPI schema names an enumeration after its class, so `safeguards.Status` and
`mediation.Status` both became `Status` and one overwrote the other: the violation endpoints
then declared the mediation statuses. These copies carry distinct names; a test keeps their
values equal to the models' choices.
"""

from enum import StrEnum


class ViolationStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    REMEDIED = "remedied"
    DISPUTED = "disputed"
    ACT_ISSUED = "act_issued"


class MediationStatus(StrEnum):
    REFERRED = "referred"
    CONSENTED = "consented"
    SESSIONS = "sessions"
    AGREEMENT = "agreement"
    FULFILLED = "fulfilled"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"
