"""The reporting cycle in the admin: read-mostly; changes go through the pages and services,
which check rights and keep the history."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from wpsmonitor.reporting.models import Assignment, ReportingRound, Submission, SubmissionEvent


@admin.register(ReportingRound)
class ReportingRoundAdmin(admin.ModelAdmin[ReportingRound]):
    list_display = ("plan", "period", "deadline", "status")
    list_filter = ("status",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin[Assignment]):
    list_display = ("plan", "organisation", "area", "indicator", "action")


class EventInline(admin.TabularInline[SubmissionEvent, Any]):
    model = SubmissionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "actor", "at", "note", "changes")

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin[Submission]):
    list_display = ("round", "organisation", "area", "source", "status")
    list_filter = ("status",)
    inlines = [EventInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # figures and decisions change only through the reporting pages
