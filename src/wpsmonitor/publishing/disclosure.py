"""Disclosure control: which figures of a release may be published (docs/publishing.md).

Pure Python, no Django: the release builder turns a plan's figures into `Cell`s and the sums
that tie them together into `Relation`s (a total and its disaggregation margins, an area and
its sub-areas, a year and its quarters, a total indicator and its parts), and `protect` says
which cells are suppressed and by which rule, so that the release can publish the others and
its disclosure audit can say why each one is missing.

The rules:

- **Primary suppression.** A count of a sensitive indicator below its threshold is suppressed
  (`Rule.SMALL`); so is a zero (`Rule.ZERO`) unless the plan says its zeros are structural and
  safe. The public flag of both is the same (`Flag.PRIMARY`): a flag that told a zero from a
  small count would publish the zero.
- **Secondary suppression** (complementary suppression). No suppressed cell may be recovered by
  differencing the published figures. First, to a fixpoint, no relation may hold exactly one
  suppressed member: its other members would give it away. The complement suppressed with it
  is the member that leaves the fewest relations holding a single suppressed member (counted
  over its class of equal cells: a one-part relation, a province with one district, a year
  with one quarter, makes its two cells equal, suppressed together or not at all), then the
  one with the smallest value (the least information lost), a zero last (it hides little).
  Then the exact check: a suppressed cell x_j is recoverable from the published relations iff
  the unit vector e_j lies in the row space of the relations' matrix restricted to the
  suppressed columns (the published cells are constants). It is decided per connected component
  of suppressed cells, with integer Gaussian elimination (exact: no floating point) over the
  columns of equal cells merged, and a recoverable cell gets one more complement in a relation
  that holds it, until none is recoverable. A relation whose suppressed members are parts
  summing to zero (the total published) gives them away too, as counts are never negative: it
  gets a positive complement. The same equation given twice is read once.
- **Derived figures.** A share or rate whose numerator or denominator is suppressed is
  suppressed too (`Rule.DERIVED`), see `ratios_protect`.
- **Stable across releases.** Given the previous published release (`Previous`), a cell it
  withheld whose value did not change is withheld again (`Rule.KEPT`), a cell it published
  unchanged is never a complement, and its relations join the exact check (see `protect`).

A cell whose value is None (no figure) is read as known by whoever differences: it is
published as blank, never chosen as a complement, and hides nothing. When a recoverable cell
has no complement left to suppress (checked against its component as it is after the round's
complements), `Protection.problems` says so; a release must not be published with a problem.
"""

from __future__ import annotations

import heapq
import math
import random
from collections.abc import Collection, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

Id = Hashable

# The exact check draws random null vectors modulo this prime (2^61 - 1): a coordinate that is
# not zero there is not zero over the rationals either, so it is a proof that the cell can move;
# a coordinate found zero is checked exactly (see _Component.determined).
_PRIME = (1 << 61) - 1


class Rule(StrEnum):
    """Why a cell is suppressed; the disclosure audit says it. Stable codes."""

    SMALL = "small"  # primary: a sensitive count below its threshold
    ZERO = "zero"  # primary: a zero of a sensitive count (zeros are not safe in the plan)
    COMPLEMENT = "complement"  # secondary: hides another suppressed cell of a relation
    DERIVED = "derived"  # a share or rate computed from a suppressed figure
    KEPT = "kept"  # secondary: hidden in the previous release, unchanged, so hidden again


class Flag(StrEnum):
    """What the public sees of a suppressed cell, in every format. Stable codes.

    SMALL and ZERO share one flag: a flag saying "zero" would publish the zero.
    """

    PRIMARY = "primary"
    SECONDARY = "secondary"
    DERIVED = "derived"

    @property
    def conf_status(self) -> str:
        """The SDMX CONF_STATUS code (code list CL_CONF_STATUS)."""
        return CONF_STATUS[self]


