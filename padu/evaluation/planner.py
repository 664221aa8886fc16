"""The target planner: the cheapest set of level steps that lifts the index to a target.

Pure: plain values in, dataclasses out, no ORM. The index is linear in the levels
(index = Σ weight·level / divisor), so the question is a multiple-choice knapsack:
for every item pick how many levels to climb (0 … reachable - current), each choice
costing the sum of its step efforts and adding `steps * weight` to the index, and
minimise the total effort subject to the index reaching the target. It is solved
exactly by dynamic programming over the index gain measured in integer units (the
greatest common divisor of the item weights), so 47 indicators take milliseconds.

Ties in effort go to the plan with the higher index. A plan reaches the target when
the exact (unrounded) index is at least the target, so a published, rounded figure
is never below what was promised.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from math import gcd

from .planner_decimal import Climb, solve_reach
from .scoring import HUNDREDTH, InstrumentShape, ItemKey, compute, predicate_for

DEFAULT_EFFORT = Decimal(1)
MAX_EFFORT = Decimal(1000)
_EFFORT_SCALE = 100  # efforts are kept to hundredths


class PlannerError(ValueError):
    """Input the planner refuses; `code` names the fault for the caller's message."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class ItemInput:
    """One scored item: where it stands, how high it can go this year, effort per step."""

    key: ItemKey
    current: int | Decimal  # a whole level, or a value such as 1.26 on a decimal instrument
    reachable: int | Decimal
    # Effort of the whole level step to floor(current)+1, floor(current)+2, …; on a decimal
    # instrument a part of a step costs its share (1.26 -> 2.00 is 0.74 of the first).
    efforts: tuple[Decimal, ...] = ()

    def effort_of(self, step: int) -> Decimal:
        """Effort of the `step`-th level step above the current level (1-based); default 1."""
        return self.efforts[step - 1] if step <= len(self.efforts) else DEFAULT_EFFORT


@dataclass(frozen=True)
class Step:
    key: ItemKey
    from_level: int
    to_level: int
    gain: Decimal
    effort: Decimal
    from_value: Decimal | None = None  # decimal instruments: the part of the level step climbed
    to_value: Decimal | None = None


@dataclass(frozen=True)
class PlanResult:
    target: Decimal
    baseline_index: Decimal
    planned_index: Decimal
    max_index: Decimal
    reachable: bool
    total_effort: Decimal
    steps: tuple[Step, ...]
    predicate_before: str
    predicate_after: str

    @property
    def shortfall(self) -> Decimal:
        """How far the plan stays below the target (zero when it reaches it)."""
        return max(self.target - self.planned_index, Decimal(0))

    @property
    def levels_after(self) -> dict[ItemKey, int]:
        """The top level planned for each item that climbs."""
        out: dict[ItemKey, int] = {}
        for step in self.steps:
            out[step.key] = max(out.get(step.key, 0), step.to_level)
        return out

    @property
    def values_after(self) -> dict[ItemKey, Decimal]:
        """The top value planned for each item that climbs (decimal instruments)."""
        out: dict[ItemKey, Decimal] = {}
        for step in self.steps:
            if step.to_value is not None:
                out[step.key] = max(out.get(step.key, Decimal(0)), step.to_value)
        return out


def _check(shape: InstrumentShape, items: Iterable[ItemInput], target: Decimal) -> list[ItemInput]:
    floor, top = shape.min_level, shape.max_level
    if not isinstance(target, Decimal) or not target.is_finite():
        raise PlannerError("target", "the target must be a decimal number")
    if target > top:
        raise PlannerError("target_above_max", f"the target {target} is above the maximum {top}")
    if target < floor:
        raise PlannerError("target_below_min", f"the target {target} is below the minimum {floor}")
    given = list(items)
    keys = [i.key for i in given]
    if len(set(keys)) != len(keys):
        raise PlannerError("duplicate", "an item appears twice")
    unknown = set(keys) - shape.weights.keys()
    if unknown:
        raise PlannerError("unknown", f"item {sorted(unknown)[0]!r} is not in the instrument")
    given = [_as_scale(shape, item) for item in given]
    for item in given:
        if not floor <= item.current <= top or not item.current <= item.reachable <= top:
            raise PlannerError(
                "levels",
                f"indicator {item.key[0]}: needs {floor} <= current <= reachable <= {top}",
            )
        for effort in item.efforts:
            if not effort.is_finite() or not Decimal(0) < effort <= MAX_EFFORT:
                raise PlannerError(
                    "effort", f"indicator {item.key[0]}: an effort must be above 0 and at most 1000"
                )
    # Items not given stay where they are (at the floor, as an unfilled indicator counts).
    present = set(keys)
    for k in shape.weights:
        if k not in present:
            start = shape.defaults[k] if shape.decimal_values else floor
            given.append(ItemInput(k, start, start))
    return given


