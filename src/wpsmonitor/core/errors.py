"""The errors services raise that every caller knows how to show.

Services refuse with Django's own exceptions wherever they suffice: PermissionDenied for a right
the caller lacks, ValidationError for bad input (a dict of messages when they name the fields at
fault). Two more are kernel classes, because the API must answer them in full without knowing
the app that raised them:

- `InputProblems`: input refused for reasons located in it, by row of a bulk input and by field
  (a workbook, a list of rows). Domain exceptions that carry their own kind of problem subclass
  it and say how to present them (`summary`, `located`).
- `NotFound`: a 404 whose message is written for the caller ("No report 12.").

The API answers all of them in its error shape (`core/api.py:install_error_handlers`), so no
endpoint catches them; pages and commands catch them as they need.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.http import Http404


@dataclass(frozen=True)
class LocatedProblem:
    """One reason an input was refused, and where it lies."""

    row: int | None  # 0-based index of the item in a bulk input; None when about no one item
    field: str | None  # the field at fault; None when about the whole item
    message: str


class InputProblems(Exception):
    """Input refused, nothing stored; every reason is listed and located.

    The API answers `status` with `summary()` as its detail and `located()` as its errors.
    Raise it as is with a summary and the problems, or subclass it for a domain exception whose
    problems are of its own kind (overriding `summary` and `located`).
    """

    status: int = 400

    def __init__(self, summary: str, problems: Sequence[LocatedProblem] = ()) -> None:
        super().__init__(summary)
        self._summary = summary
        self._problems = list(problems)

    def summary(self) -> str:
        """One sentence for the caller: what was refused."""
        return self._summary

    def located(self) -> list[LocatedProblem]:
        """The problems shown to the caller (all of them, or the first ones)."""
        return self._problems


class NotFound(Http404):
    """Nothing under this name, or nothing the caller may see (both alike, so that hidden
    objects do not leak). Unlike a bare Http404, its message may be shown to the caller: it
    says what was looked for, "No report 12."."""
