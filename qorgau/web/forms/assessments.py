"""Forms of the risk and needs assessment: one page of radios per domain, notes on completion."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.support.instrument import Domain

NOTES_HINT = _(
    "What the answers do not show: sources you used (talks with the child, parents, "
    "teachers, documents), doubts, what you recommend."
)


class ItemField(forms.ChoiceField):
    """An item's radios: marked required or optional as the instrument says, but a draft may
    leave any item unanswered; completing the assessment checks the required ones."""

    def validate(self, value: Any) -> None:
        if value not in self.empty_values:
            super().validate(value)


class DomainForm(forms.Form):
    """A radio group per item of one domain."""

    use_required_attribute = False

    def __init__(self, *args: Any, domain: Domain, answers: dict[str, str], **kwargs: Any):
        initial = {item.id: answers.get(item.id) for item in domain.items}
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        self.domain = domain
        for item in domain.items:
            self.fields[item.id] = ItemField(
                label=item.text,
                help_text=item.hint,
                choices=[(option.id, option.text) for option in item.options],
                widget=forms.RadioSelect,
                required=item.required,
            )

    def answers(self) -> dict[str, str | None]:
        return {item_id: value or None for item_id, value in self.cleaned_data.items()}


class CompleteForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"),
        help_text=NOTES_HINT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class StartForm(forms.Form):
    """Nothing to fill in: the button starts a draft (for the case named in the address)."""
