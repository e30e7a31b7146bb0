"""Materialised-path trees: areas (directory) and framework nodes (plans).

Each row's `path` holds the ids from the root down to itself ("/12/40/"), so a subtree is one
indexed prefix query (`path__startswith`). The path holds the row's own id, so it can only be
set once the row exists; moving a row carries its whole subtree along in one UPDATE.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models.functions import Concat, Substr


class MaterialisedPath:
    """Mixed into a model with a `parent` foreign key to itself and a `path` CharField."""

    pk: Any
    path: str
    parent: Any

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)  # type: ignore[misc]
        parent_path = self.parent.path if self.parent else "/"
        new_path = f"{parent_path}{self.pk}/"
        if new_path == self.path:
            return
        old_path, self.path = self.path, new_path
        rows = type(self)._default_manager  # type: ignore[attr-defined]
        rows.filter(pk=self.pk).update(path=new_path)
        if old_path:  # moved: carry the subtree along
            rows.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(
                    models.Value(new_path),
                    Substr("path", len(old_path) + 1),
                    output_field=models.CharField(),
                )
            )

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to this row, itself included."""
        return [int(part) for part in self.path.strip("/").split("/") if part]
