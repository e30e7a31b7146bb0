"""The IATI upload form: files and the relevance filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wpsmonitor.iati.importer import WPS_SECTORS, WpsFilter

CRITERIA_CHOICES = [
    ("sectors", _("a WPS purpose code (the codes below)")),
    ("gender", _("gender marker 1 (significant) or 2 (principal)")),
    ("humanitarian", _("flagged humanitarian")),
    ("all", _("every activity (no criterion)")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    iati_files = MultipleFileField(
        label=_("IATI files (XML: activity or organisation files)"),
        widget=MultipleFileInput(attrs={"accept": ".xml,application/xml,text/xml"}),
    )
    countries = forms.CharField(
        label=_("Recipient countries (ISO codes such as CD, separated by commas; empty: any)"),
        required=False,
        max_length=200,
    )
    criteria = forms.MultipleChoiceField(
        label=_("Keep activities with"),
        choices=CRITERIA_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        initial=["sectors", "gender"],
    )
    sectors = forms.CharField(
        label=_("WPS purpose codes (DAC 5-digit, separated by commas)"),
        required=False,
        max_length=500,
        initial=", ".join(sorted(WPS_SECTORS)),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        sectors = [s for s in data.get("sectors", "").replace(" ", "").split(",") if s]
        try:
            data["filter"] = WpsFilter.build(
                countries=data.get("countries", "").replace(" ", "").split(","),
                criteria=data.get("criteria") or [],
                sectors=sectors or None,
            )
        except ValueError as exc:
            raise ValidationError(str(exc)) from None
        return data
