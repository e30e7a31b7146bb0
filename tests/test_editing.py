"""The shell's edit and removal flow (shell/editing.py), without any feature: a form's and a
service's refusals located on the form and listed with links to the fields (400); a removal
asked on a GET, done on the POST, and refused on its own page (400) without its button."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.test import RequestFactory

from wpsmonitor.shell.editing import edit_page, error_list, removal_page, run_form


class ThingForm(forms.Form):
    name = forms.CharField(label="Name")
    size = forms.IntegerField(label="Size", required=False)


def _request(method: str = "get", data: dict[str, str] | None = None) -> HttpRequest:
    factory = RequestFactory()
    request = factory.post("/thing/", data or {}) if method == "post" else factory.get("/thing/")
    request.user = AnonymousUser()
    request.session = {}  # type: ignore[assignment]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _refuse(data: dict[str, object]) -> None:
    raise ValidationError({"size": "Too large.", "elsewhere": "Not a field of the form."})


def test_a_get_neither_saves_nor_refuses() -> None:
    calls: list[object] = []
    assert run_form(_request(), ThingForm(), calls.append) == (False, False)
    assert calls == []


def test_the_form_s_own_refusal_never_reaches_the_service() -> None:
    calls: list[object] = []
    form = ThingForm({"name": ""})
    assert run_form(_request("post"), form, calls.append) == (False, True)
    assert calls == [] and error_list(form) == [("id_name", "This field is required.")]


def test_a_service_refusal_stands_beside_its_field_or_at_the_top() -> None:
    form = ThingForm({"name": "A", "size": "3"})
    assert run_form(_request("post"), form, _refuse) == (False, True)
    assert error_list(form) == [("", "Not a field of the form."), ("id_size", "Too large.")]
    plain = ThingForm({"name": "A"})
    run_form(_request("post"), plain, lambda d: (_ for _ in ()).throw(ValidationError("No.")))
    assert error_list(plain) == [("", "No.")]


def test_the_edit_page_redirects_when_saved_and_answers_400_when_refused() -> None:
    context = {"breadcrumbs": [("Plan", "/plan/")], "here": "Change the thing", "cancel_url": "/"}
    saved = edit_page(
        _request("post", {"name": "A"}),
        ThingForm({"name": "A"}),
        lambda d: None,
        saved_message="Saved.",
        done_url="/done/",
        context=context,
    )
    assert saved.status_code == 302 and saved["Location"] == "/done/"
    refused = edit_page(
        _request("post", {"name": "A", "size": "3"}),
        ThingForm({"name": "A", "size": "3"}),
        _refuse,
        saved_message="Saved.",
        done_url="/done/",
        context=context,
    )
    body = refused.content.decode()
    assert refused.status_code == 400
    assert (
        'href="#id_size"' in body and 'id="id_size-error"' in body and "Nothing was saved" in body
    )
    assert 'aria-current="page">Change the thing' in body


def test_a_removal_asks_then_removes() -> None:
    removed: list[bool] = []
    kwargs = {
        "remove": lambda: removed.append(True),
        "what": "the thing",
        "removed_message": "Removed.",
        "done_url": "/things/",
        "cancel_url": "/thing/",
        "breadcrumbs": [("Plan", "/plan/")],
    }
    asked = removal_page(_request(), **kwargs)  # type: ignore[arg-type]
    body = asked.content.decode()
    assert asked.status_code == 200 and removed == []
    assert "Remove the thing?" in body and "This cannot be undone." in body
    assert 'type="submit"' in body
    done = removal_page(_request("post"), **kwargs)  # type: ignore[arg-type]
    assert done.status_code == 302 and done["Location"] == "/things/" and removed == [True]


def test_a_refused_removal_says_why_on_its_page_without_the_button() -> None:
    def refuse() -> None:
        raise ValidationError("It holds records.")

    for request, refusal, remove in (
        (_request("post"), "", refuse),  # the service refuses
        (_request(), "Known before asking.", refuse),  # known before: no POST needed
        (_request("post"), "Known before asking.", lambda: 1 / 0),  # never called
    ):
        page = removal_page(
            request,
            remove=remove,
            what="the thing",
            refusal=refusal,
            removed_message="Removed.",
            done_url="/things/",
            cancel_url="/thing/",
        )
        body = page.content.decode()
        assert page.status_code == 400
        assert (
            refusal or "It holds records."
        ) in body and 'type="submit" class="primary"' not in body
