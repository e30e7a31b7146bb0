"""The donors page's pictures as server-rendered SVG: the flow of money from funders through
intermediaries to the organisations that implement (Sankey style), and the gender-marker
profile per donor (stacked bars).

As in portal/charts.py: presentation attributes only (the picture is the same without the
stylesheet and prints without background colours), an image with a title and a description,
the same figures in a table beside it, and no meaning carried by colour alone: every node has
its category's pattern and a text label, every bar segment its state's pattern, and the legends
name both. Colours are from Okabe and Ito's colour-blind-safe palette.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wpsmonitor.iati import flows, markers
from wpsmonitor.shell.charts import TEXT, _Mirror, escape, ltr_isolated, reading_mirror
from wpsmonitor.shell.templatetags.shell import num

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# category → (colour, pattern); patterns keep categories apart without colour.
CATEGORY_STYLE = {
    flows.LOCAL: ("#007a5e", "solid"),  # bluish green
    flows.INTERNATIONAL: ("#0072b2", "hatch"),  # blue
    flows.UNKNOWN: ("#6b6b6b", "dots"),  # grey
}
STATE_STYLE = {
    markers.PRINCIPAL: ("#a2447f", "solid"),  # reddish purple
    markers.SIGNIFICANT: ("#c85200", "hatch"),  # vermilion
    markers.NOT_TARGETED: ("#0072b2", "dots"),  # blue
    markers.NOT_SCREENED: ("#6b6b6b", "cross"),  # grey
}
MAX_COLUMNS = 4  # funders, then up to three tiers; deeper tiers join the last
MAX_NODES = 8  # per column; the rest are grouped
NODE_WIDTH = 14.0


def category_label(key: str) -> str:
    return {
        flows.LOCAL: _("National or local"),
        flows.INTERNATIONAL: _("International"),
        flows.UNKNOWN: _("Type not known"),
    }[key]


def state_label(key: str) -> str:
    return {
        markers.PRINCIPAL: _("Principal (2)"),
        markers.SIGNIFICANT: _("Significant (1)"),
        markers.NOT_TARGETED: _("Not targeted (0)"),
        markers.NOT_SCREENED: _("Not screened"),
        markers.NO_MARKER: _("No marker"),
    }[key]


def _pattern(pid: str, colour: str, kind: str) -> str:
    if kind == "hatch":
        return (
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
            f'<rect width="3" height="6" fill="{colour}"/></pattern>'
        )
    if kind == "dots":
        return (
            f'<pattern id="{pid}" width="5" height="5" patternUnits="userSpaceOnUse">'
            f'<rect width="5" height="5" fill="#ffffff"/>'
            f'<circle cx="2.5" cy="2.5" r="1.6" fill="{colour}"/></pattern>'
        )
    if kind == "cross":
        return (
            f'<pattern id="{pid}" width="6" height="6" patternUnits="userSpaceOnUse">'
            f'<rect width="6" height="6" fill="#ffffff"/>'
            f'<path d="M0 0L6 6M6 0L0 6" stroke="{colour}" stroke-width="1.3"/></pattern>'
        )
    return ""


def _fill(pid: str, colour: str, kind: str) -> str:
    return colour if kind == "solid" else f"url(#{pid})"


def _open(
    chart_id: str, width: int, height: int, title: str, desc: str, mirror: _Mirror
) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" font-family="{FONT}" font-size="12" '
        f'fill="{TEXT}" direction="{mirror.direction}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


@dataclass
class _Node:
    key: str
    label: str
    category: str
    column: int
    value: Decimal = Decimal(0)
    y: float = 0.0
    height: float = 0.0
    out_used: float = 0.0
    in_used: float = 0.0


def sankey_currency(report: flows.FlowReport) -> str:
    """The currency the diagram draws: the target currency of the rate table, else the
    currency in which the most money entered the chain."""
    if report.target:
        return report.target
    by = report.entered.by_currency or {}
    return max(by, key=lambda c: (by[c], c)) if by else ""


def _amount(flow: flows.Flow, report: flows.FlowReport, currency: str) -> Decimal | None:
    if report.target:
        return flow.converted
    return flow.amount if flow.currency == currency and currency else None


def sankey(report: flows.FlowReport, *, width: int = 760) -> SafeString:
    """The flow diagram, or "" when no flow can be drawn."""
    currency = sankey_currency(report)
    edges, columns, left_out = _edges(report, currency)
    if not edges:
        return mark_safe("")
    nodes = _nodes(report, edges, columns)
    edges = _group_crowded_columns(nodes, edges)
    layout = _layout(nodes, width)
    # Right to left (Arabic), the money flows from the funders on the right: every x is
    # computed left to right and drawn through the mirror (shell/charts.py).
    mirror = reading_mirror(width)
    title = _("Donor money from funders to implementers")
    description = _description(currency, edges, left_out, mirror)
    out = _open("iati-sankey", width, layout.height, title, description, mirror)
    out.append("<defs>")
    for cat, (colour, kind) in CATEGORY_STYLE.items():
        out.append(_pattern(f"sankey-{cat}", colour, kind))
    out.append("</defs>")
    out.append(_sankey_legend(layout, currency, width, mirror))
    out.append(_bands(nodes, edges, layout, currency, mirror))
    out.append(_node_boxes(nodes, layout, mirror))
    out.append("</svg>")
    return mark_safe("".join(out))


def _edges(
    report: flows.FlowReport, currency: str
) -> tuple[dict[tuple[str, str], Decimal], dict[str, int], int]:
    """The amounts drawn between each pair of organisations, each organisation's column, and
    how many flows are left out of the picture (another currency, nothing to draw, or paid
    back up the chain)."""
    columns: dict[str, int] = {}

    def column(key: str, fallback: int) -> int:
        if key not in columns:
            org = report.orgs.get(key)
            columns[key] = min(org.depth if org else fallback, MAX_COLUMNS - 1)
        return columns[key]

    edges: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    left_out = 0
    for flow in report.flows:
        amount = _amount(flow, report, currency)
        if amount is None or amount <= 0:
            left_out += 1
            continue
        src_col = column(flow.provider, 0)
        # A receiver-less payment goes to a node of its own in the next column.
        receiver = flow.receiver or f"?{src_col + 1}"
        if flow.receiver:
            dst_col = column(receiver, src_col + 1)
        else:
            dst_col = columns.setdefault(receiver, min(src_col + 1, MAX_COLUMNS - 1))
        if dst_col <= src_col:  # a payment back up the chain: in the table, not in the picture
            left_out += 1
            continue
        edges[(flow.provider, receiver)] += amount
    return edges, columns, left_out


def _nodes(
    report: flows.FlowReport, edges: dict[tuple[str, str], Decimal], columns: dict[str, int]
) -> dict[str, _Node]:
    """A node for each organisation at either end of a band, in the order the bands name them."""
    nodes: dict[str, _Node] = {}
    for src, dst in edges:
        for key in (src, dst):
            if key not in nodes:
                org = report.orgs.get(key)
                label = org.label if org else _("Receiver not named")
                nodes[key] = _Node(key, label, org.category if org else flows.UNKNOWN, columns[key])
    return nodes


def _weigh(nodes: dict[str, _Node], edges: dict[tuple[str, str], Decimal]) -> dict[str, Decimal]:
    """Set each node's value (the larger of what it received and what it paid on); returns
    what each paid on."""
    inflow: dict[str, Decimal] = defaultdict(Decimal)
    outflow: dict[str, Decimal] = defaultdict(Decimal)
    for (src, dst), amount in edges.items():
        outflow[src] += amount
        inflow[dst] += amount
    for node in nodes.values():
        node.value = max(inflow[node.key], outflow[node.key])
    return outflow


def _group_crowded_columns(
    nodes: dict[str, _Node], edges: dict[tuple[str, str], Decimal]
) -> dict[tuple[str, str], Decimal]:
    """Keep MAX_NODES nodes per column and group the rest of each column in one node (in
    `nodes`, weighed); returns the bands between the nodes kept."""
    outflow = _weigh(nodes, edges)
    merged: dict[str, str] = {}
    for col in sorted({n.column for n in nodes.values()}):
        members = sorted(
            (n for n in nodes.values() if n.column == col),
            # Intermediaries first (their onward payments are the chain), then the largest.
            key=lambda n: (col > 0 and not outflow[n.key], -n.value, n.label),
        )
        for n in members[MAX_NODES:]:
            merged[n.key] = f"~{col}"
        if len(members) > MAX_NODES:
            rest = members[MAX_NODES:]
            nodes[f"~{col}"] = _Node(
                f"~{col}",
                _("%(n)s other organisations") % {"n": len(rest)},
                flows.UNKNOWN,
                col,
            )
            for n in rest:
                del nodes[n.key]
    if not merged:
        return edges
    regrouped: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for (src, dst), amount in edges.items():
        regrouped[(merged.get(src, src), merged.get(dst, dst))] += amount
    _weigh(nodes, regrouped)
    return regrouped


@dataclass(frozen=True)
class _Layout:
    columns: list[int]  # the columns in use, funders' first
    xs: dict[int, float]  # each column's left edge
    scale: float  # pixels per unit of money, the same for every node and band
    height: int


def _layout(nodes: dict[str, _Node], width: int) -> _Layout:
    """Columns spread across the width, nodes stacked with gaps (largest first), one scale for
    all; sets each node's place and height."""
    gap, top = 12.0, 56.0
    used_columns = sorted({n.column for n in nodes.values()})
    per_column = {c: [n for n in nodes.values() if n.column == c] for c in used_columns}
    for members in per_column.values():
        members.sort(key=lambda n: (-n.value, n.label))
    tallest = max(sum(float(n.value) for n in ms) for ms in per_column.values())
    most = max(len(ms) for ms in per_column.values())
    plot_h = max(240.0, most * 34.0)
    scale = (plot_h - gap * (most - 1)) / tallest if tallest else 1.0
    # Funders are labelled on their left, every other column on its right.
    left_room, label_room = 200.0, 200.0
    span = max(len(used_columns) - 1, 1)
    xs = {
        c: left_room + i * (width - left_room - label_room - NODE_WIDTH) / span
        for i, c in enumerate(used_columns)
    }
    for members in per_column.values():
        y = top
        for n in members:
            n.height = max(float(n.value) * scale, 4.0)
            n.y = y
            y += n.height + gap
    height = int(max(n.y + n.height for n in nodes.values()) + 16)
    return _Layout(used_columns, xs, scale, height)