# SDMX CL_CONF_STATUS: F free for publication, A primary confidentiality due to small counts,
# D secondary confidentiality set by the sender (not for publication). A share or rate hidden
# because it would reveal a suppressed count is secondary confidentiality too.
CONF_STATUS_FREE = "F"
CONF_STATUS: Mapping[Flag, str] = {Flag.PRIMARY: "A", Flag.SECONDARY: "D", Flag.DERIVED: "D"}


def conf_status_of(flag: str) -> str:
    """The SDMX CONF_STATUS of a stored flag (`ReleaseFigure.flag`; "" for a free figure)."""
    return CONF_STATUS[Flag(flag)] if flag else CONF_STATUS_FREE


_FLAG_OF = {
    Rule.SMALL: Flag.PRIMARY,
    Rule.ZERO: Flag.PRIMARY,
    Rule.COMPLEMENT: Flag.SECONDARY,
    Rule.DERIVED: Flag.DERIVED,
    Rule.KEPT: Flag.SECONDARY,
}


@dataclass(frozen=True, slots=True)
class Cell:
    """One figure of the release: `value` None when there is none.

    `sensitive`: a count of a sensitive indicator, the only figures primary suppression reads;
    other cells may still be suppressed as complements. `threshold`: the smallest count it
    may publish (the indicator's, or its plan's).
    """

    id: Id
    value: int | None
    sensitive: bool = False
    threshold: int = 5


@dataclass(frozen=True, slots=True)
class Relation:
    """total = sum of parts, as published; `label` says where it comes from, for the audit."""

    total: Id
    parts: tuple[Id, ...]
    label: str = ""


@dataclass(frozen=True, slots=True)
class Ratio:
    """A share or rate, numerator / denominator, each a cell of the same protection."""

    id: Id
    numerator: Id
    denominator: Id


@dataclass(frozen=True, slots=True)
class Suppression:
    """One suppressed cell and the rule that suppressed it.

    Primary: `threshold` it is below. Complement: `relation` (index in `Protection.relations`)
    and `protects`, the suppressed cell it keeps from being recovered. Derived: `protects`,
    the suppressed figure it is computed from.
    """

    cell: Id
    rule: Rule
    threshold: int | None = None
    relation: int | None = None
    protects: Id | None = None

    @property
    def flag(self) -> Flag:
        return _FLAG_OF[self.rule]


@dataclass(frozen=True, slots=True)
class Problem:
    """A suppressed cell that the published figures still reveal, with no complement left.

    `relation`: the relation that gives it away, when one alone does.
    """

    cell: Id
    relation: int | None


@dataclass(frozen=True, slots=True)
class Earlier:
    """A cell of the previous release, known by another id in `protect`'s outcome.

    The previous release's figure of a cell whose value changed since (or that is gone): its
    old value and the new one are two unknowns for a reader, tied only by their own relations.
    A problem may name one: the old hidden figure that the new release would give away.
    """

    id: Id


@dataclass(frozen=True)
class Previous:
    """What the previous published release of the same table gave readers.

    `cells`: its cells with their values (the suppressed ones included: the engine must know
    which did not change); `relations`: the relations it was protected under; `suppressed`: the
    ids it withheld. A reader who holds it knows its published figures and its equations.
    """

    cells: Sequence[Cell]
    relations: Sequence[Relation]
    suppressed: Collection[Id]


@dataclass(frozen=True)
class Protection:
    """The outcome: the suppressed cells, and the problems a release must not be published with.

    `disclosed`: cells now suppressed primarily that the previous release published, with
    whether their figure is unchanged since (then the previous release gave it away exactly);
    no suppression can take back what was published: the coordinator must judge them.
    """

    suppressed: Mapping[Id, Suppression]
    problems: Sequence[Problem]
    relations: Sequence[Relation]
    disclosed: Sequence[tuple[Id, bool]] = ()

    def flag(self, cell: Id) -> Flag | None:
        """The cell's public flag; None when it is published."""
        found = self.suppressed.get(cell)
        return None if found is None else found.flag

    def conf_status(self, cell: Id) -> str:
        """SDMX CONF_STATUS of the cell: F when it is published."""
        found = self.suppressed.get(cell)
        return CONF_STATUS_FREE if found is None else found.flag.conf_status

    def published(self, cell: Id) -> bool:
        return cell not in self.suppressed

    def counts(self) -> dict[Rule, int]:
        """How many cells each rule suppressed (for the audit's summary)."""
        out = dict.fromkeys(Rule, 0)
        for found in self.suppressed.values():
            out[found.rule] += 1
        return out


