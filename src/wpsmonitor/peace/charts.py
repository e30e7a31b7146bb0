"""The peace app's chart: women's share of the seats, round by round, drawn on the server as SVG.
The process page, the public portal and the standard report draw the same one."""

from __future__ import annotations

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from wpsmonitor.peace import selectors
from wpsmonitor.peace.models import PeaceProcess, SeatRole
from wpsmonitor.shell import charts
from wpsmonitor.shell.templatetags.shell import num


def _percent(value: float) -> str:
    return f"{num(round(value, 1), 0 if value == int(value) else 1)} %"


def trend_chart(process: PeaceProcess, rows: list[selectors.RoundShares]) -> SafeString:
    """Women's share by round: a line per CFR role, and all roles together."""
    categories = [str(r.round.number) for r in rows]
    series = [
        charts.ChartSeries(str(SeatRole(role).label), tuple(r.by_role[role].percent for r in rows))
        for role in selectors.CFR_ROLES
    ]
    series.append(charts.ChartSeries(_("All roles"), tuple(r.overall.percent for r in rows)))
    return charts.line_chart(
        chart_id=f"peace-trend-{process.pk}",
        title=_("Women's share of the seats by round: %(process)s") % {"process": process.name},
        description=_(
            "Line chart of women's share, in per cent, of the seats whose holder's sex is "
            "recorded, round by round, for negotiators, mediators, signatories and all roles "
            "together. The table gives the same figures with their counts."
        ),
        categories=categories,
        series=series,
        y_label=_("women, %"),
        value_label=_percent,
    )
