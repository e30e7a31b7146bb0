"""Accounts in the admin.

API tokens: list and revoke. Tokens are created with `create_token`, which shows the secret
once; the admin never can, it only has the hash. Roles on plans and their history are shown
only: roles are given and taken on each plan's people page, through the services that keep
civil society's roles inside each organisation and record every grant and removal
(docs/reporting.md, "Roles"). Users are deactivated, never deleted, so that their names stay on
the history they made.

Signing in (docs/security.md): the audit of every sign-in and every failed one (lockouts marked)
is shown only; an account or address is unlocked by deleting its "access attempts" (axes' own
admin) or with `wpsmonitor manage axes_reset`.

Second factors: the administrator sees who has set one up and deletes a lost one (the account
then sets a new one up at its next sign-in), but never sees a secret or a recovery code:
django-otp's own admin shows them, and is replaced here."""

from __future__ import annotations

from typing import Any

from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from wpsmonitor.accounts.models import ApiToken, PlanRole, RoleEvent
from wpsmonitor.accounts.services import token_revoke
from wpsmonitor.core.admin import NoDeleteAdmin, ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(NoDeleteAdmin, admin.ModelAdmin[ApiToken]):  # revoked, the record kept
    list_display = (
        "name",
        "prefix",
        "user",
        "created_at",
        "last_used_at",
        "reads_sensitive",
        "expires_at",
        "revoked",
    )
    list_filter = ("revoked", "reads_sensitive")
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = (
        "user",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "reads_sensitive",
        "expires_at",
        "revoked",
    )
    exclude = ("key_hash",)
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        count = 0
        for token in queryset.filter(revoked=False):
            token_revoke(token=token)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # revoke, keep the record
        return actions


@admin.register(PlanRole)
class PlanRoleAdmin(ReadOnlyAdmin, admin.ModelAdmin[PlanRole]):
    list_display = ("user", "plan", "role", "organisation", "area", "granted_at")
    list_filter = ("role", "plan")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ()
    raw_id_fields = ("area",)


@admin.register(RoleEvent)
class RoleEventAdmin(ReadOnlyAdmin, admin.ModelAdmin[RoleEvent]):
    list_display = ("at", "plan", "kind", "role", "user_name", "organisation", "by_name", "reason")
    list_filter = ("kind", "role", "plan")
    search_fields = ("user_name", "by_name", "organisation__name")


class KeptUserAdmin(NoDeleteAdmin, UserAdmin):  # type: ignore[type-arg]
    """Django's user admin, without deletion: untick "active" to close an account."""


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), KeptUserAdmin)


# Axes registers its audit editable and deletable; the audit is kept as it was written.
admin.site.unregister(AccessLog)
admin.site.unregister(AccessFailureLog)


@admin.register(AccessLog)
class SignInAdmin(ReadOnlyAdmin, AccessLogAdmin):
    pass


@admin.register(AccessFailureLog)
class FailedSignInAdmin(ReadOnlyAdmin, AccessFailureLogAdmin):
    pass


class SecondFactorAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Who has set a second factor up, and when it was last used; deleted when lost (never
    added or changed here, no secret shown)."""

    list_display = ("user", "name", "confirmed", "created_at", "last_used_at")
    list_filter = ("confirmed",)
    search_fields = ("user__username",)
    fields = ("user", "name", "confirmed", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


for _device in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device):
        admin.site.unregister(_device)
    admin.site.register(_device, SecondFactorAdmin)
