"""Signing in: lockout and unlock, the second factor, recovery codes and ending sessions."""

from binascii import unhexlify

from axes.utils import reset as axes_reset
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from qorgau.accounts.access import MESSAGE_NOT_ALLOWED, require
from qorgau.accounts.models import User
from qorgau.accounts.signin import active_lockouts, lockout_key
from qorgau.audit.services import record

RECOVERY_CODES = 10
TOTP_KEY_BYTES = 20

MESSAGE_NOT_LOCKED = _(
    "Signing in is not locked for this staff member: there is nothing to unlock."
)
MESSAGE_CODE_REQUIRED = _("Enter the code.")
MESSAGE_WRONG_CODE = _(
    "The code is wrong or has expired. Enter the 6-digit code your authenticator app shows "
    "now, or one of your unused recovery codes."
)
MESSAGE_WAIT = _(
    "Too many wrong codes in a row. Wait %(seconds)s seconds, then enter the code the app shows."
)
MESSAGE_ENROL_CODE = _(
    "The code does not match. Check that the time on your phone is right, then enter the "
    "6-digit code the app shows now."
)
MESSAGE_NO_DEVICE = _("You have not set up an authenticator app yet.")
MESSAGE_NO_SECOND_FACTOR = _("This staff member has no authenticator app set up.")
MESSAGE_ENROL_EXPIRED = _("The set-up has expired. Open the page again to get a new key.")


def new_totp_key() -> str:
    """A fresh secret for an authenticator app, as the hex text TOTPDevice keeps."""
    return str(random_hex(TOTP_KEY_BYTES))


def _token(raw: str) -> str:
    token = "".join(raw.split()).replace("-", "").lower()
    if not token:
        raise ValidationError({"token": MESSAGE_CODE_REQUIRED})
    return token


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def record_lockout(*, username: str) -> None:
    """Write the lockout of a login to the audit trail (the sign-in itself was refused)."""
    user = User.objects.filter(username__iexact=username.strip()).first()
    with transaction.atomic():
        record(
            actor=None,
            action="auth.lockout",
            subject=user,
            details={"username": username[:150]},
        )


@transaction.atomic(durable=True)
def unlock_sign_in(*, actor: User, user: User) -> int:
    """Lift the lockout of a staff member's login from every address; administrators only."""
    require(actor, "accounts.change_user")
    locked = active_lockouts(user)
    if not locked:
        raise ValidationError(MESSAGE_NOT_LOCKED)
    addresses = sorted({str(attempt.ip_address) for attempt in locked})
    removed = int(axes_reset(username=lockout_key(user.username)))
    record(
        actor=actor,
        action="auth.unlock",
        subject=user,
        details={"addresses": addresses, "attempts_removed": removed},
    )
    return removed


@transaction.atomic(durable=True)
def sign_out_everywhere(*, actor: User, user: User) -> User:
    """End every session of a user: their own choice, or an administrator's."""
    if actor.pk != user.pk:
        require(actor, "accounts.change_user")
    elif not actor.is_active:
        raise PermissionDenied(MESSAGE_NOT_ALLOWED)
    user = User.objects.select_for_update().get(pk=user.pk)
    old = user.session_generation
    user.session_generation = old + 1
    user.save(update_fields=["session_generation"])
    record(
        actor=actor,
        action="auth.sign_out_everywhere",
        subject=user,
        changes={"session_generation": (old, user.session_generation)},
    )
    return user


@transaction.atomic(durable=True)
def record_session_expiry(*, actor: User, reason: str) -> None:
    """Write to the audit trail that a session ended by itself (idle or too old)."""
    record(actor=actor, action="auth.session_expired", subject=actor, details={"reason": reason})


@transaction.atomic(durable=True)
def refuse_unconfirmed(*, actor: User) -> None:
    """Write to the audit trail that a request was refused until the sign-in is confirmed."""
    record(actor=actor, action="auth.otp_missing", subject=actor)