def protect(
    cells: Iterable[Cell],
    relations: Iterable[Relation],
    *,
    zeros_safe: bool = False,
    previous: Previous | None = None,
) -> Protection:
    """Primary, then secondary suppression of `cells` under `relations` (the module's rules).

    `previous`: the previous published release of the same table. Its pattern is carried
    forward so that a reader holding both releases recovers nothing (docs/publishing.md,
    "Stable suppression across releases"): a cell it withheld whose value did not change is
    withheld again (`Rule.KEPT`, before any other complement); a cell it published whose value
    did not change is known to every reader, so it is never chosen as a complement (hiding it
    would hide nothing); its relations join this release's, over the same unknowns for the
    unchanged cells and over `Earlier` ids for the old figures of the changed ones, so the exact
    check sees every equation a reader can combine.

    Deterministic: the same cells and relations, in the same order, give the same outcome.
    Raises ValueError for a cell given twice, a relation naming an unknown cell, or a relation
    naming a cell twice.
    """
    cells = list(cells)
    relations = list(relations)
    if previous is None:
        engine = _Engine(cells, relations, zeros_safe=zeros_safe)
        engine.run()
        return engine.outcome()
    now = {c.id: c for c in cells}
    old_hidden = set(previous.suppressed)
    unchanged: set[Id] = set()
    rename: dict[Id, Id] = {}
    ghosts: list[Cell] = []
    kept: list[Id] = []
    known: list[Id] = []
    for old in previous.cells:
        new = now.get(old.id)
        if new is not None and old.value is not None and new.value == old.value:
            unchanged.add(old.id)
            this: Id = old.id
        else:
            this = rename[old.id] = Earlier(old.id)
            ghosts.append(Cell(this, old.value))
        (kept if old.id in old_hidden else known).append(this)
    earlier_relations = [
        Relation(
            rename.get(r.total, r.total),
            tuple(rename.get(p, p) for p in r.parts),
            f"{r.label} (previous release)" if r.label else "previous release",
        )
        for r in previous.relations
    ]
    engine = _Engine(
        [*cells, *ghosts],
        [*relations, *earlier_relations],
        zeros_safe=zeros_safe,
        kept=kept,
        known=known,
    )
    engine.run()
    outcome = engine.outcome()
    disclosed = [
        (c.id, c.id in unchanged)
        for c in cells
        if c.id in outcome.suppressed
        and outcome.suppressed[c.id].flag == Flag.PRIMARY
        and (c.id in unchanged or c.id in rename)
        and c.id not in old_hidden
    ]
    return Protection(
        {i: s for i, s in outcome.suppressed.items() if not isinstance(i, Earlier)},
        outcome.problems,
        outcome.relations,
        disclosed,
    )


def ratios_protect(ratios: Iterable[Ratio], protection: Protection) -> Protection:
    """`protection` with every ratio over a suppressed numerator or denominator suppressed.

    A ratio that is itself a suppressed cell keeps its rule.
    """
    suppressed = dict(protection.suppressed)
    for ratio in ratios:
        if ratio.id in suppressed:
            continue
        for figure in (ratio.numerator, ratio.denominator):
            if figure in protection.suppressed:
                suppressed[ratio.id] = Suppression(ratio.id, Rule.DERIVED, protects=figure)
                break
    return Protection(suppressed, protection.problems, protection.relations, protection.disclosed)


# ----------------------------------------------------------------------------- the engine


