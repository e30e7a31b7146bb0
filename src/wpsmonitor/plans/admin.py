"""Plans' structure in the admin. A plan or a node is never deleted here: that cascaded to its
indicators, values, submissions and evidence with no audit (core/admin.py)."""

from typing import Any

from django.contrib import admin

from wpsmonitor.core.admin import NoDeleteAdmin, TranslatedAdmin
from wpsmonitor.plans.models import FrameworkLevel, FrameworkNode, Plan


class FrameworkLevelInline(admin.TabularInline[FrameworkLevel, Any]):
    model = FrameworkLevel
    extra = 0
    can_delete = False


@admin.register(Plan)
class PlanAdmin(NoDeleteAdmin, TranslatedAdmin[Plan]):
    list_display = [
        "title",
        "code",
        "kind",
        "area",
        "generation",
        "start",
        "end",
        "status",
        "disclosure_threshold",
    ]
    list_filter = ["kind", "status"]
    search_fields = ["title", "code"]
    raw_id_fields = ["area", "parent", "lead_organisation"]
    inlines = [FrameworkLevelInline]


@admin.register(FrameworkNode)
class FrameworkNodeAdmin(NoDeleteAdmin, TranslatedAdmin[FrameworkNode]):
    list_display = ["code", "title", "plan", "level", "status", "responsible_organisation"]
    list_filter = ["plan", "level", "status"]
    search_fields = ["code", "title"]
    raw_id_fields = ["parent", "source_node", "responsible_organisation"]
    filter_horizontal = ["partner_organisations"]