def _description(
    currency: str, edges: dict[tuple[str, str], Decimal], left_out: int, mirror: _Mirror
) -> str:
    total = sum(edges.values(), Decimal(0))
    if mirror.on:
        direction = _(
            "Flow diagram of donor money in %(currency)s, from funders on the right through "
            "intermediaries to the organisations that received it on the left; the width "
            "of each band is the amount."
        )
    else:
        direction = _(
            "Flow diagram of donor money in %(currency)s, from funders on the left through "
            "intermediaries to the organisations that received it on the right; the width "
            "of each band is the amount."
        )
    return " ".join(
        [
            direction % {"currency": currency},
            _("%(n)s payments totalling %(amount)s %(currency)s are drawn.")
            % {"n": len(edges), "amount": num(float(total), 0), "currency": currency},
            _("%(n)s payments in other currencies or flowing back up the chain are not drawn.")
            % {"n": left_out}
            if left_out
            else "",
            _("The table beside the diagram lists every flow."),
        ]
    ).strip()


def _sankey_legend(layout: _Layout, currency: str, width: int, mirror: _Mirror) -> str:
    """The categories' samples, the currency, and each column's heading."""
    out = ['<g class="legend">']
    lx = 12.0
    for cat, (colour, kind) in CATEGORY_STYLE.items():
        label = category_label(cat)
        out.append(
            f'<rect x="{mirror.box(lx, 22):.1f}" y="10" width="22" height="14" '
            f'fill="{_fill(f"sankey-{cat}", colour, kind)}" stroke="{colour}" stroke-width="1.5"/>'
            f'<text x="{mirror(lx + 28):.1f}" y="21">{escape(label)}</text>'
        )
        lx += 40 + 7 * len(label)
    unit = _("Amounts in %(currency)s") % {"currency": currency}
    out.append(f'<text x="{mirror(width - 8)}" y="21" text-anchor="end">{escape(unit)}</text>')
    heads = [_("Funders"), *[_("Tier %(n)s") % {"n": c} for c in layout.columns[1:]]]
    for c, head in zip(layout.columns, heads, strict=False):
        out.append(
            f'<text x="{mirror(layout.xs[c]):.1f}" y="44" font-weight="600">{escape(head)}</text>'
        )
    out.append("</g>")
    return "".join(out)


