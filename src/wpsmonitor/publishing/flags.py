"""What readers and the disclosure audit read of a suppressed cell, in the reader's language.

The codes (`disclosure.Flag`, `disclosure.Rule`) are stable in every format; these are the
words shown beside them (one wording, `indicators.reading.flag_text`, for every page, file
and answer). A primary cell reads "fewer than 5" whatever its value (0 included);
a complement never reads "fewer than": it is usually not small.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from wpsmonitor.indicators.reading import flag_text as text_of_flag
from wpsmonitor.publishing.disclosure import Relation, Rule, Suppression


def flag_text(suppression: Suppression) -> str:
    """The public text shown in place of the figure."""
    return text_of_flag(suppression.flag.value, suppression.threshold)


def figure_text(flag: str, threshold: int | None, value: Any) -> str:
    """A figure of a release as shown: its number, or its flag's text in place of it."""
    if flag:
        return text_of_flag(flag, threshold)
    return "" if value is None else f"{value.normalize():f}"


def audit_text(
    suppression: Suppression, relations: Sequence[Relation], previous: int | None = None
) -> str:
    """Why the cell is suppressed, for the coordinator's disclosure audit (never public).

    `previous`: the number of the previous published release (for `Rule.KEPT`).
    """
    if suppression.rule == Rule.KEPT:
        return _("kept hidden as in release %(number)s: its figure has not changed") % {
            "number": previous if previous is not None else "?"
        }
    if suppression.rule == Rule.SMALL:
        return _("below the threshold of %(threshold)s") % {"threshold": suppression.threshold}
    if suppression.rule == Rule.ZERO:
        return _("a zero, suppressed as a small count (zeros are not safe in this plan)")
    if suppression.rule == Rule.COMPLEMENT:
        relation = relations[suppression.relation] if suppression.relation is not None else None
        return _("complement of %(cell)s in %(relation)s") % {
            "cell": suppression.protects,
            "relation": (relation.label or _("a sum")) if relation else _("a sum"),
        }
    return _("computed from the suppressed figure %(cell)s") % {"cell": suppression.protects}


def disclosed_text(previous: int | None, unchanged: bool) -> str:
    """The audit's problem for a figure now primary that the previous release published."""
    number = previous if previous is not None else "?"
    if unchanged:
        return _(
            "published in release %(number)s with the same figure, now below the threshold: "
            "that release disclosed it; consider withdrawing it"
        ) % {"number": number}
    return _(
        "published in release %(number)s before its correction, now below the threshold: the "
        "earlier figure stays public unless that release is withdrawn"
    ) % {"number": number}
