"""The IATI pages' forms: the upload (files and the relevance filter), an activity's mapping to
the plan's pillars and actions, an organisation's marks. They read and check what the page
posts; the services check again and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from wpsmonitor.iati.importer import WPS_SECTORS, WpsFilter
from wpsmonitor.iati.services import LinkIn

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
        total = sum(upload.size or 0 for upload in data["iati_files"])
        if total > settings.IMPORT_MAX_FILE_BYTES:
            raise ValidationError(
                _("The files hold %(size)s bytes; the limit is %(limit)s bytes."),
                params={"size": total, "limit": settings.IMPORT_MAX_FILE_BYTES},
            )
        return data


class ActivityMapForm(forms.Form):
    """The pillars and actions ticked for an activity ("nodes", framework node codes), each
    with the share of its money typed beside it ("share-<code>", optional); the service checks
    the codes and the shares."""

    nodes = forms.Field(required=False, widget=forms.CheckboxSelectMultiple)  # as ticked

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["links"] = [
            LinkIn(node=code, share=self.data.get(f"share-{code}", "") or None)
            for code in data.get("nodes") or []
        ]
        return data


class OrganisationFlagsForm(forms.Form):
    """What users mark on an organisation, and the list page to go back to."""

    women_led = forms.BooleanField(required=False)
    grassroots = forms.BooleanField(required=False)
    page = forms.CharField(required=False, strip=False)

    def clean_page(self) -> int | None:
        page = self.cleaned_data["page"]
        return int(page) if page.isdigit() else None
