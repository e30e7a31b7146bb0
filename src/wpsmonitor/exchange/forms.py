"""The move-in page's form: the export, an optional filled mapping sheet, and the step."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from wpsmonitor.shell.uploads import check_upload

UPLOAD_MAX_BYTES = 50 * 1024 * 1024  # through the web; bigger files go through the command


class MoveInForm(forms.Form):
    # An empty file is the reader's to refuse, with its message.
    file = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)
    mapping = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)
    step = forms.ChoiceField(choices=[("check", _("Check")), ("import", _("Import"))])

    def clean_file(self) -> Any:
        return check_upload(
            self.cleaned_data["file"],
            missing=str(_("Choose the export to move in (CSV, XLSX or JSON).")),
            max_bytes=UPLOAD_MAX_BYTES,
        )

    def clean_mapping(self) -> UploadedFile | None:
        upload = self.cleaned_data["mapping"]
        if upload is None:
            return None
        return check_upload(upload, missing="", max_bytes=UPLOAD_MAX_BYTES)
