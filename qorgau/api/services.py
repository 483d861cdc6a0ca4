"""Keeping the answers of creating requests sent with an Idempotency-Key.

These rows are the API's own bookkeeping, not case data: they carry no audit entry, and each
function runs in its own short transaction, outside the service call the request makes.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.api.models import IdempotentRequest

# Answer headers worth giving back on a retry.
KEPT_HEADERS = ("Content-Type", "ETag", "Location")


@dataclass(frozen=True)
class Claim:
    """The outcome of presenting a key: this request goes ahead, or an earlier one answered."""

    row: IdempotentRequest
    is_new: bool


def _cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.QORGAU_IDEMPOTENCY_HOURS)


def claim(*, user: User, key: str, operation: str, fingerprint: str) -> Claim:
    """Take the key for this request, or find the request that took it first."""
    # Expired keys of this user go first, so the table stays small without a scheduled job.
    with transaction.atomic():
        IdempotentRequest.objects.filter(user=user, created_at__lt=_cutoff()).delete()
    try:
        with transaction.atomic():
            row = IdempotentRequest.objects.create(
                user=user, key=key, operation=operation, fingerprint=fingerprint
            )
    except IntegrityError:
        found = IdempotentRequest.objects.filter(user=user, key=key, operation=operation).first()
        if found is None:  # taken and released in between: try once more
            return claim(user=user, key=key, operation=operation, fingerprint=fingerprint)
        return Claim(row=found, is_new=False)
    return Claim(row=row, is_new=True)


def remember(
    *, row: IdempotentRequest, status: int, headers: dict[str, str], body: str
) -> IdempotentRequest:
    """Keep the answer the first request got, for the retries."""
    row.status = status
    row.headers = {name: headers[name] for name in KEPT_HEADERS if name in headers}
    row.body = body
    with transaction.atomic():
        row.save(update_fields=["status", "headers", "body"])
    return row


def release(*, row: IdempotentRequest) -> None:
    """Give the key back after a refused request: nothing was created, so a retry may try again."""
    with transaction.atomic():
        IdempotentRequest.objects.filter(pk=row.pk).delete()


def purge_expired() -> int:
    """Delete every kept answer older than QORGAU_IDEMPOTENCY_HOURS; returns how many."""
    with transaction.atomic():
        deleted, _ = IdempotentRequest.objects.filter(created_at__lt=_cutoff()).delete()
    return deleted
