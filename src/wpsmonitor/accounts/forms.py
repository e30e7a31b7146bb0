"""The sign-in steps' and the account page's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from wpsmonitor.accounts.languages import language_of
from wpsmonitor.accounts.two_factor import CodeCheck, check_code


class CodeForm(forms.Form):
    """The second step: a code from the app, or a recovery code."""

    code = forms.CharField(label=_("Code"), max_length=40)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.result = CodeCheck(None)

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        self.result = check_code(self.user, code)
        if self.result.device is None:
            raise forms.ValidationError(self.result.problem)
        return code


class EnrolForm(forms.Form):
    """Setting an app up: the code it shows for the new secret (checked by the service)."""

    code = forms.CharField(label=_("Code shown by the app"), max_length=40)


class TokenForm(forms.Form):
    """Issue one's own API token: its name, and whether it reads sensitive items whole."""

    name = forms.CharField(label=_("What the token is for"), max_length=100)
    reads_sensitive = forms.BooleanField(
        label=_("Reads sensitive items whole (stories, early-warning signals)"), required=False
    )


class RevokeTokenForm(forms.Form):
    token = forms.IntegerField(min_value=1, max_value=2**63 - 1)


class PasswordForm(forms.Form):
    """The account's password, to confirm signing out everywhere. Checked through the sign-in
    backends, so that wrong guesses count towards the lockout as at the sign-in page."""

    password = forms.CharField(label=_("Your password"), strip=False, max_length=4096)

    def __init__(self, *args: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not _password_is_right(self.request, self.user, password):
            raise forms.ValidationError(_("That is not your password."))
        return password


class CountedPasswordChangeForm(PasswordChangeForm):
    """Django's password change, the old password checked through the sign-in backends (counted
    towards the lockout, like every password typed at a form)."""

    def __init__(self, user: User, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old: str = self.cleaned_data["old_password"]
        if not _password_is_right(self.request, self.user, old):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old


def _password_is_right(request: HttpRequest, user: User, password: str) -> bool:
    signed_in = authenticate(request, username=user.get_username(), password=password)
    return signed_in is not None and signed_in.pk == user.pk


def _language_choices() -> list[tuple[str, str]]:
    # Each language in its own name ("Français", "العربية"), as the switcher shows them.
    return [
        (code, translation.get_language_info(code)["name_local"]) for code, _n in settings.LANGUAGES
    ]


class LanguageForm(forms.Form):
    """The account page's choice of language: the pages' after sign-in, and the mail's."""

    language = forms.ChoiceField(label=_("Language"), choices=_language_choices)


class LanguagePasswordResetForm(PasswordResetForm):
    """Django's reset form, its mail written in the account's language (not the asker's)."""

    def send_mail(self, *args: Any, **kwargs: Any) -> None:
        context = args[2] if len(args) > 2 else kwargs["context"]
        with translation.override(language_of(context["user"])):
            super().send_mail(*args, **kwargs)
