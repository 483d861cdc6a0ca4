"""What each step and each person records, as the API documents it and refuses strays."""

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Schema

from qorgau.proceedings import policy


def fields_doc(table: dict[str, tuple[tuple[str, ...], tuple[str, ...]]], roles: bool) -> str:
    lines = []
    for key, (required, optional) in table.items():
        who = f" ({', '.join(sorted(policy.roles_for(key)))})" if roles else ""
        names = [f"**{name}**" for name in sorted(required)] + sorted(optional)
        lines.append(f"- `{key}`{who}: {', '.join(names) or 'nothing more'}")
    return "\n".join(lines)


def refuse_stray(
    payload: Schema, accepted: set[str], message: Any, defaults: dict[str, Any]
) -> None:
    """Refuse the fields sent with a value that this kind or role does not record."""
    stray = {
        name: message
        for name in sorted(payload.model_fields_set - accepted)
        if getattr(payload, name) != defaults[name].default
    }
    if stray:
        raise ValidationError(stray)
