from django.core.exceptions import PermissionDenied, ValidationError

__all__ = ["PermissionDenied", "ServiceError", "ValidationError"]


class ServiceError(ValidationError):
    """A refused service call whose translated message names the problem."""
