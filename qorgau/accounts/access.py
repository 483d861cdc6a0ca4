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


def figures_only(user: User) -> bool:
    """Whether the user sees figures only, never a case or a child: whoever may not read cases
    (analysts, administrators). Case numbers, names and times per case are records too."""
    return not user.has_perm("proceedings.view_proceeding")