class _Engine:
    """Cells by index 0..n-1 (in the order given), relations by index; sets of indices."""

    def __init__(
        self,
        cells: Iterable[Cell],
        relations: Iterable[Relation],
        *,
        zeros_safe: bool,
        kept: Iterable[Id] = (),
        known: Iterable[Id] = (),
    ) -> None:
        self.ids: list[Id] = []
        self.values: list[int | None] = []
        index: dict[Id, int] = {}
        primary: dict[int, Suppression] = {}
        for cell in cells:
            if cell.id in index:
                raise ValueError(f"cell {cell.id!r} is given twice")
            i = len(self.ids)
            index[cell.id] = i
            self.ids.append(cell.id)
            self.values.append(cell.value)
            value = cell.value
            if cell.sensitive and value is not None and value < cell.threshold:
                if value != 0:
                    primary[i] = Suppression(cell.id, Rule.SMALL, threshold=cell.threshold)
                elif not zeros_safe:
                    primary[i] = Suppression(cell.id, Rule.ZERO, threshold=cell.threshold)
        for cell_id in kept:
            i = index[cell_id]
            if i not in primary:
                primary[i] = Suppression(cell_id, Rule.KEPT)
        # Cells every reader knows already (the previous release published them unchanged):
        # never a complement, as hiding them hides nothing.
        self.known: set[int] = {index[cell_id] for cell_id in known}
        self.relations: list[Relation] = []
        self.members: list[tuple[int, ...]] = []  # total first, then the parts
        seen: set[Hashable] = set()
        equal: list[tuple[int, ...]] = []
        self.member_of: dict[int, list[int]] = {}
        for relation in relations:
            try:
                members = tuple(index[m] for m in (relation.total, *relation.parts))
            except KeyError as unknown:
                raise ValueError(
                    f"relation {relation.label!r} names an unknown cell {unknown}"
                ) from None
            if len(set(members)) != len(members):
                raise ValueError(f"relation {relation.label!r} names a cell twice")
            r = len(self.relations)
            self.relations.append(relation)
            self.members.append(members)
            # The same equation given twice (the same total and parts, or x = y and y = x) is
            # kept for the audit's indices but read once.
            same = frozenset(members) if len(members) == 2 else (members[0], frozenset(members))
            if same in seen:
                continue
            seen.add(same)
            for m in members:
                self.member_of.setdefault(m, []).append(r)
            if len(members) == 2:
                equal.append(members)
        # Cells tied by one-part relations (a province and its only district, a year and its
        # only quarter) are equal: one is suppressed iff all are, so a candidate costs its class.
        self.equal_to: dict[int, list[int]] = _classes(equal)
        self.suppressed: dict[int, Suppression] = primary
        self.hidden_count = [0] * len(self.members)  # suppressed members of each relation
        for i in primary:
            for r in self.member_of.get(i, ()):
                self.hidden_count[r] += 1
        self.problems: dict[int, Problem] = {}
        self.verified: set[frozenset[int]] = set()  # components found safe, unchanged since
        # Relations whose region (joined through suppressed members) has no candidate left.
        self.exhausted: set[int] = set()

    def outcome(self) -> Protection:
        ordered = sorted(self.suppressed)
        return Protection(
            {self.ids[i]: self.suppressed[i] for i in ordered},
            [self.problems[i] for i in sorted(self.problems)],
            self.relations,
        )

    # --- the loop

    def run(self) -> None:
        self._fixpoint({r for i in self.suppressed for r in self.member_of.get(i, ())})
        while True:
            # The exact check's own complements change their components: check them again
            # even when the fixpoint that follows adds nothing (each round suppresses at least
            # one more cell, so the loop ends).
            touched = self._verify()
            changed = self._fixpoint(touched)
            if not touched and not changed:
                return

    def _suppress(self, cell: int, relation: int, protects: int) -> None:
        self.suppressed[cell] = Suppression(
            self.ids[cell], Rule.COMPLEMENT, relation=relation, protects=self.ids[protects]
        )
        for r in self.member_of.get(cell, ()):
            self.hidden_count[r] += 1

    def _exposed(self, cell: int) -> int:
        """The relations that would hold one suppressed member if the cell's class were."""
        group = self.equal_to.get(cell)
        if group is None:
            return sum(1 for r in self.member_of.get(cell, ()) if self.hidden_count[r] == 0)
        found = {
            r
            for m in group
            for r in self.member_of.get(m, ())
            if self.hidden_count[r] == 0 and len(self.members[r]) > 2
        }
        return len(found)

    def _candidate(self, relation: int, positive: bool = False) -> int | None:
        """The member to suppress as a complement: the smallest value, zeros last, then the first.

        `positive`: for hidden parts that sum to zero, a part above zero, or else the total
        (hiding the total hides the sum).
        """
        best: tuple[int, bool, int, int] | None = None
        total = self.members[relation][0]
        for m in self.members[relation]:
            value = self.values[m]
            if (
                m in self.suppressed
                or value is None
                or m in self.known
                or (positive and value <= 0 and m != total)
            ):
                continue
            key = (self._exposed(m), value == 0, value, m)
            if best is None or key < best:
                best = key
        return None if best is None else best[3]

    def _fixpoint(self, queue: set[int]) -> bool:
        """Until no relation holds exactly one suppressed member; True if it suppressed a cell."""
        changed = False
        work = sorted(queue)
        heapq.heapify(work)
        queued = set(work)
        while work:
            r = heapq.heappop(work)
            queued.discard(r)
            hidden = [m for m in self.members[r] if m in self.suppressed]
            if len(hidden) != 1:
                continue
            lone = hidden[0]
            complement = self._candidate(r)
            if complement is None:
                self.problems.setdefault(lone, Problem(self.ids[lone], r))
                continue
            self._suppress(complement, r, lone)
            changed = True
            for other in self.member_of.get(complement, ()):
                if other not in queued:
                    queued.add(other)
                    heapq.heappush(work, other)
        return changed

    def _verify(self) -> set[int]:
        """Check every changed component exactly; complement each recoverable cell once.

        Returns the relations of the new complements (for the next fixpoint).
        """
        touched: set[int] = set()
        for component in self._components():
            if component in self.verified:
                continue
            # Shortest rows first (fewer suppressed members): the elimination fills in less.
            rows = sorted(
                {r for i in component for r in self.member_of.get(i, ())},
                key=lambda r: (sum(m in self.suppressed for m in self.members[r]), r),
            )
            recoverable = _Component(self, component, rows).recoverable()
            if not recoverable:
                self.verified.add(component)
                continue
            changed_relations: set[int] = set()
            for cell, zero_sum in sorted(recoverable.items()):
                if cell in self.problems:
                    continue
                mine = [zero_sum] if zero_sum is not None else self.member_of.get(cell, [])
                if changed_relations.intersection(mine):
                    continue  # a complement was just added beside it: check again first
                best = self._nearest_candidate(cell, mine, positive=zero_sum is not None)
                if best is None:
                    if changed_relations:
                        # The check ran before this round's complements: it may no longer
                        # hold (a complement may have made the cell move). Check again first.
                        continue
                    self.problems[cell] = Problem(self.ids[cell], zero_sum)
                    continue
                complement, r = best
                self._suppress(complement, r, cell)
                changed_relations.update(self.member_of.get(complement, ()))
            touched |= changed_relations
        return touched

    def _nearest_candidate(
        self, cell: int, first: list[int], *, positive: bool
    ) -> tuple[int, int] | None:
        """(complement, relation): the best candidate of the nearest relations to `cell`.

        Its own relations first; when all their members are suppressed already, the relations
        of their suppressed members, and so on (the published figures that give a cell away
        may sit one relation further: x = a + b, all hidden, and T = a + b + p, T and p shown).
        """
        if self.exhausted.intersection(first):
            return None
        frontier = list(first)
        seen_relations = set(frontier)
        seen_cells = {cell}
        while frontier:
            best: tuple[int, bool, int, int, int] | None = None
            for r in frontier:
                c = self._candidate(r, positive=positive)
                if c is not None:
                    value = self.values[c]
                    assert value is not None
                    key = (self._exposed(c), value == 0, value, c, r)
                    if best is None or key < best:
                        best = key
            if best is not None:
                return best[3], best[4]
            if positive:
                return None  # a zero-sum relation needs its own positive complement
            following: list[int] = []
            for r in frontier:
                for m in self.members[r]:
                    if m in self.suppressed and m not in seen_cells:
                        seen_cells.add(m)
                        for other in self.member_of.get(m, ()):
                            if other not in seen_relations:
                                seen_relations.add(other)
                                following.append(other)
            frontier = sorted(following)
        # Every relation reached holds only suppressed members (or none with a figure): no
        # cell can join them any more, so the region stays exhausted, whoever asks next.
        self.exhausted |= seen_relations
        return None

    def _components(self) -> Iterator[frozenset[int]]:
        """Suppressed cells joined by the relations that hold two or more of them."""
        parent = {i: i for i in self.suppressed}

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        seen: set[int] = set()
        for i in self.suppressed:
            for r in self.member_of.get(i, ()):
                if r in seen:
                    continue
                seen.add(r)
                hidden = [m for m in self.members[r] if m in self.suppressed]
                root = find(hidden[0])
                for m in hidden[1:]:
                    other = find(m)
                    if other != root:
                        parent[other] = root
        groups: dict[int, list[int]] = {}
        for i in self.suppressed:
            groups.setdefault(find(i), []).append(i)
        for members in groups.values():
            yield frozenset(members)


