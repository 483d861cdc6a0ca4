"""What the trail keeps of a search: a name as typed, IIN digits only as a keyed hash.

The trail is kept forever and cannot be changed (nothing in it can be erased on request),
and administrators read it without being allowed to read children's records; so an IIN
typed into a search is not written in clear. A plain SHA-256 would not hide it: an IIN is a
birth date, a serial and a check digit, some 10^9 candidates, enumerated in seconds. The
digest is an HMAC keyed with `QORGAU_AUDIT_IIN_KEY` (by default derived from SECRET_KEY):
the trail alone does not give the IIN back, while the system can still answer "who searched
for this IIN" by computing the digest of a known one (`iin_digest`), and a search by a full
IIN that names a registered child is filed under that child's record as well.
"""

import hashlib
import hmac
from typing import Any

from django.conf import settings

IIN_LENGTH = 12


def _key() -> bytes:
    key = getattr(settings, "QORGAU_AUDIT_IIN_KEY", "") or ""
    if key:
        return key.encode("utf-8")
    # A key of its own, derived from SECRET_KEY: the digest is not a hash of SECRET_KEY.
    return hmac.new(
        settings.SECRET_KEY.encode("utf-8"), b"qorgau.audit.iin", hashlib.sha256
    ).digest()


def iin_digest(digits: str) -> str:
    return hmac.new(_key(), digits.encode("ascii"), hashlib.sha256).hexdigest()


def iin_digits(query: str, *, longest: int | None = None) -> str | None:
    """The digits of a query made of digits (and spaces) only, else None."""
    digits = (query or "").replace(" ", "")
    if not digits or not (digits.isascii() and digits.isdigit()):
        return None
    if longest is not None and len(digits) > longest:
        return None
    return digits


def search_details(query: str, *, longest: int | None = None) -> dict[str, Any]:
    """The audit details of a search: {"query": text} or {"iin_digest", "iin_digits"}."""
    digits = iin_digits(query, longest=longest)
    if digits is None:
        return {"query": query}
    return {"iin_digest": iin_digest(digits), "iin_digits": len(digits)}
