"""The period filter of a child's "who saw this record" page (a GET form)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from qorgau.web.forms.fields import DateInputField


class RecordTrailFilterForm(forms.Form):
    since = DateInputField(label=_("Start of the period"), required=False)
    until = DateInputField(label=_("End of the period"), required=False)
    before = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
