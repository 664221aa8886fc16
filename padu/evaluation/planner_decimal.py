"""Exact least-effort plans on a decimal instrument (Pemdi): values climb in steps of 0.01.

Pure integers, no ORM. Each item climbs `t` hundredths (0 ≤ t ≤ T), each adding its integer
weight `w` to the gain. The cost of the climb is piecewise linear in `t` with breakpoints at
whole levels: every level segment is a bounded group of identical hundredths at one unit cost,
taken in order (a segment only after the one below is full), so efforts need not be convex.

The dynamic programme keeps, for every exact gain g ≤ capacity, the least cost reaching it.
Adding one segment of an item is a min-plus product with a linear function over a window of
`t`; inside a residue class of `w` that is a sliding-window minimum, computed here with the
van Herk/Gil-Werman block method (prefix and suffix minima by `itertools.accumulate`, which
runs in C), so each segment costs O(capacity) with a small constant.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add, sub

INF = 1 << 60
_IMPOSSIBLE = INF >> 1  # anything above this was built on an unreachable state


@dataclass(frozen=True)
class Climb:
    """One item for the solver: gain per hundredth and its level segments (length, unit cost)."""

    weight: int
    segments: tuple[tuple[int, int], ...]

    @property
    def length(self) -> int:
        """The most hundredths this item can climb."""
        return sum(length for length, _cost in self.segments)

    def cost(self, t: int) -> int:
        """The cost of climbing the first `t` hundredths."""
        total = 0
        for length, unit in self.segments:
            take = min(length, t)
            total += take * unit
            t -= take
            if t <= 0:
                break
        return total

    def merged(self) -> Climb:
        """Neighbouring segments with the same unit cost joined (one window instead of several)."""
        out: list[tuple[int, int]] = []
        for length, unit in self.segments:
            if length <= 0:
                continue
            if out and out[-1][1] == unit:
                out[-1] = (out[-1][0] + length, unit)
            else:
                out.append((length, unit))
        return Climb(self.weight, tuple(out))


def _window_min(seq: list[int], width: int, count: int) -> list[int]:
    """min(seq[s:s + width]) for s in 0 … count-1 (seq holds at least count + width - 1 values)."""
    if width == 1:
        return seq[:count]
    n = count + width - 1
    prefix: list[int] = []
    suffix: list[int] = []
    for start in range(0, n, width):
        block = seq[start : start + width]
        prefix.extend(accumulate(block, min))
        tail = list(accumulate(reversed(block), min))
        tail.reverse()
        suffix.extend(tail)
    return list(map(min, suffix[:count], prefix[width - 1 : width - 1 + count]))


def _add_item(best: list[int], climb: Climb, top: int) -> list[int]:
    """Least cost for every exact gain 0 … top after also choosing how far `climb` goes."""
    w = climb.weight
    new = best[:]
    start, base = 0, 0  # hundredths below the segment, and their cost
    for length, unit in climb.segments:
        low, high = start, start + length  # t runs over [low, high] in this segment
        for r in range(min(w, top + 1)):
            column = best[r : top + 1 : w]
            n = len(column)
            # out[x] = unit·x + base - unit·low + min over y in [x - high, x - low] of D[y]
            shifted = [INF] * high
            shifted.extend(map(sub, column, range(0, unit * n, unit) if unit else repeat(0, n)))
            windows = _window_min(shifted, length + 1, n)
            offset = base - unit * low
            slope = range(offset, offset + unit * n, unit) if unit else repeat(offset, n)
            new[r : top + 1 : w] = list(map(min, new[r : top + 1 : w], map(add, windows, slope)))
        start, base = high, base + length * unit
    return new


def _run(
    climbs: Sequence[Climb], members: list[int], start: list[int], reach: int, capacity: int
) -> tuple[list[list[int]], list[int]]:
    """Add `members` (smallest first) to the table `start`; every table kept for backtracking."""
    order = sorted(members, key=lambda i: climbs[i].weight * climbs[i].length)
    best = start
    tables = [best]
    for i in order:
        climb = climbs[i]
        reach = min(capacity, reach + climb.weight * climb.length)
        best = _add_item(best, climb, reach)
        tables.append(best)
    return tables, order


def _backtrack(
    climbs: Sequence[Climb],
    tables: list[list[int]],
    order: list[int],
    gain: int,
    taken: list[int],
) -> int:
    """Record how far each item of `order` climbs to reach `gain` in the last table, cheapest;
    returns the gain left for the starting table."""
    for step in range(len(order), 0, -1):
        climb = climbs[order[step - 1]]
        before, after = tables[step - 1], tables[step]
        value = after[gain]
        for t in range(0, min(climb.length, gain // climb.weight) + 1):
            previous = before[gain - t * climb.weight]
            if previous < _IMPOSSIBLE and previous + climb.cost(t) == value:
                taken[order[step - 1]] = t
                gain -= t * climb.weight
                break
        else:  # pragma: no cover - the table was built from these very choices
            raise AssertionError("backtracking lost its way")
    return gain


def _group(climbs: Sequence[Climb], members: list[int]) -> tuple[int, list[int]]:
    """The divisor d > 1 of the weights that saves most work, and the members it divides."""
    best_d, best_score = 1, 0
    for d in range(2, max((climbs[i].weight for i in members), default=1) + 1):
        score = sum(
            climbs[i].weight * climbs[i].length for i in members if climbs[i].weight % d == 0
        )
        score = score * (d - 1) // d
        if score > best_score:
            best_d, best_score = d, score
    if best_d == 1:
        return 1, []
    return best_d, [i for i in members if climbs[i].weight % best_d == 0]


def _scaled(climbs: Sequence[Climb], unit: int) -> list[Climb]:
    """The climbs with their weights counted in `unit`s (every weight is a multiple)."""
    return [
        Climb(c.weight // unit if c.weight % unit == 0 else c.weight, c.segments) for c in climbs
    ]


def _empty(capacity: int) -> list[int]:
    table = [INF] * (capacity + 1)
    table[0] = 0
    return table


def solve_reach(climbs: Sequence[Climb], need: int) -> list[int]:
    """Hundredths each item climbs: least cost with gain ≥ need; among equal costs the larger
    gain (the higher index).

    With positive unit costs a cheapest plan never exceeds need + largest weight - 1 (dropping
    any item's top hundredth would still reach the need, for less), so gains are tracked
    exactly up to that bound and larger ones are never optimal. When the need is more than half
    of what is possible, the same plan is found from the top: climb everything, then give back
    the costliest hundredths (from each item's top down) whose gain fits in what is spare.
    """
    possible = sum(c.weight * c.length for c in climbs)
    if 2 * need <= possible:
        merged = [c.merged() for c in climbs]
        return _solve(merged, need + max(c.weight for c in merged) - 1, need)
    reverse = [
        Climb(c.weight, tuple((length, -unit) for length, unit in reversed(c.segments))).merged()
        for c in climbs
    ]
    dropped = _solve(reverse, possible - need, None)
    return [c.length - d for c, d in zip(climbs, dropped, strict=True)]


def _solve(climbs: list[Climb], capacity: int, need: int | None) -> list[int]:
    """The programme over exact gains 0 … capacity: with `need`, the least (cost, -gain) at or
    above it; without, the least (cost, gain) anywhere (the give-back form).

    To keep tables small the items are split in three: those whose weights share a divisor d1
    (a table in units of d1), those sharing another divisor d2 (units of d2), and the rest,
    added to the first table spread out over plain gain units. The two tables meet at the end:
    for each gain of the first, the best of the second at or above (or, giving back, at or
    below) what is left. Any split gives the same exact answer; it only saves work.
    """
    everyone = list(range(len(climbs)))
    d1, first = _group(climbs, everyone)
    d2, second = _group(climbs, [i for i in everyone if i not in first])
    rest = [i for i in everyone if i not in first and i not in second]
    one, two = _scaled(climbs, d1), _scaled(climbs, d2)
    tables1, order1 = _run(one, first, _empty(capacity // d1), 0, capacity // d1)
    spread = [INF] * (capacity + 1)
    spread[::d1] = tables1[-1][: capacity // d1 + 1]
    reach1 = min(capacity, sum(climbs[i].weight * climbs[i].length for i in first))
    tables_rest, order_rest = _run(climbs, rest, spread, reach1, capacity)
    tables2, order2 = _run(two, second, _empty(capacity // d2), 0, capacity // d2)
    left, right = tables_rest[-1], tables2[-1]
    sign = -1 if need is not None else 1  # the tie-break: larger gain, or smaller given back
    # running[b]: the best (cost, sign·b) of the second table at b or above (below, giving back).
    positions = range(len(right) - 1, -1, -1) if need is not None else range(len(right))
    running: list[tuple[int, int]] = [(INF, 0)] * len(right)
    current = (INF, 0)
    for b in positions:
        current = min(current, (right[b], sign * b))
        running[b] = current
    best: tuple[int, int, int, int] | None = None  # cost, sign·gain, left gain, right units
    for g, cost in enumerate(left):
        if cost >= _IMPOSSIBLE:
            continue
        if need is not None:
            b = max(0, -((g - need) // d2))  # ceil((need - g) / d2), at least 0
            if b >= len(right):
                continue
        else:
            b = min(len(right) - 1, (capacity - g) // d2)
        other, signed = running[b]
        if other >= _IMPOSSIBLE:
            continue
        units = sign * signed
        key = (cost + other, sign * (g + d2 * units), g, units)
        if best is None or key[:2] < best[:2]:
            best = key
    if best is None:
        raise ValueError("the need is above what the items can give")
    _cost, _gain, g, b = best
    taken = [0] * len(climbs)
    left_gain = _backtrack(climbs, tables_rest, order_rest, g, taken)
    _backtrack(one, tables1, order1, left_gain // d1, taken)
    _backtrack(two, tables2, order2, b, taken)
    return taken
