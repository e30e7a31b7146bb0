"""The forms of the board and report pages.

A form turns the posted text into what the services take (dates, the member's organisation and
account looked up) and refuses what cannot be read; the services check everything else (sides,
required text, the PDF, rights), the same for the pages and the API.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wpsmonitor.directory.models import Organisation
from wpsmonitor.shell.forms import IsoDateField, form_error_text


def valid_data(form: forms.Form) -> dict[str, Any]:
    """The form's cleaned data, or a ValidationError saying all its problems in one sentence
    (so a view handles a refused form and a refusing service in one place)."""
    if not form.is_valid():
        raise ValidationError(form_error_text(form))
    return form.cleaned_data


def _text() -> forms.CharField:
    # Passed on as typed: the services say which text is required and trim what they store.
    return forms.CharField(required=False, strip=False)


def _date(*, required: bool = True) -> IsoDateField:
    message = gettext_lazy("Give a date as YYYY-MM-DD.")
    return IsoDateField(required=required, error_messages={"required": message})


class ActionForm(forms.Form):
    """Which of the page's buttons was pressed (its `do` field)."""

    do = forms.CharField(required=False, strip=False)

    def action(self) -> str:
        return str(self.cleaned_data["do"]) if self.is_valid() else ""


class BoardForm(forms.Form):
    """The board's name and its publication rule."""

    name = _text()
    requires_cosignature = forms.BooleanField(required=False)


class MemberForm(forms.Form):
    """A seat on the board: who (an account by user name, optional), for which side, for
    which organisation, from when until when."""

    username = forms.CharField(required=False)
    name = _text()
    side = _text()
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        to_field_name="code",
        error_messages={
            "required": gettext_lazy("Choose the member's organisation."),
            "invalid_choice": gettext_lazy("Choose the member's organisation."),
        },
    )
    position = _text()
    since = _date()
    until = _date(required=False)

    def clean_username(self) -> Any:
        """The account with this user name, None when left blank."""
        username = self.cleaned_data["username"]
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise ValidationError(_("No account with the user name %(name)s.") % {"name": username})
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "username" in data:  # the services call the account `user`
            data["user"] = data.pop("username")
        return data


class ReportForm(forms.Form):
    """A periodic report's text and, optionally, its PDF (the service checks the file)."""

    title = _text()
    period = _text()
    summary = _text()
    file = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)


class DissentForm(forms.Form):
    """A board member's dissenting statement."""

    text = _text()
