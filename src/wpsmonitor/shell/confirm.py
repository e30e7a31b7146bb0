"""Confirmation of irreversible steps, without JavaScript.

A step that publishes or cannot be undone (signing a report, publishing figures, approving a
submission...) takes two POSTs. The first, from the page's button, does nothing but answer a
confirmation page: what will become public, what is still blank, what cannot be undone. Its
button sends the very same fields again with `confirm=yes`; only that second POST acts.

    if not confirmed(request):
        return confirm_page(request, Confirmation(title=..., button=..., cancel_url=...))
    ...act...

The shell knows no feature: each view says what its step makes public and leaves blank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django import forms
from django.shortcuts import render

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from django_stubs_ext import StrPromise

CONFIRM_FIELD = "confirm"
# Fields never sent back: the token is the page's own, the confirmation is the new page's.
_NOT_RESENT = {"csrfmiddlewaretoken", CONFIRM_FIELD}


class ConfirmForm(forms.Form):
    """The second POST's mark: `confirm=yes`."""

    confirm = forms.ChoiceField(choices=[("yes", "yes")])


def confirmed(request: HttpRequest) -> bool:
    """Whether this POST is the confirmed one."""
    return ConfirmForm(request.POST).is_valid()


@dataclass
class Confirmation:
    """What the confirmation page says. Texts are translated by the caller."""

    title: str | StrPromise
    button: str | StrPromise
    cancel_url: str
    # What becomes public (or who will see it) once confirmed.
    public: Sequence[str | StrPromise] = field(default_factory=list)
    # What is still blank: the author may want to fill it first.
    blank: Sequence[str | StrPromise] = field(default_factory=list)
    blank_title: str | StrPromise = ""
    # Anything else to know: "This cannot be undone."
    notes: Sequence[str | StrPromise] = field(default_factory=list)


def confirm_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The page that asks; its form posts the same fields back to the same address."""
    fields = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in _NOT_RESENT
        for value in values
    ]
    return render(
        request,
        "shell/confirm.html",
        {"confirmation": confirmation, "fields": fields, "action": request.get_full_path()},
    )
