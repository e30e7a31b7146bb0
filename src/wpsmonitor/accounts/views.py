"""Signing in (password, then the second factor), setting an authenticator app up, the account
page: password, recovery codes, signing out everywhere (docs/security.md)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from wpsmonitor.accounts import services, two_factor
from wpsmonitor.accounts.access import requires_two_factor
from wpsmonitor.accounts.forms import (
    CodeForm,
    CountedPasswordChangeForm,
    EnrolForm,
    LanguageForm,
    LanguagePasswordResetForm,
    PasswordForm,
    RevokeTokenForm,
    TokenForm,
)
from wpsmonitor.accounts.languages import remember_in_cookie, stored_language
from wpsmonitor.accounts.models import ApiToken
from wpsmonitor.core.languages import supported_language
from wpsmonitor.shell.requests import SignedInRequest


class SignInView(auth_views.LoginView):
    """The password; then, for an account that needs it, straight on to the second step."""

    template_name = "accounts/login.html"

    def form_valid(self, form: Any) -> HttpResponse:
        # Signed in: the pages now speak the user's stored language, from this response on.
        response = super().form_valid(form)
        language = stored_language(self.request.user)
        if language is not None:
            translation.activate(language)
            remember_in_cookie(response, language)
        return response

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if two_factor.verified_device(self.request, user) is None and (
            two_factor.needs_second_factor(user)
        ):
            return two_factor.step_url(user, url)
        return url


def _next_url(request: HttpRequest) -> str:
    """Where to go once signed in: `next` if it is on this site, else the default."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


@login_required
def two_factor_view(request: SignedInRequest) -> HttpResponse:
    """The second step: a code from the app, or a recovery code."""
    user = request.user
    if two_factor.is_verified(request):
        return HttpResponseRedirect(_next_url(request))
    if two_factor.authenticator(user) is None and not two_factor.recovery_codes_left(user):
        return HttpResponseRedirect(two_factor.step_url(user, _next_url(request)))
    form = CodeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        device = form.result.device
        assert device is not None
        two_factor.sign_in_verified(request, device)
        if form.result.recovery_code:
            left = two_factor.recovery_codes_left(user)
            messages.warning(
                request,
                ngettext(
                    "You signed in with a recovery code: %(count)d is left. Make new ones on "
                    "your account page.",
                    "You signed in with a recovery code: %(count)d are left. Make new ones on "
                    "your account page.",
                    left,
                )
                % {"count": left},
            )
        return HttpResponseRedirect(_next_url(request))
    return render(request, "accounts/two_factor.html", {"form": form, "next": _next_url(request)})


@login_required
def enrol_view(request: SignedInRequest) -> HttpResponse:
    """Set an authenticator app up (or replace it). Replacing one takes a session already
    verified with it: a password alone never changes an account's second factor."""
    user = request.user
    if two_factor.authenticator(user) is not None and not two_factor.is_verified(request):
        return HttpResponseRedirect(two_factor.step_url(user, _next_url(request)))
    key = request.session.get(two_factor.ENROL_KEY_SESSION_KEY)
    if not isinstance(key, str) or request.method == "GET":
        key = two_factor.new_key()
        request.session[two_factor.ENROL_KEY_SESSION_KEY] = key
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = services.two_factor_enrol(
                by=user, key=key, code=form.cleaned_data["code"]
            )
        except ValidationError as refusal:
            form.add_error(None, refusal)
        else:
            del request.session[two_factor.ENROL_KEY_SESSION_KEY]
            two_factor.sign_in_verified(request, device)
            return render(
                request,
                "accounts/recovery_codes.html",
                {"codes": codes, "next": _next_url(request), "enrolled": True},
            )
    uri = two_factor.otpauth_uri(user, key)
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "next": _next_url(request),
            "secret": two_factor.secret_text(key),
            "otpauth_uri": uri,
            "qr_code": two_factor.qr_code_data_uri(uri),
            "required": requires_two_factor(user),
            "replacing": two_factor.authenticator(user) is not None,
        },
    )


@login_required
def account_view(request: SignedInRequest) -> HttpResponse:
    return _account_page(request, PasswordForm(request=request, user=request.user))


