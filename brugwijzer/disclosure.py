"""Disclosure control for every published count about families (the municipal dashboards, the
bridge-figure workload, the parent survey): no published number lets anyone work out how
many families (between 1 and k-1) are behind a cell.

Every published table of family counts is a set of *lines*: a column of cells with its total
(a breakdown of one school year). A line is protected on its own:

1. **Primary suppression**: every count from 1 to k-1, the total included, is shown as "< k".
2. **Secondary suppression**: a reader who knows the rule knows that a "< k" cell lies between 1 and
   k-1 and that a cell hidden for the sake of another (the hidden mark) lies between 0 and anything. From the
   total minus the shown cells they can narrow the hidden ones down. As long as some hidden value
   can be narrowed to a single number, one more cell is hidden (the smallest shown count, then the
   total), and a "< k" label is widened to the hidden mark when hiding more cannot help.

With one equation per line and a range per hidden value, the range a reader can work out for each
hidden value is exact (`feasible_range`), so the loop ends with every hidden value still open to
at least two numbers. The dashboards never publish a sum or a difference across lines (no totals
over school years, no "change since last year"), so lines cannot be combined either.

Percentages and medians are only published over at least k cases, and a percentage only for a
count that is itself shown (`share`). Zero stays zero: it tells that no family is behind a cell,
which protects nobody by hiding it.

Whatever else a page publishes about these numbers is part of the reader's arithmetic too: a list
of the needs that have any signals tells, for every need, whether its count is zero; "a median over
23 referrals" tells that the year's total is at least 23. Such facts are declared on the sheet
(`disclose_sign`, `at_least`), so the solver narrows its ranges with them exactly as a reader would
and hides more where they would pin a hidden count down. A zero whose zeroness is published that way
is shown as 0: hiding it would protect nothing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.utils.formats import number_format

# The smallest k we accept, whatever the settings say.
MINIMUM_K = 5
UNBOUNDED = math.inf
# Shown for a count hidden to protect another one (a multiplication sign).
HIDDEN_MARK = "\u00d7"


def threshold() -> int:
    return max(MINIMUM_K, int(getattr(settings, "BRUGWIJZER_DISCLOSURE_K", MINIMUM_K)))


class Shown(StrEnum):
    VALUE = "value"
    SMALL = "small"  # 1..k-1: shown as "< k"
    HIDDEN = "hidden"  # hidden to protect another cell: the hidden mark


@dataclass(frozen=True)
class Cell:
    """One published number. `value` is None when it is not shown; the true count never leaves
    this module except through `value`."""

    shown: Shown
    value: int | None
    k: int

    @property
    def visible(self) -> bool:
        return self.shown == Shown.VALUE

    @property
    def text(self) -> str:
        if self.shown == Shown.VALUE:
            # Averages (reflection scores) in the reader's language: 3,4 in Dutch.
            return number_format(self.value) if isinstance(self.value, float) else str(self.value)
        if self.shown == Shown.SMALL:
            return f"< {self.k}"
        return HIDDEN_MARK

    def __str__(self):
        return self.text


def bounds(shown: Shown, value: int, k: int) -> tuple[float, float]:
    """What a reader knows about a value from how it is shown."""
    if shown == Shown.VALUE:
        return value, value
    if shown == Shown.SMALL:
        return 1, k - 1
    return 0, UNBOUNDED


def feasible_range(cells: list[tuple[float, float]], total: tuple[float, float]) -> list[tuple[float, float]]:
    """The exact range of each value (cells first, the total last) that satisfies
    sum(cells) == total with every value within its bounds. With a single equation and a box,
    the projection on each value is an interval, computed here from the others' bounds."""
    lo_sum = sum(lo for lo, _ in cells)
    # Sum the upper bounds without inf - inf: count the unbounded ones apart.
    unbounded = sum(1 for _, hi in cells if hi == UNBOUNDED)
    finite_hi = sum(hi for _, hi in cells if hi != UNBOUNDED)
    hi_sum = UNBOUNDED if unbounded else finite_hi
    t_lo, t_hi = total
    ranges = []
    for lo, hi in cells:
        others_lo = lo_sum - lo
        if hi == UNBOUNDED:
            others_hi = UNBOUNDED if unbounded > 1 else finite_hi
        else:
            others_hi = UNBOUNDED if unbounded else finite_hi - hi
        ranges.append((max(lo, t_lo - others_hi), min(hi, t_hi - others_lo)))
    ranges.append((max(t_lo, lo_sum), min(t_hi, hi_sum)))
    return ranges


