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
from datetime import datetime
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

    @property
    def release_published_at(self) -> datetime | None:
        """When the release read was published (None as for `release_number`)."""

    @property
    def release_url(self) -> str:
        """The public page of the release read, which says how to read its flags ("" when none
        is read): pages below publishing link to it without naming its URL."""


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


def reading_about(reading: FigureReading) -> tuple[str, str]:
    """The downloads' "About" line saying which figures the file holds, on every page's
    downloads (the portal's, the divergence's, the scorecard's)."""
    if reading.detail:
        text = _("As the platform holds them, before disclosure control: not public.")
    elif reading.release_number is not None:
        text = _("Published release %(number)s; small counts are hidden to protect people.") % {
            "number": reading.release_number
        }
    else:
        text = _("No figures published yet.")
    return (_("Figures"), text)


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
