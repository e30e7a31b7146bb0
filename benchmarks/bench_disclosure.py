"""Benchmark: disclosure control of a realistic SGBV table (publishing.disclosure.protect).

    python benchmarks/bench_disclosure.py              # 6 years, 26 provinces of 5 districts
    python benchmarks/bench_disclosure.py --years 1 --mean 12
    python benchmarks/bench_disclosure.py --years 1 --correct 5   # and a second release

With --correct N, N district-quarter figures are then corrected (each by -2 to +2, never below
zero; every sum above them follows) and the corrected table is protected again as a second
release with the first as its previous one (docs/publishing.md, "Stable suppression across
releases"): printed with its ratio to the first release's protection.

The shape is the demo's and the benchmark plan's: SGBV cases by survivor's sex (2), age (4) and
disability (2) with every margin (45 cells per table), per district, province and the country
(26 provinces of 5 districts), per quarter and year. District-quarter counts are Poisson-like
around --mean per finest cell (most of them small, as in the demo), so suppression is dense at
district level and thin above. The relations are every margin of each table, each province
and the country as the sum of its areas, and each year as the sum of its quarters.

Prints the cells, relations and suppressions, the engine's time and its ratio to a baseline
measured in the same run: a plain pass that reads every cell (the primary rule alone) and
every member of every relation once, the least any disclosure control must do.
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import sys
import time
from collections.abc import Hashable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from wpsmonitor.publishing.disclosure import (  # noqa: E402
    Cell,
    Previous,
    Protection,
    Relation,
    Rule,
    protect,
)

DIMS = (2, 4, 2)  # sex, age, disability


def _poisson(rng: random.Random, mean: float) -> int:
    # Knuth's method: fine for small means.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def build(
    *,
    years: int,
    provinces: int,
    districts: int,
    mean: float,
    seed: int = 1325,
    corrections: dict[tuple[str, str, tuple[int | None, ...]], int] | None = None,
) -> tuple[list[Cell], list[Relation]]:
    rng = random.Random(seed)
    corrections = corrections or {}
    keys = list(itertools.product(*[[None, *range(n)] for n in DIMS]))
    finest = [k for k in keys if None not in k]
    margins = []
    for key in keys:
        for d, option in enumerate(key):
            if option is None:
                margins.append((key, tuple(key[:d] + (o,) + key[d + 1 :] for o in range(DIMS[d]))))
    margins.sort(key=lambda m: sum(o is None for o in m[0]))
    tree: dict[str, list[str]] = {"COD": [f"P{p}" for p in range(provinces)]}
    for p in range(provinces):
        tree[f"P{p}"] = [f"P{p}D{d}" for d in range(districts)]
    leaves = [d for p in range(provinces) for d in tree[f"P{p}"]]
    areas = ["COD", *tree["COD"], *leaves]
    values: dict[tuple[str, str, tuple[int | None, ...]], int] = {}
    cells: list[Cell] = []
    relations: list[Relation] = []
    for year in range(2020, 2020 + years):
        quarters = [f"{year}Q{q}" for q in range(1, 5)]
        periods = [str(year), *quarters]
        for area in leaves:
            for q in quarters:
                for key in finest:
                    drawn = _poisson(rng, mean)
                    values[(area, q, key)] = max(0, drawn + corrections.get((area, q, key), 0))
                for key, parts in margins:
                    values[(area, q, key)] = sum(values[(area, q, p)] for p in parts)
            for key in keys:
                values[(area, str(year), key)] = sum(values[(area, q, key)] for q in quarters)
        for parent in [*tree["COD"], "COD"]:
            for period in periods:
                for key in keys:
                    values[(parent, period, key)] = sum(
                        values[(child, period, key)] for child in tree[parent]
                    )
        for area in areas:
            for period in periods:
                for key in keys:
                    cells.append(Cell((area, period, key), values[(area, period, key)], True, 5))
                for key, parts in margins:
                    relations.append(
                        Relation((area, period, key), tuple((area, period, p) for p in parts))
                    )
                if area in tree:
                    for key in keys:
                        relations.append(
                            Relation(
                                (area, period, key),
                                tuple((child, period, key) for child in tree[area]),
                            )
                        )
            for key in keys:
                relations.append(
                    Relation((area, str(year), key), tuple((area, q, key) for q in quarters))
                )
    return cells, relations


def baseline(cells: list[Cell], relations: list[Relation]) -> int:
    """Read every cell (the primary rule) and every relation's members once."""
    index: dict[Hashable, int] = {}
    small = 0
    for i, cell in enumerate(cells):
        index[cell.id] = i
        if cell.sensitive and cell.value is not None and cell.value < cell.threshold:
            small += 1
    members = 0
    for relation in relations:
        members += index[relation.total] >= 0
        for part in relation.parts:
            members += index[part] >= 0
    return small + members


