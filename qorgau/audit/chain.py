"""The hash chain of the audit trail: each row carries the hash of the row before it.

`row_hash` is SHA-256 over the previous row's hash and a canonical serialisation of the
row's own values (`HASHED_FIELDS`, not its id). Changing any value of a row breaks its own
hash; deleting or inserting a row breaks the link of the row after it. The head of the chain
(the last row's hash, printed by `qorgau verify-audit`) can be kept elsewhere so that cutting
off the newest rows is noticed too.

`compute_row_hash` is pure: a bulk loader that COPYs rows without the ORM produces a valid
chain by calling it row after row with the values it writes, starting from the current
head (`GENESIS` on an empty trail). This is version 1 of the canonical form; migration
`0003_audit_hash_chain` holds a frozen copy of it.
"""

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Mapping
from typing import Any

GENESIS = "0" * 64

# In this order; a bulk loader must give every one of them (None where the column is NULL).
HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "actor_agency",
    "action",
    "subject_type",
    "subject_id",
    "subject_label",
    "fields",
    "changes",
    "details",
    "channel",
    "ip_address",
    "user_agent",
)
JSON_FIELDS = ("fields", "changes", "details")
# A JSON number the database may print differently (PostgreSQL's jsonb prints 1e16 as
# 10000000000000000 and keeps 1.0): integral floats are hashed as integers.
_EXACT_FLOAT_LIMIT = 2**53


def _time(value: Any) -> str:
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        raise ValueError("`at` must be a timezone-aware datetime")
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _address(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return str(ipaddress.ip_address(str(value)))


def _json_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT_LIMIT:
        return int(value)
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


def canonical(values: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed for a row: its values as compact JSON with sorted keys."""
    missing = [name for name in HASHED_FIELDS if name not in values]
    if missing:
        raise ValueError(f"Audit row values lack {missing}")
    document = {
        "at": _time(values["at"]),
        "actor_id": None if values["actor_id"] is None else int(values["actor_id"]),
        "ip_address": _address(values["ip_address"]),
    }
    for name in HASHED_FIELDS:
        if name in document:
            continue
        value = values[name]
        if name in JSON_FIELDS:
            document[name] = _json_value(value)
        else:
            document[name] = "" if value is None else str(value)
    text = json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.encode("utf-8")


def compute_row_hash(values: Mapping[str, Any], prev_hash: str) -> str:
    """The hash of a row with these values that follows the row whose hash is `prev_hash`."""
    if len(prev_hash) != 64:
        raise ValueError("prev_hash must be 64 hexadecimal characters")
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(values))
    return digest.hexdigest()


def json_roundtrip(value: Any) -> Any:
    """A JSON field's value as the database gives it back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value, ensure_ascii=False))
