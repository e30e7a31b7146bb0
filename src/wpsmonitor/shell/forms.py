"""What every app's forms share: one way to say a refusal, the page's button, raw text fields
and ISO date fields.

A view binds its form, takes `valid_data(form)` and hands it to the service; a refused form and
a refusing service both raise ValidationError, which the view shows with `error_text`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DATE_MESSAGE = _("Give a date as YYYY-MM-DD.")
UNKNOWN_OPERATION = _("Unknown operation.")


def error_text(exc: ValidationError) -> str:
    """A service's or form's refusal as one sentence for a message or a page."""
    return " ".join(str(m) for m in exc.messages)


def form_error_text(form: forms.BaseForm) -> str:
    """All of a bound form's problems as one sentence, in field order, each said once."""
    messages: list[str] = []
    for errors in form.errors.values():
        messages.extend(str(e) for e in errors if str(e) not in messages)
    return " ".join(messages)


def field_errors(form: forms.BaseForm, exc: ValidationError | None = None) -> dict[str, str]:
    """A refused form's and a refusing service's problems by field ("__all__": the others),
    one sentence each, for a page that shows each problem beside its field."""
    found = {name: " ".join(str(m) for m in errors) for name, errors in form.errors.items()}
    if exc is not None:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                found.setdefault(name, " ".join(errors))
        else:
            found.setdefault("__all__", " ".join(exc.messages))
    return found


def error_links(errors: dict[str, str]) -> list[tuple[str, str]]:
    """The page's list of problems, each with the id of its field (`f-<name>`) to link to."""
    return [("" if name == "__all__" else f"f-{name}", message) for name, message in errors.items()]


def valid_data(form: forms.BaseForm) -> dict[str, Any]:
    """The form's cleaned data, or a ValidationError saying all its problems in one sentence
    (so a view handles a refused form and a refusing service in one place)."""
    if not form.is_valid():
        raise ValidationError(form_error_text(form))
    return form.cleaned_data


def raw_text(**kwargs: Any) -> forms.CharField:
    """Text passed on as typed: the services say which text is required and trim what they
    store, so pages and the API refuse alike."""
    return forms.CharField(required=False, strip=False, **kwargs)


class ActionForm(forms.Form):
    """Which of the page's buttons was pressed (its `do` field)."""

    do = raw_text()

    def action(self) -> str:
        return str(self.cleaned_data["do"]) if self.is_valid() else ""


class OperationField(forms.CharField):
    """`do`, the button a form was sent with: one of `operations`. Anything else is the
    `fallback` operation where the page has one, and "Unknown operation." otherwise."""

    def __init__(self, operations: Sequence[str], *, fallback: str | None = None) -> None:
        super().__init__(required=False, strip=False)
        self.operations = tuple(operations)
        self.fallback = fallback

    def clean(self, value: Any) -> str:
        operation = super().clean(value)
        if operation in self.operations:
            return str(operation)
        if self.fallback is not None:
            return self.fallback
        raise ValidationError(UNKNOWN_OPERATION, code="invalid_choice")


class IsoDateField(forms.DateField):
    """A date typed as YYYY-MM-DD (the fields are <input type="date">), whatever the reader's
    locale; read as Python's date.fromisoformat reads it. A missing required date gets the
    same sentence as a malformed one."""

    default_error_messages = {"invalid": DATE_MESSAGE, "required": DATE_MESSAGE}

    def to_python(self, value: Any) -> date | None:
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
