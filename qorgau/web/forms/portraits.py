"""The forms of the social-psychological portrait: working material, report sections, signing."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.support.models import DocumentKind, InterviewWith, IssuedTo, ReportLanguage
from qorgau.support.pdf import alternative_choices
from qorgau.web.forms.fields import DateInputField, TimeInputField, local_moment

SECTION_MAX = 20000


class InterviewForm(forms.Form):
    with_whom = forms.ChoiceField(
        label=_("Who did you talk with?"), choices=InterviewWith.choices, widget=forms.RadioSelect
    )
    name = forms.CharField(label=_("Name of the person"), max_length=255)
    held_on = DateInputField(label=_("Date of the interview"), help_text=_("For example 5 3 2026."))
    held_time = TimeInputField(label=_("Time"))
    place = forms.CharField(label=_("Place"), max_length=255, required=False)
    summary = forms.CharField(
        label=_("Summary of the interview"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=SECTION_MAX,
    )

    ALIASES = {"held_at": "held_on"}

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "with_whom": data["with_whom"],
            "name": data["name"],
            "held_at": local_moment(data["held_on"], data["held_time"]),
            "place": data["place"],
            "summary": data["summary"],
        }


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of document"), choices=DocumentKind.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    source = forms.CharField(
        label=_("Issued by"), max_length=255, help_text=_("The school, clinic or body.")
    )
    received_on = DateInputField(label=_("Date received"), help_text=_("For example 5 3 2026."))
    summary = forms.CharField(
        label=_("What it says"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=SECTION_MAX,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 6}), max_length=SECTION_MAX
    )


YES_NO = [("yes", _("Yes")), ("no", _("No, I will come back to it later"))]


class SectionForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the section"),
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        max_length=SECTION_MAX,
        help_text=_("Separate paragraphs with an empty line or a new line."),
    )
    completed = forms.ChoiceField(
        label=_("Have you completed this section?"), choices=YES_NO, widget=forms.RadioSelect
    )


class DetailsForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=ReportLanguage.choices,
        widget=forms.RadioSelect,
        help_text=_("The PDF is made in this language, whatever the language of these pages."),
    )
    issued_to = forms.ChoiceField(
        label=_("Who is the report for?"), choices=IssuedTo.choices, widget=forms.RadioSelect
    )
    alternatives = forms.MultipleChoiceField(
        label=_("Alternatives to deprivation of liberty you recommend"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked if you recommend none."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["alternatives"].choices = alternative_choices()  # type: ignore[attr-defined]


class SignForm(forms.Form):
    declaration = forms.BooleanField(
        label=_(
            "I confirm that this report is based on the interviews and documents listed, that "
            "it serves the interests of the child, and that once signed it is issued to the "
            "agencies taking part in the case and cannot be changed."
        ),
        required=False,
    )


class DisclosureForm(forms.Form):
    recipient_name = forms.CharField(
        label=_("Who did you share it with?"),
        max_length=255,
        help_text=_("The person and the body, for example the school's director."),
    )
    details = forms.CharField(
        label=_("What did you share?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    purpose = forms.CharField(label=_("Why?"), max_length=255)
