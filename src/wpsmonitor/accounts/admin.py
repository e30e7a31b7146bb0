"""API tokens in the admin: list and revoke. Tokens are created with `create_token`, which
shows the secret once; the admin never can, it only has the hash."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from wpsmonitor.accounts.models import ApiToken, PlanRole
from wpsmonitor.accounts.services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    search_fields = ("name", "prefix", "user__username")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked")
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
class PlanRoleAdmin(admin.ModelAdmin[PlanRole]):
    list_display = ("user", "plan", "role", "organisation", "area", "granted_at")
    list_filter = ("role", "plan")
    search_fields = ("user__username", "organisation__name")
    autocomplete_fields = ()
    raw_id_fields = ("area",)