@dataclass
class Line:
    """A protected breakdown: the cells in the order given and their total."""

    cells: list[Cell]
    total: Cell
    k: int

    def share(self, index: int) -> int | None:
        """The cell's percentage of the total, or None when it may not be published."""
        cell = self.cells[index]
        if not (cell.visible and self.total.visible and self.total.value >= self.k):
            return None
        return round(100 * cell.value / self.total.value)


def protect(values: list[int], k: int | None = None) -> Line:
    """Protect one breakdown whose total is the sum of its cells. A breakdown where some cases
    fall in no cell (referrals without an outcome yet) publishes that rest as a cell of its own."""
    sheet = Sheet(k=k)
    sheet.add("line", values)
    return sheet.solve()["line"]


class Sheet:
    """Several breakdowns published together. Where two lines show the same number (the same
    total broken down two ways, or one line's total is a cell of another), `link` says so, and
    that number is hidden everywhere as soon as one line needs it hidden: a number shown in one
    table would otherwise undo the protection of the other."""

    def __init__(self, k: int | None = None):
        self.k = k or threshold()
        if self.k < MINIMUM_K:
            raise ValueError(f"k must be at least {MINIMUM_K}")
        self._values: dict[str, list[int]] = {}
        self._links: list[list[tuple[str, int]]] = []
        # Lower bounds a reader learns from facts published beside the tables, per entry.
        self._floors: dict[tuple[str, int], int] = {}
        # Entries whose zeroness is published: a zero among them is public, a non-zero is at least 1.
        self._signs: set[tuple[str, int]] = set()

    def add(self, key: str, values: list[int]) -> None:
        if any(v < 0 for v in values):
            raise ValueError("counts are never negative")
        # The last entry of every line is its total.
        self._values[key] = [*values, sum(values)]

    @staticmethod
    def total(key: str) -> tuple[str, None]:
        return key, None

    def link(self, *entries: tuple[str, int | None]) -> None:
        """Declare entries (line key, cell index, or None for the total) to be the same number."""
        resolved = [(key, len(self._values[key]) - 1 if index is None else index) for key, index in entries]
        numbers = {self._values[key][index] for key, index in resolved}
        if len(numbers) != 1:
            raise ValueError(f"linked entries differ: {sorted(numbers)}")
        self._links.append(resolved)

    def _resolve(self, entry: tuple[str, int | None]) -> tuple[str, int]:
        key, index = entry
        return key, len(self._values[key]) - 1 if index is None else index

    def disclose_sign(self, *entries: tuple[str, int | None]) -> None:
        """Declare that the page publishes whether each entry (line key, cell index, or None for the
        total) is zero: a list of the needs with any signals, a link shown only for a need with
        unmet referrals. The reader then knows a zero for what it is and a non-zero to be at least 1."""
        for entry in entries:
            self._signs.add(self._resolve(entry))

    def at_least(self, entry: tuple[str, int | None], floor: int) -> None:
        """Declare that the page publishes a fact saying the entry is at least `floor` (a median
        given over that many cases, the absence of a table that is only left out when a count is
        not zero)."""
        resolved = self._resolve(entry)
        key, index = resolved
        if self._values[key][index] < floor:
            raise ValueError("a published floor above the true count")
        self._floors[resolved] = max(floor, self._floors.get(resolved, 0))

    def _public(self) -> set[tuple[str, int]]:
        """Entries whose value is public anyway: zeros whose zeroness is published, with every
        entry linked to them."""
        public = {(key, index) for key, index in self._signs if self._values[key][index] == 0}
        for group in self._links:
            if public.intersection(group):
                public.update(group)
        return public

    def _floor(self, entry: tuple[str, int]) -> int:
        key, index = entry
        floor = self._floors.get(entry, 0)
        if entry in self._signs and self._values[key][index] > 0:
            floor = max(floor, 1)
        return floor

    def solve(self) -> dict[str, Line]:
        k = self.k
        shown = {key: [Shown.SMALL if 0 < v < k else Shown.VALUE for v in vals] for key, vals in self._values.items()}
        public = self._public()
        while True:
            self._sync_links(shown)
            key = self._line_to_widen(shown, public)
            if key is None:
                break
            _hide_one_more(self._values[key], shown[key], {index for line, index in public if line == key})
        lines = {}
        for key, vals in self._values.items():
            cells = [_cell(s, v, k) for s, v in zip(shown[key], vals, strict=True)]
            lines[key] = Line(cells=cells[:-1], total=cells[-1], k=k)
        return lines

    def _sync_links(self, shown) -> None:
        """A number shown in several lines is shown the same way everywhere: hidden if hidden once."""
        for group in self._links:
            states = {shown[key][index] for key, index in group}
            if len(states) > 1:
                strongest = Shown.HIDDEN if Shown.HIDDEN in states else Shown.SMALL
                for key, index in group:
                    shown[key][index] = strongest

    def _line_to_widen(self, shown, public) -> str | None:
        """Work out, as a reader would, the range of every hidden number from all published lines
        together (each line is an equation, linked entries are one number); return a line that
        holds a number pinned down to a single value, or None when every hidden number is open."""
        entry_var = {}
        for group_index, group in enumerate(self._links):
            for entry in group:
                entry_var.setdefault(entry, ("link", group_index))
        domains: dict = {}
        equations = []
        for key, vals in self._values.items():
            variables = []
            for index, (state, value) in enumerate(zip(shown[key], vals, strict=True)):
                var = entry_var.get((key, index), (key, index))
                lo, hi = bounds(state, value, self.k)
                if state != Shown.VALUE:
                    lo = max(lo, self._floor((key, index)))
                old = domains.get(var, (-UNBOUNDED, UNBOUNDED))
                domains[var] = (max(old[0], lo), min(old[1], hi))
                variables.append(var)
            equations.append((key, variables))
        for _round in range(50):
            narrowed = False
            for _key, variables in equations:
                ranges = feasible_range([domains[v] for v in variables[:-1]], domains[variables[-1]])
                for var, (lo, hi) in zip(variables, ranges, strict=True):
                    if (lo, hi) != domains[var]:
                        domains[var] = (lo, hi)
                        narrowed = True
            if not narrowed:
                break
        for key, variables in equations:
            for index, var in enumerate(variables):
                lo, hi = domains[var]
                public_here = {i for line, i in public if line == key}
                if shown[key][index] != Shown.VALUE and lo == hi and _can_hide_more(shown[key], public_here):
                    return key
        return None


