"""The forms of the standard reports' pages: they read what was posted; the services check the
rest (scope, years, versions, languages, rights), the same for the pages and the API."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from wpsmonitor.shell.forms import raw_text


class RequestForm(forms.Form):
    """Ask for a report: which period, which version, which language, and (optionally) the
    board's periodic report it is the document of."""

    scope = raw_text()
    year = forms.IntegerField(
        required=False,
        min_value=1900,
        max_value=2200,
        error_messages={"invalid": gettext_lazy("Write the year as four digits, e.g. 2025.")},
    )
    version = raw_text()
    language = raw_text()
    periodic_report = forms.IntegerField(required=False, min_value=1)


class NarrativeForm(forms.Form):
    """A narrative's new text, for the summary (no node) or one pillar (its id)."""

    scope = raw_text()
    year = forms.IntegerField(min_value=1900, max_value=2200)
    node = forms.IntegerField(required=False, min_value=1)
    language = raw_text()
    text = raw_text()


class TemplateForm(forms.Form):
    file = forms.FileField(
        error_messages={"required": gettext_lazy("Choose the Word template (DOCX) to upload.")}
    )


class LinkForm(forms.Form):
    periodic_report = forms.IntegerField(
        min_value=1,
        error_messages={"required": gettext_lazy("Choose the board's report.")},
    )


class ShareForm(forms.Form):
    """Share a generated report's file with parliament: which format."""

    fmt = forms.ChoiceField(
        choices=[("pdf", "PDF"), ("docx", "DOCX"), ("xlsx", "XLSX")],
        error_messages={
            "required": gettext_lazy("Choose the format to share."),
            "invalid_choice": gettext_lazy("Choose PDF, DOCX or XLSX."),
        },
    )
