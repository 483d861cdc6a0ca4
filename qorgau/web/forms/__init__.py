from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    """Renders every form field as a GOV.UK form group (label, hint, error, control)."""

    form_template_name = "web/forms/div.html"
    field_template_name = "web/forms/field.html"
