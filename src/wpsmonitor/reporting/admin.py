"""The reporting cycle in the admin: rounds and assignments, shown only. Submissions are not
here at all: they hold drafts, comments and evidence that only their authors' side may read
(accounts/access.py); the reporting pages show each user what they may see. Changes go through
the pages and services, which check rights and keep the history (core/admin.py)."""

from __future__ import annotations

from django.contrib import admin

from wpsmonitor.core.admin import ReadOnlyAdmin
from wpsmonitor.reporting.models import Assignment, ReportingRound


@admin.register(ReportingRound)
class ReportingRoundAdmin(ReadOnlyAdmin, admin.ModelAdmin[ReportingRound]):
    list_display = ("plan", "period", "deadline", "status")
    list_filter = ("status",)


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin, admin.ModelAdmin[Assignment]):
    list_display = ("plan", "organisation", "area", "indicator", "action")
