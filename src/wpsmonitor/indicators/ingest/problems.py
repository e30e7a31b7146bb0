"""What a session reports: the problems that refuse rows, the warnings that do not, the counts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from wpsmonitor.core.errors import InputProblems, LocatedProblem

# How the JSON API names the rows of its body (`where=ROW_PLACE`): by their 0-based index. The
# problems of rows so named are located by that index in the API's answer (Problem.located).
ROW_PLACE = "row {row}"
_ROW_NAMED = re.compile(r"row (\d+)")


@dataclass(frozen=True)
class Problem:
    """One problem with one input row: where (file:sheet:row, file:row or values[3]), column, message."""

    where: str
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f"{self.where}:{self.column}: {self.message}"
        return f"{self.where}: {self.message}"

    def as_dict(self) -> dict[str, str]:
        return {"where": self.where, "column": self.column, "message": self.message}

    def located(self) -> LocatedProblem:
        """By row index when the row is named ROW_PLACE, and by column."""
        named = _ROW_NAMED.fullmatch(self.where)
        row = int(named.group(1)) if named else None
        return LocatedProblem(row, self.column or None, self.message)


class IngestError(InputProblems):
    """Raised when any row is refused; nothing was stored. `problems` lists them all (capped).
    The API answers 400 with their count and every one of them, located."""

    def __init__(self, problems: list[Problem], truncated: bool = False) -> None:
        self.problems = problems
        self.truncated = truncated
        super().__init__("\n".join(str(p) for p in problems[:20]))

    def summary(self) -> str:
        found = _("%(count)s problem(s) found; nothing was stored.") % {"count": len(self.problems)}
        if self.truncated:
            found += " " + _("Only the first problems are listed.")
        return found

    def located(self) -> list[LocatedProblem]:
        return [p.located() for p in self.problems]


@dataclass
class IngestResult:
    batch_id: int
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    plan_ids: set[int] = field(default_factory=set)
    indicator_ids: set[int] = field(default_factory=set)
    warnings: list[Problem] = field(default_factory=list)


class ErrorCapReached(Exception):
    """Internal: the error cap is reached; stop reading."""


class ProblemLog:
    """The problems and warnings of one session, each located in its input.

    An input (a file, a sheet, a list of rows) is registered once as a place: a format that
    turns a row number into a location, e.g. "values.csv:{row}". Problems are kept with their
    (place, row) so that they can be reported in input order, whatever order found them.
    """

    def __init__(self, max_errors: int) -> None:
        self.max_errors = max_errors
        self.problems: list[tuple[int, int, Problem]] = []
        self.warnings: list[Problem] = []
        self.truncated = False
        self._places: list[str] = []

    def place(self, fmt: str) -> int:
        self._places.append(fmt)
        return len(self._places) - 1

    def where(self, place: int, row: int) -> str:
        return self._places[place].format(row=row)

    def record(self, place: int, row: int, column: str, message: str) -> bool:
        """Keep a problem; False once the cap is reached (the log is then truncated)."""
        self.problems.append((place, row, Problem(self.where(place, row), column, message)))
        if len(self.problems) >= self.max_errors:
            self.truncated = True
            return False
        return True

    def problem(self, place: int, row: int, column: str, message: str) -> None:
        """Keep a problem; raises ErrorCapReached at the cap, so that reading stops."""
        if not self.record(place, row, column, message):
            raise ErrorCapReached

    def warning(self, place: int, row: int, column: str, message: str) -> None:
        """Keep a warning (the row is still stored); past the cap, warnings are dropped."""
        if len(self.warnings) < self.max_errors:
            self.warnings.append(Problem(self.where(place, row), column, message))

    def in_input_order(self) -> list[Problem]:
        return [p for _place, _row, p in sorted(self.problems, key=lambda x: x[:2])]
