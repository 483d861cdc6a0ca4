"""The audit codes of signing in, registered from AccountsConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import EventType

EVENTS = [
    EventType("auth.lockout", _("sign-in locked after repeated failures")),
    EventType("auth.unlock", _("unlocked a sign-in")),
    EventType("auth.otp_enrol", _("set up an authenticator app")),
    EventType("auth.otp_verify", _("confirmed a sign-in with a code")),
    EventType("auth.otp_failed", _("second-factor code refused")),
    EventType("auth.otp_missing", _("refused: the sign-in is not confirmed with a code")),
    EventType("auth.recovery_codes", _("made new recovery codes")),
    EventType("auth.otp_reset", _("removed a staff member's authenticator app")),
    EventType("auth.sign_out_everywhere", _("signed out everywhere")),
    EventType("auth.session_expired", _("session ended")),
]