def _account_page(
    request: SignedInRequest, password_form: PasswordForm, status: int = 200
) -> HttpResponse:
    user = request.user
    device = two_factor.authenticator(user)
    return render(
        request,
        "accounts/account.html",
        {
            "authenticator": device,
            "recovery_codes_left": two_factor.recovery_codes_left(user) if device else 0,
            "required": requires_two_factor(user),
            "idle_minutes": f"{settings.WPSMONITOR_IDLE_MINUTES:g}",
            "verified": two_factor.is_verified(request),
            "password_form": password_form,
            "language_form": LanguageForm(
                initial={"language": stored_language(user) or translation.get_language()}
            ),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
@login_required
def tokens_view(request: SignedInRequest) -> HttpResponse:
    """The user's own API tokens: issue one (its secret shown once), revoke one. A token that
    reads sensitive items whole is issued only to a session verified with a second factor: the
    page refuses it otherwise (403), says why and links to the second step."""
    user = request.user
    verified = two_factor.is_verified(request)
    form = TokenForm(request.POST if request.method == "POST" else None)
    issued: tuple[ApiToken, str] | None = None
    status = 200
    if request.method == "POST" and "token" in request.POST:
        revoke = RevokeTokenForm(request.POST)
        mine = (
            ApiToken.objects.filter(user=user, pk=revoke.cleaned_data["token"]).first()
            if revoke.is_valid()
            else None
        )
        if mine is None:
            raise Http404("No such token")
        services.token_revoke(token=mine)
        messages.success(request, _("The token is revoked: it no longer works."))
        return redirect("accounts:tokens")
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.token_issue(
                user=user,
                name=form.cleaned_data["name"],
                reads_sensitive=form.cleaned_data["reads_sensitive"],
                second_factor=verified,
            )
        except PermissionDenied as refusal:
            form.add_error("reads_sensitive", str(refusal))
            status = 403
        else:
            form = TokenForm()
    elif request.method == "POST":
        status = 400
    here = reverse("accounts:tokens")
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "issued": issued,
            "verified": verified,
            "second_step": two_factor.step_url(user, here),
            "sensitive_days": settings.WPSMONITOR_SENSITIVE_TOKEN_DAYS,
            "tokens": list(ApiToken.objects.filter(user=user).order_by("-created_at", "-pk")),
            "now": timezone.now(),
        },
        status=status,
    )


@require_POST
@login_required
def recovery_codes_view(request: SignedInRequest) -> HttpResponse:
    """New recovery codes, shown once (for an account with an authenticator app)."""
    if two_factor.authenticator(request.user) is None:
        return redirect("accounts:two_factor_enrol")
    codes = services.recovery_codes_renew(by=request.user)
    return render(
        request,
        "accounts/recovery_codes.html",
        {"codes": codes, "next": reverse("accounts:account"), "enrolled": False},
    )


@require_POST
@login_required
def sign_out_everywhere_view(request: SignedInRequest) -> HttpResponse:
    """End every other session of the account (other browsers, other devices)."""
    form = PasswordForm(request.POST, request=request, user=request.user)
    if form.is_valid():
        services.sign_out_everywhere(by=request.user, password=form.cleaned_data["password"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("You are signed out everywhere else."))
        return redirect("accounts:account")
    return _account_page(request, form, status=400)


def set_language_view(request: HttpRequest) -> HttpResponse:
    """The language switcher (Django's set_language: the cookie); a signed-in user's choice is
    also stored, so that their next sign-in and their mail follow it."""
    response = set_language(request)
    language = supported_language(request.POST.get("language"))
    if request.method == "POST" and request.user.is_authenticated and language is not None:
        services.language_set(user=request.user, language=language)
    return response


@require_POST
@login_required
def language_view(request: SignedInRequest) -> HttpResponse:
    """The account page's choice of language: stored, and applied at once."""
    form = LanguageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the languages offered."))
        return redirect("accounts:account")
    language = form.cleaned_data["language"]
    services.language_set(user=request.user, language=language)
    translation.activate(language)
    messages.success(request, _("Your language is saved: the pages and your mail use it."))
    response = redirect("accounts:account")
    remember_in_cookie(response, language)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's, the old password counted like a sign-in; other sessions end (Django's session
    check follows the password), this one stays."""

    form_class = CountedPasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs


class PasswordResetView(auth_views.PasswordResetView):
    """A link by mail to choose a new password. The link's address starts with
    WPSMONITOR_BASE_URL, never with the Host a request claims. The second factor is still asked
    at the next sign-in: a mailbox alone does not open an account."""

    template_name = "accounts/password_reset.html"
    form_class = LanguagePasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    @property
    def extra_email_context(self) -> dict[str, str]:  # type: ignore[override]
        return {"base_url": settings.WPSMONITOR_BASE_URL.rstrip("/")}
