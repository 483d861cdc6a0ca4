"""Who may do what: permission checks the services share."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from qorgau.accounts.models import User

MESSAGE_NOT_ALLOWED = _("Your role does not allow this action.")
MESSAGE_INACTIVE = _("Your account is not active.")


def require(actor: User, permission: str) -> None:
    """Refuse unless the acting user is active and holds the permission (through a role)."""
    if not actor.is_active:
        raise PermissionDenied(MESSAGE_INACTIVE)
    if not actor.has_perm(permission):
        raise PermissionDenied(MESSAGE_NOT_ALLOWED)
