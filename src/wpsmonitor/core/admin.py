"""What the Django admin may do: it is for structure (plans, areas, organisations, indicators,
sources), never for anyone's drafts, and it deletes nothing that has history.

Deleting a plan, a node, an indicator or a value in the admin cascaded to submissions, evidence
files and published values without an audit row; deleting a user dropped their name from the
history they made. Such changes go through the pages and services, which check rights and keep
the history; the admin only shows these rows (docs/architecture.md, "The admin").
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


class NoDeleteAdmin:
    """A ModelAdmin mixin: rows are kept (no delete view, no "delete selected" action)."""

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(NoDeleteAdmin):
    """A ModelAdmin mixin: rows are shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
