"""Hierarchical dimensions: an option under a parent option, of another dimension or its own.

Rank under category: "general" under "officers", "private" under "troops". Two rules follow
(docs/computations.md, "Hierarchical dimensions"):

- A cell that holds both dimensions exists only for the combinations the hierarchy allows
  (category=officers;rank=general, never category=troops;rank=general), and a parent option
  that groups options of its own dimension holds no figure of its own: its options do.
  Every write path refuses the impossible cell with `combination_refusal`'s message.
- A cell adds into the margins of its options' ancestors too (`derived_pairs`): a scheme by
  rank alone still gets its totals by category, derived from the ranks, never typed.

The tree is read in one query (`option_tree`); the functions here are pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

Pair = tuple[str, str]  # (dimension code, option code)


@dataclass
class OptionTree:
    """Each option's parent, by codes; and the options grouping options of their own dimension."""

    parent: dict[Pair, Pair] = field(default_factory=dict)

    def ancestors(self, pair: Pair) -> list[Pair]:
        """The parent, its parent... (a loop, which the services refuse, stops the walk)."""
        found: list[Pair] = []
        current = self.parent.get(pair)
        while current is not None and current not in found and current != pair:
            found.append(current)
            current = self.parent.get(current)
        return found

    def children(self, pair: Pair) -> list[Pair]:
        return sorted(child for child, parent in self.parent.items() if parent == pair)

    def is_group(self, pair: Pair) -> bool:
        """An option with options of its own dimension under it (figures go to those)."""
        return any(child[0] == pair[0] for child in self.children(pair))


def option_tree(dimension_codes: Iterable[str] | None = None) -> OptionTree:
    """The parents of every option (one query); limited to options of these dimensions when
    given (their ancestors may be of any dimension)."""
    from wpsmonitor.indicators.models import DimensionOption

    codes = None if dimension_codes is None else set(dimension_codes)
    rows = DimensionOption.objects.filter(parent__isnull=False)
    if codes is not None:
        rows = rows.filter(dimension__code__in=codes)
    tree = OptionTree()
    for dim, opt, parent_dim, parent_opt in rows.values_list(
        "dimension__code", "code", "parent__dimension__code", "parent__code"
    ):
        tree.parent[(dim, opt)] = (parent_dim, parent_opt)
    if codes is not None:
        # The ancestors' own parents, for chains (rank -> category -> branch).
        missing = {p[0] for p in tree.parent.values()} - codes
        if missing:
            wider = option_tree(codes | missing)
            tree.parent.update(wider.parent)
    return tree


def combination_refusal(tree: OptionTree, pairs: Sequence[Pair]) -> str | None:
    """Why a cell of these (dimension, option) pairs cannot hold a figure; None when it can."""
    chosen = dict(pairs)
    for dim, opt in pairs:
        if tree.is_group((dim, opt)):
            return _(
                "%(opt)s of %(dim)s groups %(children)s: give the figures of those options; "
                "the figure of %(opt)s is derived from them"
            ) % {
                "opt": opt,
                "dim": dim,
                "children": ", ".join(c for d, c in tree.children((dim, opt)) if d == dim),
            }
        for anc_dim, anc_opt in tree.ancestors((dim, opt)):
            if anc_dim == dim or anc_dim not in chosen or chosen[anc_dim] == anc_opt:
                continue
            return _(
                "%(dim)s %(opt)s sits under %(anc_dim)s %(anc_opt)s, not %(given)s: "
                "that combination is impossible"
            ) % {
                "dim": dim,
                "opt": opt,
                "anc_dim": anc_dim,
                "anc_opt": anc_opt,
                "given": chosen[anc_dim],
            }
    return None


def derived_pairs(tree: OptionTree, pairs: Sequence[Pair]) -> list[str]:
    """The "dim=opt" margins a cell adds into beyond its own pairs: its options' ancestors'
    (rank=general adds into category=officers), each once."""
    own = set(pairs)
    extra: list[str] = []
    for pair in pairs:
        for anc in tree.ancestors(pair):
            key = f"{anc[0]}={anc[1]}"
            if anc not in own and key not in extra:
                extra.append(key)
    return extra


def code_pairs(code: str) -> list[Pair]:
    """The (dimension, option) pairs of a canonical cell code ("total": none)."""
    from wpsmonitor.indicators.models import TOTAL_CELL

    if not code or code == TOTAL_CELL:
        return []
    return [(d, o) for d, o in (part.split("=", 1) for part in code.split(";"))]