def _as_scale(shape: InstrumentShape, item: ItemInput) -> ItemInput:
    """Values as the instrument counts them: whole levels, or decimals with two places."""
    values = (item.current, item.reachable)
    if any(isinstance(v, bool) or not isinstance(v, int | Decimal) for v in values):
        raise PlannerError("levels", f"indicator {item.key[0]}: values must be numbers")
    if any(isinstance(v, Decimal) and not v.is_finite() for v in values):
        raise PlannerError("levels", f"indicator {item.key[0]}: values must be numbers")
    current: int | Decimal
    reachable: int | Decimal
    if shape.decimal_values:
        if any(Decimal(v) != Decimal(v).quantize(HUNDREDTH) for v in values):
            raise PlannerError("values", f"indicator {item.key[0]}: at most two decimals")
        current, reachable = (Decimal(v).quantize(HUNDREDTH) for v in values)
    else:
        if any(v != int(v) for v in values):
            raise PlannerError("levels", f"indicator {item.key[0]}: whole levels only")
        current, reachable = int(item.current), int(item.reachable)
    return ItemInput(item.key, current, reachable, item.efforts)


def _units(shape: InstrumentShape, items: list[ItemInput]) -> tuple[dict[ItemKey, int], Decimal]:
    """Item weights as integers in a common unit, and that unit's size."""
    exponent = min(min(w.as_tuple().exponent for w in shape.weights.values()), 0)  # type: ignore[type-var]
    scale = Decimal(10) ** -int(exponent)
    raw = {k: int(shape.weights[k] * scale) for k in (i.key for i in items)}
    common = 0
    for value in raw.values():
        common = gcd(common, value)
    common = common or 1
    return {k: v // common for k, v in raw.items()}, common / scale


def _need(
    shape: InstrumentShape, start: dict[ItemKey, Decimal], target: Decimal, unit: Decimal
) -> int:
    """Index gain still needed, in `unit`s of Σ weight·value, rounded up.

    Computed from the exact sum, not from the divided index: an index such as 13.71 / 9 is
    rounded to 28 digits, and its error could push the ceiling one unit too high.
    """
    total = sum((shape.weights[k] * v for k, v in start.items()), Decimal(0))
    missing = (target * shape.divisor - total) / unit
    return max(int(missing.to_integral_value(rounding="ROUND_CEILING")), 0)


def plan_target(shape: InstrumentShape, items: Iterable[ItemInput], target: Decimal) -> PlanResult:
    """The least-effort level steps that bring the index to `target`, or the closest plan."""
    checked = _check(shape, items, target)
    if shape.decimal_values:
        return _plan_values(shape, checked, target)
    before = compute(shape, {i.key: i.current for i in checked})
    top = compute(shape, {i.key: i.reachable for i in checked})
    weights, unit = _units(shape, checked)
    # Index gain needed, in weight units: (target - index) · divisor / unit, rounded up.
    need = _need(shape, {i.key: Decimal(i.current) for i in checked}, target, unit)
    climbing = [i for i in checked if i.reachable > i.current and weights[i.key] > 0]
    possible = sum(weights[i.key] * int(i.reachable - i.current) for i in climbing)
    chosen: dict[ItemKey, int]
    if need > possible:
        chosen = {i.key: int(i.reachable - i.current) for i in climbing}
    elif need == 0:
        chosen = {}
    else:
        chosen = _solve(climbing, weights, need)
    steps = tuple(
        Step(
            key=i.key,
            from_level=int(i.current) + s - 1,
            to_level=int(i.current) + s,
            gain=shape.weights[i.key] / shape.divisor,
            effort=i.effort_of(s),
        )
        for i in checked
        for s in range(1, chosen.get(i.key, 0) + 1)
    )
    after = compute(shape, {i.key: i.current + chosen.get(i.key, 0) for i in checked})
    return PlanResult(
        target=target,
        baseline_index=before.index,
        planned_index=after.index,
        max_index=top.index,
        reachable=after.index >= target,
        total_effort=sum((s.effort for s in steps), Decimal(0)),
        steps=steps,
        predicate_before=before.predicate,
        predicate_after=predicate_for(shape.round(after.index), shape.bands),
    )


def _solve(items: list[ItemInput], weights: Mapping[ItemKey, int], need: int) -> dict[ItemKey, int]:
    """Exact multiple-choice knapsack: min effort with gain >= need, ties to the larger gain.

    A cheapest plan never climbs more than one step past `need` on any item (with positive
    efforts, dropping that item's top step would still reach it), so gains are tracked up to
    `need + largest weight - 1` and anything above is clamped into the last bucket.
    """
    cap = need + max(weights[i.key] for i in items) - 1
    inf = 1 << 62
    best = [inf] * (cap + 1)
    best[0] = 0
    trail: list[tuple[ItemInput, list[int], list[int]]] = []  # item, steps taken, previous gain
    for item in items:
        w = weights[item.key]
        costs = [0]
        for s in range(1, int(item.reachable - item.current) + 1):
            costs.append(costs[-1] + int(item.effort_of(s) * _EFFORT_SCALE))
        new = best[:]
        took = [0] * (cap + 1)
        came = list(range(cap + 1))
        live = [(g, base) for g, base in enumerate(best) if base != inf]
        for steps in range(1, len(costs)):
            add, cost = steps * w, costs[steps]
            for g, base in live:
                to = g + add if g + add < cap else cap
                total = base + cost
                if total < new[to]:
                    new[to], took[to], came[to] = total, steps, g
        trail.append((item, took, came))
        best = new
    # Cheapest reaching the need; among equals, the largest gain.
    goal = min(range(need, cap + 1), key=lambda g: (best[g], -g))
    chosen: dict[ItemKey, int] = {}
    for item, took, came in reversed(trail):
        if took[goal]:
            chosen[item.key] = took[goal]
        goal = came[goal]
    return chosen


def _segments(item: ItemInput) -> list[tuple[int, int, int]]:
    """The item's climb cut at whole levels: (from, to) in hundredths and the step number."""
    low, high = int(Decimal(item.current) * 100), int(Decimal(item.reachable) * 100)
    out = []
    step = 1
    while low < high:
        upto = min(high, (low // 100 + 1) * 100)
        out.append((low, upto, step))
        low, step = upto, step + 1
    return out


def _plan_values(shape: InstrumentShape, items: list[ItemInput], target: Decimal) -> PlanResult:
    """The decimal form (Pemdi): values climb by 0.01, a part of a level step costs its share."""
    before = compute(shape, {i.key: i.current for i in items})
    top = compute(shape, {i.key: i.reachable for i in items})
    weights, unit = _units(shape, items)
    need = _need(shape, {i.key: Decimal(i.current) for i in items}, target, unit / 100)
    climbing = [i for i in items if i.reachable > i.current and weights[i.key] > 0]
    places = max(
        (-min(int(e.as_tuple().exponent), 0) for i in climbing for e in i.efforts), default=0
    )
    scale = 10 ** max(places, 2)  # every effort x scale is a whole number: costs stay exact
    climbs = [
        Climb(
            weights[i.key],
            tuple((hi - lo, int(i.effort_of(s) * scale)) for lo, hi, s in _segments(i)),
        )
        for i in climbing
    ]
    possible = sum(c.weight * c.length for c in climbs)
    if need > possible:
        taken = [c.length for c in climbs]
    elif need == 0:
        taken = [0] * len(climbs)
    else:
        taken = solve_reach(climbs, need)
    hundred = Decimal(100)
    steps: list[Step] = []
    values = {i.key: Decimal(i.current) for i in items}
    for item, t in zip(climbing, taken, strict=True):
        end = int(Decimal(item.current) * 100) + t
        for lo, hi, s in _segments(item):
            hi = min(hi, end)
            if hi <= lo:
                break
            share = Decimal(hi - lo) / hundred
            steps.append(
                Step(
                    key=item.key,
                    from_level=lo // 100,
                    to_level=lo // 100 + 1,
                    gain=shape.weights[item.key] * share / shape.divisor,
                    effort=item.effort_of(s) * share,
                    from_value=(Decimal(lo) / hundred).quantize(HUNDREDTH),
                    to_value=(Decimal(hi) / hundred).quantize(HUNDREDTH),
                )
            )
        values[item.key] = (Decimal(end) / hundred).quantize(HUNDREDTH)
    after = compute(shape, values)
    return PlanResult(
        target=target,
        baseline_index=before.index,
        planned_index=after.index,
        max_index=top.index,
        reachable=after.index >= target,
        total_effort=sum((s.effort for s in steps), Decimal(0)),
        steps=tuple(steps),
        predicate_before=before.predicate,
        predicate_after=after.predicate,
    )