def _bands(
    nodes: dict[str, _Node],
    edges: dict[tuple[str, str], Decimal],
    layout: _Layout,
    currency: str,
    mirror: _Mirror,
) -> str:
    """A band per pair, as wide as its amount, in its receiver's colour; largest first so that
    small ones stay visible on top. Each band takes the next free stretch of both its nodes."""
    out = ['<g class="links" fill="none">']
    for (src, dst), amount in sorted(edges.items(), key=lambda kv: -kv[1]):
        a, b = nodes[src], nodes[dst]
        thick = max(float(amount) * layout.scale, 1.0)
        y1 = a.y + a.out_used + thick / 2
        y2 = b.y + b.in_used + thick / 2
        a.out_used += thick
        b.in_used += thick
        x1, x2 = mirror(layout.xs[a.column] + NODE_WIDTH), mirror(layout.xs[b.column])
        mid = (x1 + x2) / 2
        colour = CATEGORY_STYLE[b.category][0]
        # Translators: the tooltip of a flow, e.g. "Sida → UN Women: 50,000 USD".
        label = _("%(source)s → %(target)s: %(amount)s %(currency)s") % {
            "source": a.label,
            "target": b.label,
            "amount": num(float(amount), 0),
            "currency": currency,
        }
        out.append(
            f'<path d="M{x1:.1f} {y1:.1f}C{mid:.1f} {y1:.1f} {mid:.1f} {y2:.1f} {x2:.1f} '
            f'{y2:.1f}" stroke="{colour}" stroke-opacity="0.35" stroke-width="{thick:.1f}">'
            f"<title>{escape(label)}</title></path>"
        )
    out.append("</g>")
    return "".join(out)


