from typing import Any

from django.contrib import admin

from wpsmonitor.plans.models import FrameworkLevel, FrameworkNode, Plan


class FrameworkLevelInline(admin.TabularInline[FrameworkLevel, Any]):
    model = FrameworkLevel
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin[Plan]):
    list_display = ["title", "code", "kind", "area", "generation", "start", "end", "status"]
    list_filter = ["kind", "status"]
    search_fields = ["title", "code"]
    raw_id_fields = ["area", "parent", "lead_organisation"]
    inlines = [FrameworkLevelInline]


@admin.register(FrameworkNode)
class FrameworkNodeAdmin(admin.ModelAdmin[FrameworkNode]):
    list_display = ["code", "title", "plan", "level", "status", "responsible_organisation"]
    list_filter = ["plan", "level", "status"]
    search_fields = ["code", "title"]
    raw_id_fields = ["parent", "source_node", "responsible_organisation"]
    filter_horizontal = ["partner_organisations"]
