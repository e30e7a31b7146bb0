"""What every edit page and removal page shares: one flow, written once.

An edit page binds its form to the POST (or, on a GET, fills it with what is recorded), hands
the cleaned data to the app's service through `run_form`, and on success redirects; otherwise
`form_page` answers the form again, each problem beside its field and listed at the top,
linked to the field (status 400 when refused):

    form = ThingForm(request.POST or None, initial=...)
    saved, refused = run_form(request, form, lambda d: services.thing_update(by=..., **d))
    if saved:
        messages.success(request, _("The thing is saved."))
        return redirect(...)
    return form_page(request, "app/edit.html", {"form": form, ...}, refused=refused)

A removal asks first: `removal_page` answers the confirmation on a GET and runs `remove()` on
the POST. A refusal, known before (`refusal`) or said by the service (a ValidationError), is
shown on the same page, without the button, with status 400: the reader sees why where they
asked, and nothing is removed.

The view checks the right (accounts/access.py) before calling either; the services check it
again. The shell knows no feature: each view says its texts, its breadcrumbs and its service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest, HttpResponse
    from django_stubs_ext import StrPromise

    Text = str | StrPromise

# A breadcrumb: its label and the address it links to.
Crumb = tuple[str, str]


def locate(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's refusal on the form: beside its field where the form has one, among the
    form's own problems otherwise."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def run_form(
    request: HttpRequest, form: forms.BaseForm, save: Callable[[dict[str, Any]], object]
) -> tuple[bool, bool]:
    """On a POST, validate the form and run `save(cleaned data)` (the service): (saved, refused).
    A service's ValidationError is put on the form (`locate`); nothing is saved then, the
    service being one transaction. On a GET: (False, False)."""
    if request.method != "POST":
        return False, False
    if not form.is_valid():
        return False, True
    try:
        save(form.cleaned_data)
    except ValidationError as exc:
        locate(form, exc)
        return False, True
    return True, False


def error_list(form: forms.BaseForm) -> list[tuple[str, str]]:
    """The form's problems for the list at the top of the page: (the id of the field to link
    to, or "" for the form's own, the message), the form's own first, then field by field."""
    found: list[tuple[str, str]] = [("", str(e)) for e in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name != "__all__":
            found.append((form[name].id_for_label, " ".join(str(e) for e in errors)))
    return found


def errors_by_field(form: forms.BaseForm) -> dict[str, str]:
    """The form's problems by field name ("__all__": the form's own), one sentence each, for a
    page that writes its fields by hand."""
    return {name: " ".join(str(e) for e in errors) for name, errors in form.errors.items()}


def form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, refused: bool
) -> HttpResponse:
    """The form's page: `context` holds the bound or filled `form`; adds `error_list` (linked to
    the fields' ids) and `errors` (by field name); status 400 when refused."""
    form = context["form"]
    shown = {
        **context,
        "error_list": error_list(form) if refused else [],
        "errors": errors_by_field(form) if refused else {},
    }
    return render(request, template, shown, status=400 if refused else 200)


def edit_page(
    request: HttpRequest,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], object],
    *,
    saved_message: Text,
    done_url: str,
    context: Mapping[str, Any],
    template: str = "shell/edit.html",
) -> HttpResponse:
    """The whole edit page: `run_form`, then on success `saved_message` and a redirect to
    `done_url`, else `form_page`. The shell's template takes `breadcrumbs` (the pages above,
    (label, address)), `here` (the page's name), `cancel_url`, and optionally `heading` and
    `button` (default "Save")."""
    saved, refused = run_form(request, form, save)
    if saved:
        messages.success(request, saved_message)
        return redirect(done_url)
    return form_page(request, template, {**context, "form": form}, refused=refused)


def removal_page(
    request: HttpRequest,
    *,
    remove: Callable[[], object],
    done_url: str,
    cancel_url: str,
    removed_message: Text,
    breadcrumbs: Sequence[Crumb] = (),
    what: Text = "",
    title: Text = "",
    question: Text = "",
    here: Text = "",
    refusal: Text = "",
    context: Mapping[str, Any] | None = None,
    template: str = "shell/remove.html",
) -> HttpResponse:
    """Ask before removing (GET); on the POST run `remove()` (the service), say
    `removed_message` and go to `done_url`. A refusal (`refusal`, known before asking, or the
    service's ValidationError) is shown on the page without its button, with status 400.

    The page's title is `title`, or "Remove <what>?"; its question `question`, or "This cannot
    be undone.". `breadcrumbs`: the pages above this one, (label, address), the plan's first;
    the page adds itself as `here` (default "Remove")."""
    if request.method == "POST" and not refusal:
        try:
            remove()
        except ValidationError as exc:
            refusal = " ".join(str(m) for m in exc.messages)
        else:
            messages.success(request, removed_message)
            return redirect(done_url)
    shown = {
        **(context or {}),
        "title": title or _("Remove %(what)s?") % {"what": what},
        "question": question or _("This cannot be undone."),
        "refusal": refusal,
        "cancel_url": cancel_url,
        "breadcrumbs": list(breadcrumbs),
        "here": here or _("Remove"),
    }
    return render(request, template, shown, status=400 if refusal else 200)
