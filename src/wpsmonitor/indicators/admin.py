"""Indicators' structure in the admin. Civil society's own indicators are not listed (drafts are
their organisation's alone, published ones its to change); nothing with values is deleted here,
and values change only through imports, the API and the reporting cycle, which audit them."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from wpsmonitor.core.admin import NoDeleteAdmin, TranslatedAdmin, TranslatedTabularInline
from wpsmonitor.indicators import limits
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


class DimensionOptionInline(TranslatedTabularInline[DimensionOption]):
    model = DimensionOption
    extra = 0
    can_delete = False  # an option in use is never deleted (indicators.services.option_delete)
    max_num = limits.DIMENSION_MAX_OPTIONS  # the bound every path shares (indicators/limits.py)


@admin.register(Dimension)
class DimensionAdmin(NoDeleteAdmin, admin.ModelAdmin[Dimension]):
    list_display = ["code", "name", "plan"]
    inlines = [DimensionOptionInline]


@admin.register(DisaggregationScheme)
class DisaggregationSchemeAdmin(NoDeleteAdmin, admin.ModelAdmin[DisaggregationScheme]):
    # Dimensions change only through indicators.services.scheme_set_dimensions, which refuses
    # to break a scheme that has data; the admin shows them read-only.
    list_display = ["code", "name"]
    readonly_fields = ["code"]


@admin.register(Source)
class SourceAdmin(NoDeleteAdmin, admin.ModelAdmin[Source]):
    list_display = ["name", "code", "kind", "organisation"]
    list_filter = ["kind"]


@admin.register(GlobalIndicator)
class GlobalIndicatorAdmin(admin.ModelAdmin[GlobalIndicator]):
    list_display = ["vocabulary", "code", "title", "verified", "catalogue_version"]
    list_filter = ["vocabulary", "verified"]
    search_fields = ["code", "title"]


@admin.register(Indicator)
class IndicatorAdmin(NoDeleteAdmin, TranslatedAdmin[Indicator]):
    list_display = ["code", "title", "plan", "kind", "time_rule", "scheme", "sensitivity"]
    list_filter = ["plan", "kind", "time_rule", "sensitivity"]
    search_fields = ["code", "title"]
    raw_id_fields = ["node", "share_of", "responsible_organisation"]
    filter_horizontal = ["references"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Indicator]:
        # The plan's indicators only: civil society's own are its organisation's alone.
        return super().get_queryset(request).filter(owner_organisation__isnull=True)


@admin.register(DataValue)
class DataValueAdmin(NoDeleteAdmin, admin.ModelAdmin[DataValue]):
    # Values change (and go) through imports and the API, so that every change is validated and
    # audited: a deletion here left no audit row.
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
        "changed_by_name",
    ]
    list_select_related = ["indicator", "period", "area", "changed_by"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
