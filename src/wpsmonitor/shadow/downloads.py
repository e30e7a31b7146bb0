"""Shadow monitoring's tables, for the shell's CSV and XLSX downloads."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from wpsmonitor.core.names import localized_name
from wpsmonitor.shadow.divergence import Divergence, NotCompared
from wpsmonitor.shadow.selectors import ActionComparison, gap_words
from wpsmonitor.shell.downloads import Table


def divergence_table(found: Sequence[Divergence]) -> Table:
    return Table(
        key="divergences",
        title=_("Where government and civil society differ most"),
        columns=[
            _("Indicator code"),
            _("Indicator"),
            _("Area code"),
            _("Area"),
            _("Civil-society source"),
            _("Government"),
            _("Civil society"),
            _("Government (step)"),
            _("Civil society (step)"),
            _("Gap"),
            _("Gap measured in"),
        ],
        rows=[
            [
                d.indicator.code,
                d.indicator.title,
                d.area.code,
                localized_name(d.area.name),
                d.source.name,
                d.government,
                d.civil_society,
                d.government_label,
                d.civil_society_label,
                d.gap,
                _("percentage points") if d.in_points else _("share of the larger figure"),
            ]
            for d in found
        ],
    )


def not_compared_table(found: Sequence[NotCompared]) -> Table:
    """A release's pairs left uncompared: a suppressed figure is its flag's words, never a
    value (the same rule as the page)."""

    def side(value: float | None, label: str, flag: str) -> str | float | None:
        return flag or label or value

    return Table(
        key="not_compared",
        title=_("Not compared: a figure is hidden in the release"),
        columns=[
            _("Indicator code"),
            _("Indicator"),
            _("Area code"),
            _("Area"),
            _("Civil-society source"),
            _("Government"),
            _("Civil society"),
        ],
        rows=[
            [
                n.indicator.code,
                n.indicator.title,
                n.area.code,
                localized_name(n.area.name),
                n.source.name,
                side(n.government, n.government_label, n.government_flag_text),
                side(n.civil_society, n.civil_society_label, n.civil_society_flag_text),
            ]
            for n in found
        ],
    )


def action_divergence_table(found: Sequence[ActionComparison]) -> Table:
    """One row per action and monitor whose accounts differ (shadow.selectors' scale)."""
    return Table(
        key="action_divergences",
        title=_("Actions where the accounts differ"),
        columns=[
            _("Action code"),
            _("Action"),
            _("Civil-society organisation"),
            _("Government status"),
            _("Government percent complete"),
            _("Civil-society assessment"),
            _("Gap in steps"),
            _("Gap"),
        ],
        rows=[
            [
                c.action.code,
                c.action.title,
                m.report.organisation.name,
                c.government.status_label,
                c.government.percent_complete,
                m.label,
                gap,
                gap_words(gap),
            ]
            for c in found
            for m, gap in c.monitors
            if gap
        ],
    )
