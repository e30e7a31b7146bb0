from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class SubmissionsUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Exported submissions (CSV, XLSX or JSON)"),
        required=False,
        allow_empty_file=True,
        widget=forms.FileInput,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload is None:
            raise ValidationError(_("Choose the exported submissions (CSV, XLSX or JSON)."))
        limit = settings.FIELD_COLLECTION_MAX_BYTES
        if (upload.size or 0) > limit:
            raise ValidationError(
                _("The file is larger than %(limit)s bytes: import it in smaller batches.")
                % {"limit": limit}
            )
        return upload


def _languages() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


class FormLanguageForm(forms.Form):
    language = forms.ChoiceField(choices=_languages, required=False)


class ServerActionForm(forms.Form):
    do = forms.ChoiceField(choices=[("send", "send"), ("pull", "pull")])
    language = forms.ChoiceField(choices=_languages, required=False)