def _can_hide_more(shown: list[Shown], public: set[int] = frozenset()) -> bool:
    return any(s != Shown.HIDDEN for i, s in enumerate(shown) if i not in public)


def _cell(shown: Shown, value: int, k: int) -> Cell:
    return Cell(shown=shown, value=value if shown == Shown.VALUE else None, k=k)


def _hide_one_more(values: list[int], shown: list[Shown], public: set[int] = frozenset()) -> None:
    """Hide the smallest shown cell (non-zero first), else the total, else widen a label. A public
    zero is never picked: everybody knows it already."""
    candidates = [i for i in range(len(values) - 1) if shown[i] == Shown.VALUE and i not in public]
    if candidates:
        nonzero = [i for i in candidates if values[i] > 0]
        pick = min(nonzero or candidates, key=lambda i: (values[i], i))
        shown[pick] = Shown.HIDDEN
        return
    if shown[-1] == Shown.VALUE and len(values) - 1 not in public:
        shown[-1] = Shown.HIDDEN
        return
    small = [i for i, s in enumerate(shown) if s == Shown.SMALL]
    if not small:  # pragma: no cover - everything carries the hidden mark, which reveals nothing
        raise AssertionError("nothing left to hide")
    # The total first: widening it frees every cell at once.
    shown[small[-1] if shown[-1] == Shown.SMALL else small[0]] = Shown.HIDDEN


def median_of(values: list[float], k: int | None = None) -> float | None:
    """The median, or None over fewer than k cases."""
    k = k or threshold()
    if len(values) < k:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def breakdown_allowed(values: list[int], k: int | None = None) -> bool:
    """A breakdown per school is only published when there are at least k schools and no school
    has between 1 and k-1 cases: then nothing needs hiding and no school stands out."""
    k = k or threshold()
    return len(values) >= k and not any(0 < v < k for v in values)