def _classes(pairs: list[tuple[int, ...]]) -> dict[int, list[int]]:
    """The classes of cells joined by the pairs (union-find), each cell to its class."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        parent.setdefault(i, i)
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in parent:
        groups.setdefault(find(i), []).append(i)
    return {i: group for group in groups.values() for i in group}


class _Component:
    """The exact check of one component: which suppressed cells the published relations fix."""

    def __init__(self, engine: _Engine, cells: frozenset[int], rows: list[int]) -> None:
        self.engine = engine
        self.cells = cells
        self.rows = rows

    def recoverable(self) -> dict[int, int | None]:
        """Recoverable cells, each with the zero-sum relation that reveals it (None: linear)."""
        engine = self.engine
        found: dict[int, int | None] = {}
        matrix: list[dict[int, int]] = []
        for r in self.rows:
            members = engine.members[r]
            row = {m: (1 if k == 0 else -1) for k, m in enumerate(members) if m in self.cells}
            matrix.append(row)
            total = members[0]
            if total not in self.cells:  # the total published: hidden parts sum to a known value
                hidden_sum = sum(engine.values[m] or 0 for m in row)
                if hidden_sum == 0:
                    for m in row:
                        found.setdefault(m, r)
        # Rows x - y = 0 (a one-part relation, both hidden) say two columns are equal: merge
        # them before the elimination (x is determined iff its class is). Sparse tables are
        # mostly such rows; the matrix left is a fraction of the component's.
        parent: dict[int, int] = {}

        def find(c: int) -> int:
            while parent.get(c, c) != c:
                nxt = parent[c]
                parent[c] = parent.get(nxt, nxt)
                c = nxt
            return c

        for row in matrix:
            if len(row) == 2 and sum(row.values()) == 0:
                a, b = (find(c) for c in row)
                if a != b:
                    parent[max(a, b)] = min(a, b)
        merged: list[dict[int, int]] = []
        for row in matrix:
            out: dict[int, int] = {}
            for c, v in row.items():
                rc = find(c)
                nv = out.get(rc, 0) + v
                if nv:
                    out[rc] = nv
                else:
                    del out[rc]
            if out:
                merged.append(out)
        columns = sorted({find(c) for c in self.cells})
        determined = set(_determined(merged, columns))
        for cell in sorted(self.cells):
            if find(cell) in determined:
                found.setdefault(cell, None)
        return found


def _determined(matrix: list[dict[int, int]], columns: list[int]) -> list[int]:
    """The columns j with e_j in the row space of `matrix` (sparse integer rows), exactly.

    Forward elimination to an echelon form with integer arithmetic (each row divided by the
    gcd of its entries), the pivot of each new row chosen among its columns as the one left in
    the fewest rows still to come (Markowitz's rule, to keep the rows sparse). Pivot row k holds
    no pivot column of the rows before it. Then random null vectors by back substitution
    modulo a large prime: a cell whose coordinate is not zero in one can move, so it is safe (a
    non-zero residue is a non-zero rational); the rest are checked exactly by reducing e_j.
    """
    remaining: dict[int, int] = {}
    for row in matrix:
        for c in row:
            remaining[c] = remaining.get(c, 0) + 1
    pivot_rows: list[dict[int, int]] = []
    pivot_cols: list[int] = []
    pivot_at: dict[int, int] = {}  # column -> its pivot row's position
    for original in matrix:
        for c in original:
            remaining[c] -= 1
        row = _reduce(dict(original), pivot_rows, pivot_cols, pivot_at)
        if not row:
            continue
        pivot = min(row, key=lambda c: (remaining[c], c))
        pivot_at[pivot] = len(pivot_rows)
        pivot_rows.append(row)
        pivot_cols.append(pivot)
    if not pivot_rows:
        return []
    free = [c for c in columns if c not in pivot_at]
    suspects = [c for c in columns if c in pivot_at]
    rng = random.Random(len(columns) * 1_000_003 + len(pivot_rows))
    for _draw in range(2):
        if not suspects:
            return []
        x = {c: rng.randrange(1, _PRIME) for c in free}
        for k in range(len(pivot_rows) - 1, -1, -1):
            row, col = pivot_rows[k], pivot_cols[k]
            acc = 0
            for c, a in row.items():
                if c != col:
                    acc += a * x[c]
            x[col] = (-acc * pow(row[col], -1, _PRIME)) % _PRIME
        suspects = [c for c in suspects if x[c] == 0]
    return [c for c in suspects if not _reduce({c: 1}, pivot_rows, pivot_cols, pivot_at)]


def _reduce(
    row: dict[int, int],
    pivot_rows: list[dict[int, int]],
    pivot_cols: list[int],
    pivot_at: dict[int, int],
) -> dict[int, int]:
    """`row` with every pivot column eliminated, in the order of the pivot rows (exact)."""
    heap = [pivot_at[c] for c in row if c in pivot_at]
    heapq.heapify(heap)
    done: set[int] = set()
    while heap:
        k = heapq.heappop(heap)
        if k in done:
            continue
        done.add(k)
        col = pivot_cols[k]
        b = row.get(col)
        if b is None:
            continue
        pivot = pivot_rows[k]
        a = pivot[col]
        g = math.gcd(a, b)
        fa, fb = a // g, b // g
        if fa < 0:  # the same combination, negated: keeps fa positive
            fa, fb = -fa, -fb
        if fa != 1:
            row = {c: fa * v for c, v in row.items()}
        # row := fa * row - fb * pivot: its entry in `col` is fa * b - fb * a = 0
        for c, v in pivot.items():
            nv = row.get(c, 0) - fb * v
            if nv:
                if c not in row and c in pivot_at:
                    later = pivot_at[c]
                    if later not in done:
                        heapq.heappush(heap, later)
                row[c] = nv
            else:
                row.pop(c, None)
        if len(row) > 1:
            g = 0
            for v in row.values():
                g = math.gcd(g, v)
                if g == 1:
                    break
            if g > 1:
                row = {c: v // g for c, v in row.items()}
    return row


__all__ = [
    "CONF_STATUS",
    "CONF_STATUS_FREE",
    "conf_status_of",
    "Cell",
    "Earlier",
    "Flag",
    "Previous",
    "Problem",
    "Protection",
    "Ratio",
    "Relation",
    "Rule",
    "Suppression",
    "protect",
    "ratios_protect",
]