def main() -> None:
    parser = argparse.ArgumentParser(description="disclosure control benchmark")
    parser.add_argument("--years", type=int, default=6)
    parser.add_argument("--provinces", type=int, default=26)
    parser.add_argument("--districts", type=int, default=5)
    parser.add_argument("--mean", type=float, default=3.0, help="mean district-quarter count")
    parser.add_argument(
        "--correct", type=int, default=0, help="then a second release after N corrections"
    )
    args = parser.parse_args()
    cells, relations = build(
        years=args.years, provinces=args.provinces, districts=args.districts, mean=args.mean
    )
    print(f"cells: {len(cells):,}; relations: {len(relations):,}")
    passes = []
    for _ in range(3):
        clock = time.perf_counter()
        baseline(cells, relations)
        passes.append(time.perf_counter() - clock)
    base = min(passes)
    print(f"baseline: one plain pass over cells and relations: {base:.3f} s (best of 3)")
    clock = time.perf_counter()
    protection = protect(cells, relations)
    seconds = time.perf_counter() - clock
    counts = protection.counts()
    print(
        f"protect: {seconds:.2f} s; suppressed {len(protection.suppressed):,} "
        f"({counts[Rule.SMALL]:,} small, {counts[Rule.ZERO]:,} zeros, "
        f"{counts[Rule.COMPLEMENT]:,} complements); problems: {len(protection.problems)}"
    )
    print(f"ratio to the baseline: {seconds / base:.1f}x")
    if args.correct:
        second(args, cells, relations, protection, seconds)


def second(
    args: argparse.Namespace,
    cells: list[Cell],
    relations: list[Relation],
    first: Protection,
    first_seconds: float,
) -> None:
    """A second release after correcting `args.correct` district-quarter figures."""
    rng = random.Random(7)
    finest = [c.id for c in cells if "D" in c.id[0] and "Q" in c.id[1] and None not in c.id[2]]
    corrections = {key: rng.choice([-2, -1, 1, 2]) for key in rng.sample(finest, args.correct)}
    cells2, relations2 = build(
        years=args.years,
        provinces=args.provinces,
        districts=args.districts,
        mean=args.mean,
        corrections=corrections,
    )
    before = {c.id: c.value for c in cells}
    changed = sum(1 for c in cells2 if before.get(c.id) != c.value)
    clock = time.perf_counter()
    protection = protect(cells2, relations2, previous=Previous(cells, relations, first.suppressed))
    seconds = time.perf_counter() - clock
    counts = protection.counts()
    hidden_before = set(first.suppressed)
    newly = sum(1 for c in protection.suppressed if c not in hidden_before)
    print(
        f"second release after {args.correct} corrections ({changed:,} figures changed): "
        f"{seconds:.2f} s; suppressed {len(protection.suppressed):,} ({counts[Rule.SMALL]:,} "
        f"small, {counts[Rule.ZERO]:,} zeros, {counts[Rule.KEPT]:,} kept, "
        f"{counts[Rule.COMPLEMENT]:,} complements; {newly:,} not suppressed in the first); "
        f"problems: {len(protection.problems)}; disclosed: {len(protection.disclosed)}"
    )
    print(f"ratio to the first release's protection: {seconds / first_seconds:.1f}x")


if __name__ == "__main__":
    main()
