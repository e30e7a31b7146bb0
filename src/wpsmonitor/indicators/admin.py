from typing import Any

from django.contrib import admin

from wpsmonitor.indicators.models import (
    DataValue,
    DataValueAudit,
    Dimension,
    DimensionOption,
    DisaggregationScheme,
    GlobalIndicator,
    Indicator,
    Source,
)


class DimensionOptionInline(admin.TabularInline[DimensionOption, Any]):
    model = DimensionOption
    extra = 0


@admin.register(Dimension)
class DimensionAdmin(admin.ModelAdmin[Dimension]):
    list_display = ["code", "name", "plan"]
    inlines = [DimensionOptionInline]


@admin.register(DisaggregationScheme)
class DisaggregationSchemeAdmin(admin.ModelAdmin[DisaggregationScheme]):
    # Dimensions change only through indicators.services.scheme_set_dimensions, which refuses
    # to break a scheme that has data; the admin shows them read-only.
    list_display = ["code", "name"]
    readonly_fields = ["code"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin[Source]):
    list_display = ["name", "code", "kind", "organisation"]
    list_filter = ["kind"]


@admin.register(GlobalIndicator)
class GlobalIndicatorAdmin(admin.ModelAdmin[GlobalIndicator]):
    list_display = ["vocabulary", "code", "title", "verified", "catalogue_version"]
    list_filter = ["vocabulary", "verified"]
    search_fields = ["code", "title"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin[Indicator]):
    list_display = ["code", "title", "plan", "kind", "time_rule", "scheme"]
    list_filter = ["plan", "kind", "time_rule"]
    search_fields = ["code", "title"]
    raw_id_fields = ["node", "share_of", "responsible_organisation"]
    filter_horizontal = ["references"]


@admin.register(DataValue)
class DataValueAdmin(admin.ModelAdmin[DataValue]):
    # Values change through imports and the API so that every change is validated and audited.
    list_display = [
        "indicator",
        "period",
        "area",
        "cell",
        "source",
        "value",
        "numerator",
        "denominator",
    ]
    list_select_related = ["indicator", "period", "area", "cell", "source"]
    raw_id_fields = ["indicator", "period", "area", "cell", "source", "stored_by", "batch"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(DataValueAudit)
class DataValueAuditAdmin(admin.ModelAdmin[DataValueAudit]):
    list_display = [
        "changed_at",
        "indicator",
        "period",
        "area",
        "action",
        "old_value",
        "new_value",
        "changed_by",
    ]
    list_select_related = ["indicator", "period", "area", "changed_by"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
