"""What every page's forms share: one way to say a ValidationError, and ISO date fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def error_text(exc: ValidationError) -> str:
    """A service's or form's refusal as one sentence for a message or a page."""
    return " ".join(str(m) for m in exc.messages)


def form_error_text(form: forms.BaseForm) -> str:
    """All of a bound form's errors as one sentence, field errors first in field order."""
    messages: list[str] = []
    for errors in form.errors.values():
        messages.extend(str(e) for e in errors)
    return " ".join(messages)


class IsoDateField(forms.DateField):
    """A date typed as YYYY-MM-DD (the form fields are <input type="date">), whatever the
    reader's locale."""

    default_error_messages = {"invalid": _("Give a date as YYYY-MM-DD.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)
