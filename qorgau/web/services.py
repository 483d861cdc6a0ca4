"""Using one-time form tokens: a creating form's second sending creates nothing.

These rows are the web interface's bookkeeping, not case data: they carry no audit entry, and
each function runs in its own short transaction, outside the service call the form makes
(services use durable transactions), as the API's Idempotency-Key does (api/services.py).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from qorgau.accounts.models import User
from qorgau.web.models import FormSubmission


@dataclass(frozen=True)
class Claim:
    """This sending goes ahead (is_new), or an earlier sending of the same form took the token."""

    row: FormSubmission
    is_new: bool


def _cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.QORGAU_IDEMPOTENCY_HOURS)


def claim_form(*, user: User, token: str, path: str) -> Claim:
    """Take the form's token for this sending, or find the sending that took it first."""
    with transaction.atomic():
        FormSubmission.objects.filter(user=user, created_at__lt=_cutoff()).delete()
    for _attempt in range(3):
        try:
            with transaction.atomic():
                row = FormSubmission.objects.create(user=user, token=token, path=path[:500])
        except IntegrityError:
            found = FormSubmission.objects.filter(user=user, token=token).first()
            if found is not None:
                return Claim(row=found, is_new=False)
            continue  # taken and given back in between: try again
        return Claim(row=row, is_new=True)
    raise RuntimeError("form token could not be claimed")  # pragma: no cover


def finish_form(*, row: FormSubmission, location: str) -> None:
    """Keep where the first sending led, for the repeated ones."""
    row.location = location[:500]
    with transaction.atomic():
        row.save(update_fields=["location"])


def release_form(*, row: FormSubmission) -> None:
    """Give the token back after a sending that created nothing (the form came back with errors)."""
    with transaction.atomic():
        FormSubmission.objects.filter(pk=row.pk).delete()
