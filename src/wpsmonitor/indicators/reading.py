"""What a reader of a plan's figures reads, as the layers below publishing see it.

Who reads the detail (the aggregates) and who reads the latest published release is decided
once, in the publishing layer (`publishing.selectors.reading_for`, from
`PlanAccess.sees_detail`). The endpoints and exports below it (indicators, shadow, scorecard,
exchange) do not import publishing: the composition root (`wpsmonitor/api.py`) hands them that
decision as a `ReadingFor`, and they read `figures` through the indicator selectors
(docs/publishing.md, "The API and the workbook").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from django.utils.translation import gettext as _

from wpsmonitor.accounts.access import PlanAccess
from wpsmonitor.indicators.selectors import Figure, Figures


class FigureReading(Protocol):
    """One reader's figures: the detail (`figures` None), or a release's figures."""

    @property
    def detail(self) -> bool: ...

    @property
    def figures(self) -> Figures: ...

    @property
    def release_number(self) -> int | None:
        """The release read; None for the detail, or when the plan has published none."""


ReadingFor = Callable[[PlanAccess], FigureReading]


def flag_text(flag: str, threshold: int | None) -> str:
    """The public words of a release figure's flag ("" for a free figure): the same words as
    the release's own answers (publishing.flags), so one translation serves both."""
    if not flag:
        return ""
    if flag == "primary" and threshold is not None:
        return _("fewer than %(threshold)s") % {"threshold": threshold}
    if flag == "derived":
        return _("hidden: computed from a hidden count")
    return _("hidden to protect a small count")


def reading_out(reading: FigureReading) -> dict[str, Any]:
    """The fields every figure answer carries, so a client knows what it read."""
    return {
        "reading": "detail" if reading.detail else "release",
        "release": reading.release_number,
    }


def figure_flags_out(figure: Figure) -> dict[str, Any]:
    """A figure's flag fields in the API: null flag for a free figure (and for the detail)."""
    return {
        "flag": figure.flag or None,
        "flag_text": flag_text(figure.flag, figure.threshold) or None,
        "threshold": figure.threshold if figure.flag == "primary" else None,
    }
