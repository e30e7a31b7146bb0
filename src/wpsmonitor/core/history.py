"""Names kept on history: who did what stays readable after that account is deleted.

A history row (a value's audit, a submission's or a report's events, a recommendation's status
changes) points at the user who acted with a foreign key that a deleted account sets to null. A
model that keeps names declares `kept_names = {"<user field>": "<text field>"}`: the text field
holds the user's display name, filled when the row is written (pre_save), backfilled by the
migration that added it, and filled once more, for any row written without it (a bulk insert),
just before a user is deleted. Pages show `kept_name(row, "<user field>")`.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Model
from django.db.models.signals import pre_delete, pre_save


def display_name(user: Any) -> str:
    """How history names a user: the full name, else the login."""
    return str(user.get_full_name() or user.get_username())[:150]


def kept_name(row: Model, field: str) -> str:
    """The name of the user in `field` of a history row: from the account while it exists,
    else the name kept beside it ("" when neither is known)."""
    user = getattr(row, field)
    if user is not None:
        return display_name(user)
    return str(getattr(row, row.kept_names[field]))  # type: ignore[attr-defined]


def _models_keeping_names() -> list[type[Model]]:
    return [m for m in apps.get_models() if getattr(m, "kept_names", None)]


def _fill_on_write(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    for field, name_field in getattr(sender, "kept_names", {}).items():
        if not getattr(instance, name_field) and getattr(instance, f"{field}_id") is not None:
            setattr(instance, name_field, display_name(getattr(instance, field)))


def _fill_before_user_delete(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    name = display_name(instance)
    for model in _models_keeping_names():
        for field, name_field in model.kept_names.items():  # type: ignore[attr-defined]
            model._default_manager.filter(**{field: instance, name_field: ""}).update(
                **{name_field: name}
            )


def connect() -> None:
    """Called once from CoreConfig.ready()."""
    pre_save.connect(_fill_on_write, dispatch_uid="wpsmonitor-kept-names-write")
    pre_delete.connect(
        _fill_before_user_delete,
        sender=get_user_model(),
        dispatch_uid="wpsmonitor-kept-names-user-delete",
    )


def backfill(model: type[Model], field: str, name_field: str) -> None:
    """For a data migration: fill `name_field` of the rows whose user is known (historical
    models have no methods, so the name is built here as display_name builds it)."""
    users: Any = model._meta.get_field(field).related_model
    for user in users._default_manager.filter(
        pk__in=model._default_manager.exclude(**{f"{field}_id": None}).values(f"{field}_id")
    ):
        full = f"{user.first_name} {user.last_name}".strip()
        model._default_manager.filter(**{f"{field}_id": user.pk}).update(
            **{name_field: (full or user.username)[:150]}
        )
