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
from wpsmonitor.shell.forms import IsoDateField, raw_text


class BoardForm(forms.Form):
    """The board's name and its publication rule."""

    name = raw_text()
    requires_cosignature = forms.BooleanField(required=False)


class MemberForm(forms.Form):
    """A seat on the board: who (an account by user name, optional), for which side, for
    which organisation, from when until when."""

    username = forms.CharField(required=False)
    name = raw_text()
    side = raw_text()
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        to_field_name="code",
        error_messages={
            "required": gettext_lazy("Choose the member's organisation."),
            "invalid_choice": gettext_lazy("Choose the member's organisation."),
        },
    )
    position = raw_text()
    since = IsoDateField()
    until = IsoDateField(required=False)

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

    title = raw_text()
    period = raw_text()
    summary = raw_text()
    file = forms.FileField(required=False, allow_empty_file=True, widget=forms.FileInput)


class DissentForm(forms.Form):
    """A board member's dissenting statement."""

    text = raw_text()


# Steering committee --------------------------------------------------------------------------


class KindForm(forms.Form):
    """What the joint body is, and its secretary (a seat, by its number; empty: none)."""

    kind = raw_text()
    secretary = forms.IntegerField(required=False, min_value=1)


class BackForm(forms.Form):
    """The page a form shown on two pages was sent from (`back`: "board" for the board's
    page; anything else, the meetings page)."""

    back = raw_text()

    def from_board(self) -> bool:
        return self.is_valid() and self.cleaned_data["back"] == "board"


class MeetingForm(forms.Form):
    """A meeting's record; `attendees` are seat numbers, turned into seats by the view."""

    held_on = IsoDateField()
    place = raw_text()
    online = forms.BooleanField(required=False)
    agenda = raw_text()
    minutes = raw_text()
    document_url = raw_text()
    attendees = forms.TypedMultipleChoiceField(coerce=int, required=False, choices=())

    def __init__(self, *args: Any, seats: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seats = {s.pk: s for s in seats}
        self.fields["attendees"].choices = [(s.pk, s.name) for s in seats]  # type: ignore[attr-defined]

    def clean_attendees(self) -> list[Any]:
        return [self.seats[pk] for pk in self.cleaned_data["attendees"]]


class DecisionForm(forms.Form):
    """A decision: who carries it out is an organisation (by code) and/or a seat (number)."""

    text = raw_text()
    organisation = forms.ModelChoiceField(
        Organisation.objects.all(),
        to_field_name="code",
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose an organisation from the list.")},
    )
    member = forms.IntegerField(required=False, min_value=1)
    due_on = IsoDateField(required=False)


class DecisionUpdateForm(forms.Form):
    """A dated status update of one decision."""

    decision = forms.IntegerField(min_value=1)
    status = raw_text()
    on = IsoDateField(required=False)
    note = raw_text()


class VersionActForm(forms.Form):
    """Sign or withdraw on a draft plan version; `content` is the content hash the member read
    (the page's), so a draft changed in between is not signed unseen."""

    do = forms.ChoiceField(choices=[("sign", "sign"), ("withdraw", "withdraw")])
    content = forms.CharField(required=False, max_length=64)