def _node_boxes(nodes: dict[str, _Node], layout: _Layout, mirror: _Mirror) -> str:
    """Each node in its category's pattern, with its name and amount beside it: left of the
    funders, right of the others."""
    out = ['<g class="nodes">']
    funders = layout.columns[0]
    for n in nodes.values():
        colour, kind = CATEGORY_STYLE[n.category]
        x = layout.xs[n.column]
        label = f"{n.label} · {num(float(n.value), 0)}"
        out.append(
            f'<rect x="{mirror.box(x, NODE_WIDTH):.1f}" y="{n.y:.1f}" width="{NODE_WIDTH}" '
            f'height="{n.height:.1f}" '
            f'fill="{_fill(f"sankey-{n.category}", colour, kind)}" stroke="{colour}" '
            f'stroke-width="1.5"><title>{escape(label)} ({escape(category_label(n.category))})'
            f"</title></rect>"
            f'<text x="{mirror(x - 4 if n.column == funders else x + NODE_WIDTH + 4):.1f}" '
            f'y="{n.y + min(n.height, 24) / 2 + 4:.1f}" '
            f'text-anchor="{"end" if n.column == funders else "start"}" '
            f'paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round">'
            f"{escape(_short(n.label))} {escape(ltr_isolated(compact(float(n.value)), mirror))}</text>"
        )
    out.append("</g>")
    return "".join(out)


