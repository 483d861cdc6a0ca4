"""`{% once_field %}`: the one-time token of a creating form (see qorgau/web/once.py)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from qorgau.web.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def once_field() -> SafeString:
    """A hidden field with a fresh token: each form shown may create one record."""
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