@transaction.atomic(durable=True)
def enrol_totp(*, actor: User, key: str, token: str) -> tuple[TOTPDevice, list[str]]:
    """Set up the user's authenticator app from the key they were shown and a code it made.

    Replaces any earlier app and recovery codes; returns the device and the new recovery
    codes, which are shown once.
    """
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_NOT_ALLOWED)
    code = _token(token)
    if not key:
        raise ValidationError({"token": MESSAGE_ENROL_EXPIRED})
    totp = TOTP(unhexlify(key.encode()))
    totp.time = timezone.now().timestamp()
    if not (code.isdigit() and totp.verify(int(code), tolerance=1)):
        raise ValidationError({"token": MESSAGE_ENROL_CODE})
    TOTPDevice.objects.filter(user=actor).delete()
    device = TOTPDevice(user=actor, name="authenticator", key=key, confirmed=True)
    # The code just used cannot be used again to sign in.
    device.last_t = totp.t()
    device.drift = totp.drift
    device.save()
    codes = _new_recovery_codes(actor)
    record(
        actor=actor, action="auth.otp_enrol", subject=actor, details={"recovery_codes": len(codes)}
    )
    return device, codes


@transaction.atomic(durable=True)
def _check_code(actor: User, token: str) -> tuple[Device | None, float]:
    """Try the code on the user's devices; the failure counters and the audit row are kept."""
    devices = list(devices_for_user(actor, confirmed=True, for_verify=True))
    if not devices:
        raise ValidationError({"token": MESSAGE_NO_DEVICE})
    # Six digits are a code from the app, anything else a recovery code: each is tried only
    # where it can match, so a recovery code does not count as a wrong app code.
    from_app = len(token) == 6 and token.isdigit()
    devices = [d for d in devices if isinstance(d, StaticDevice) != from_app]
    wait = 0.0
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if not allowed:
            until = (data or {}).get("locked_until")
            if until is not None:
                wait = max(wait, (until - timezone.now()).total_seconds())
            continue
        if device.verify_token(token):
            method = "recovery_code" if isinstance(device, StaticDevice) else "app"
            details: dict[str, object] = {"method": method}
            if isinstance(device, StaticDevice):
                details["recovery_codes_left"] = device.token_set.count()
            record(actor=actor, action="auth.otp_verify", subject=actor, details=details)
            return device, 0.0
    record(actor=actor, action="auth.otp_failed", subject=actor, details={"throttled": wait > 0})
    return None, wait


def verify_second_factor(*, actor: User, token: str) -> Device:
    """Confirm a sign-in with a code from the app or a recovery code (each works once).

    A refusal is audited and counted (django-otp doubles the wait after each wrong code) before
    the error is raised, so a refused code leaves the counters and the audit row written.
    """
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_NOT_ALLOWED)
    device, wait = _check_code(actor, _token(token))
    if device is None:
        if wait > 0:
            raise ValidationError({"token": MESSAGE_WAIT % {"seconds": max(1, round(wait))}})
        raise ValidationError({"token": MESSAGE_WRONG_CODE})
    return device


@transaction.atomic(durable=True)
def regenerate_recovery_codes(*, actor: User) -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_NOT_ALLOWED)
    if not TOTPDevice.objects.filter(user=actor, confirmed=True).exists():
        raise ValidationError(MESSAGE_NO_DEVICE)
    codes = _new_recovery_codes(actor)
    record(actor=actor, action="auth.recovery_codes", subject=actor, details={"count": len(codes)})
    return codes


@transaction.atomic(durable=True)
def reset_second_factor(*, actor: User, user: User) -> None:
    """Remove a staff member's app and recovery codes (a lost phone); administrators only.

    Their sessions end too; a role that needs a second factor sets up a new app at next sign-in.
    """
    require(actor, "accounts.change_user")
    removed = TOTPDevice.objects.filter(user=user).count()
    if not removed and not StaticDevice.objects.filter(user=user).exists():
        raise ValidationError(MESSAGE_NO_SECOND_FACTOR)
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    user = User.objects.select_for_update().get(pk=user.pk)
    old = user.session_generation
    user.session_generation = old + 1
    user.save(update_fields=["session_generation"])
    record(
        actor=actor,
        action="auth.otp_reset",
        subject=user,
        changes={"session_generation": (old, user.session_generation)},
    )
