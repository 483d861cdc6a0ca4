"""Audit codes of the social-psychological portrait; registered from SupportConfig.ready()."""

from django.utils.translation import gettext_lazy as _

from qorgau.audit.events import EventType

EVENTS = [
    EventType("portrait.start", _("started a social-psychological portrait")),
    EventType("portrait.interview", _("recorded an interview for a portrait")),
    EventType("portrait.document", _("recorded a collected document for a portrait")),
    EventType("portrait.note", _("wrote a confidential working note")),
    EventType(
        "portrait.view",
        _("viewed a portrait's working material"),
        reads_personal_data=True,
    ),
    EventType("portrait.disclosure", _("recorded information shared about a child")),
    EventType("portrait.report_draft", _("started a version of a portrait report")),
    EventType("portrait.report_edit", _("changed a draft portrait report")),
    EventType("portrait.report_sign", _("signed and issued a portrait report")),
    EventType("portrait.report_view", _("read a portrait report"), reads_personal_data=True),
    EventType(
        "portrait.report_download",
        _("downloaded the PDF of a portrait report"),
        reads_personal_data=True,
    ),
]
