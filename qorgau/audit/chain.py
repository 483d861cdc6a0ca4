"""The hash chain of the audit trail: each sealed row carries the hash of the row before it.

Rows are written unsealed (`record()` takes no lock and reads nothing); the sealer
(`audit/sealer.py`) links the committed ones shortly after, giving each the next `chain_seq`
(1, 2, 3, … in the order of sealing, which is not always id order), `prev_hash` (the hash of
the row with the `chain_seq` before it; `GENESIS` for the first) and `row_hash`: SHA-256 over
`prev_hash` and a canonical serialisation of the row's own values (`HASHED_FIELDS`: its
`chain_seq` and its content, not its id). Changing any value of a sealed row breaks its own
hash; deleting or inserting a row breaks the link of the row after it. The head of the chain
(the last row's hash, printed by `qorgau verify-audit`) can be kept elsewhere so that cutting
off the newest rows is noticed too.

`compute_row_hash` and `link_rows` are pure: a bulk loader that COPYs rows without the ORM
may produce sealed rows itself by calling them with the values it writes, continuing from
the current head (`GENESIS` and 0 on an empty trail; see `link_rows`), or COPY the rows
unsealed and run `qorgau seal-audit`. This is version 2 of the canonical form (version 1,
without `chain_seq`, is frozen in migration `0003_audit_hash_chain`; migration
`0004_audit_seal_after_commit` holds a frozen copy of version 2).
"""

import datetime
import functools
import hashlib
import ipaddress
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
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
    "chain_seq",
)
# What `link_rows` adds to the values: the columns of a sealed row.
CHAIN_FIELDS = ("chain_seq", "prev_hash", "row_hash")
JSON_FIELDS = ("fields", "changes", "details")
# A JSON number the database may print differently (PostgreSQL's jsonb prints 1e16 as
# 10000000000000000 and keeps 1.0): integral floats are hashed as integers.
_EXACT_FLOAT_LIMIT = 2**53


def _time(value: Any) -> str:
    if not isinstance(value, datetime.datetime) or value.tzinfo is None:
        raise ValueError("`at` must be a timezone-aware datetime")
    moment: datetime.datetime = value.astimezone(datetime.UTC) if value.utcoffset() else value
    if moment.year < 1000:  # strftime's own spelling of such a year
        return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # What strftime("%Y-%m-%dT%H:%M:%S.%fZ") gives, in a fifth of its time.
    return (
        f"{moment.year}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:"
        f"{moment.minute:02d}:{moment.second:02d}.{moment.microsecond:06d}Z"
    )


@functools.lru_cache(maxsize=4096)
def _address_text(text: str) -> str:
    # Cached: a trail has few distinct addresses, and parsing one is a large part of a hash.
    return str(ipaddress.ip_address(text))


def _address(value: Any) -> str | None:
    if value in (None, ""):
        return None
    return _address_text(str(value))


def _sequence(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError("`chain_seq` must be a positive integer (the row is not sealed)")
    return value


def _json_value(value: Any) -> Any:
    if isinstance(value, str | int) or value is None:  # the usual cases, first
        return value
    if not value and isinstance(value, dict | list | tuple):
        return value  # JSON prints an empty one as {} or []
    if isinstance(value, float) and value.is_integer() and abs(value) < _EXACT_FLOAT_LIMIT:
        return int(value)
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value


_HASHED_SET = frozenset(HASHED_FIELDS)
_TEXT_FIELDS = tuple(
    name
    for name in HASHED_FIELDS
    if name not in JSON_FIELDS and name not in ("at", "actor_id", "ip_address", "chain_seq")
)
_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
)


def canonical(values: Mapping[str, Any]) -> bytes:
    """The bytes that are hashed for a row: its values as compact JSON with sorted keys."""
    if not _HASHED_SET.issubset(values.keys()):
        missing = [name for name in HASHED_FIELDS if name not in values]
        raise ValueError(f"Audit row values lack {missing}")
    document = {
        "at": _time(values["at"]),
        "actor_id": None if values["actor_id"] is None else int(values["actor_id"]),
        "ip_address": _address(values["ip_address"]),
        "chain_seq": _sequence(values["chain_seq"]),
    }
    for name in JSON_FIELDS:
        document[name] = _json_value(values[name])
    for name in _TEXT_FIELDS:
        value = values[name]
        document[name] = "" if value is None else str(value)
    return _ENCODER.encode(document).encode("utf-8")


def compute_row_hash(values: Mapping[str, Any], prev_hash: str) -> str:
    """The hash of a row with these values that follows the row whose hash is `prev_hash`."""
    if len(prev_hash) != 64:
        raise ValueError("prev_hash must be 64 hexadecimal characters")
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical(values))
    return digest.hexdigest()


@dataclass(frozen=True)
class Link:
    """The chain columns of one sealed row."""

    id: Any
    chain_seq: int
    prev_hash: str
    row_hash: str


def link_rows(
    rows: Iterable[Mapping[str, Any]], *, after_seq: int = 0, after_hash: str = GENESIS
) -> Iterator[Link]:
    """Seal `rows` in the order given, continuing the chain after its head.

    `after_seq` and `after_hash` are the head's `chain_seq` and `row_hash` (0 and `GENESIS` on
    an empty trail). Each row needs every name of `HASHED_FIELDS` except `chain_seq`, which is
    given here; `id` is passed through (None when absent) so the caller can write the links.
    """
    seq, prev_hash = after_seq, after_hash
    for row in rows:
        seq += 1
        row_hash = compute_row_hash({**row, "chain_seq": seq}, prev_hash)
        yield Link(row.get("id"), seq, prev_hash, row_hash)
        prev_hash = row_hash


def json_roundtrip(value: Any) -> Any:
    """A JSON field's value as the database gives it back (tuples become lists, keys strings)."""
    return json.loads(json.dumps(value, ensure_ascii=False))