def compact(value: float) -> str:
    """A large amount in few characters (1.2 bn, 3.4 M, 56 k): the table has it in full."""
    for size, unit in ((1e9, _("%(n)s bn")), (1e6, _("%(n)s M")), (1e3, _("%(n)s k"))):
        if abs(value) >= size:
            return unit % {"n": num(value / size, 1)}
    return num(value, 0)


def _short(label: str, size: int = 20) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def profile_bars(
    profiles: Sequence[markers.DonorProfile], *, by_amount: bool, width: int = 680
) -> SafeString:
    """Each donor's peace-and-security funding split by gender-marker state, as one 100 %
    bar per donor: by converted amount, or by number of activities."""
    rows = []
    for p in profiles[:12]:
        values = [
            float(p.states[s].converted if by_amount else p.states[s].activities)
            for s in markers.PROFILE_STATES
        ]
        if sum(values) > 0:
            rows.append((p.name, values))
    if not rows:
        return mark_safe("")
    left, bar, gap = 12.0, 16, 30
    right = width - 12.0
    top = 44
    height = int(top + len(rows) * (bar + gap) + 8)
    what = _("amount") if by_amount else _("number of activities")
    desc = _(
        "For each donor, one bar split by gender equality marker of its peace-and-security "
        "activities, by %(what)s: principal (solid), significant (hatched), not targeted "
        "(dotted), not screened (crossed). The table beside the chart gives every figure."
    ) % {"what": what}
    # Right to left (Arabic), each bar starts on the right (shell/charts.py's mirror).
    mirror = reading_mirror(width)
    title = _("Gender equality marker profile per donor")
    out = _open("iati-markers", width, height, title, desc, mirror)
    out.append("<defs>")
    for s, (colour, kind) in STATE_STYLE.items():
        out.append(_pattern(f"marker-{s}", colour, kind))
    out.append('</defs><g class="legend">')
    lx = left
    for s, (colour, kind) in STATE_STYLE.items():
        label = state_label(s)
        out.append(
            f'<rect x="{mirror.box(lx, 22):.1f}" y="10" width="22" height="14" '
            f'fill="{_fill(f"marker-{s}", colour, kind)}" stroke="{colour}" stroke-width="1.5"/>'
            f'<text x="{mirror(lx + 28):.1f}" y="21">{escape(label)}</text>'
        )
        lx += 40 + 7 * len(label)
    out.append("</g>")
    y = float(top)
    for name, values in rows:
        total = sum(values)
        out.append(
            f'<text x="{mirror(left):.1f}" y="{y - 4:.1f}" font-weight="600">{escape(name)}</text>'
        )
        x = left
        for s, value in zip(markers.PROFILE_STATES, values, strict=True):
            if not value:
                continue
            w = value / total * (right - left)
            colour, kind = STATE_STYLE[s]
            share = f"{value / total:.0%}"
            out.append(
                f'<rect x="{mirror.box(x, w):.1f}" y="{y:.1f}" width="{w:.1f}" height="{bar}" '
                f'fill="{_fill(f"marker-{s}", colour, kind)}" stroke="{colour}" '
                f'stroke-width="1"><title>{escape(name)}, {escape(state_label(s))}: '
                f"{escape(share)}</title></rect>"
            )
            x += w
        y += bar + gap
    out.append("</svg>")
    return mark_safe("".join(out))
