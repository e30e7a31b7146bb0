from django.contrib import admin

from wpsmonitor.core.admin import TranslatedAdmin
from wpsmonitor.directory.models import Area, AreaLevel, Organisation


@admin.register(Organisation)
class OrganisationAdmin(TranslatedAdmin[Organisation]):
    list_display = ["name", "acronym", "type", "women_led", "grassroots", "youth_led"]
    list_filter = ["type", "women_led", "grassroots", "youth_led"]
    search_fields = ["name", "acronym", "code"]


@admin.register(AreaLevel)
class AreaLevelAdmin(admin.ModelAdmin[AreaLevel]):
    list_display = ["depth", "code", "name"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin[Area]):
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    raw_id_fields = ["parent"]
