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

from .scoring import InstrumentShape, ItemKey, compute, predicate_for, round_half_up

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
    current: int
    reachable: int
    efforts: tuple[Decimal, ...] = ()  # effort of the step to current+1, current+2, …

    def effort_of(self, step: int) -> Decimal:
        """Effort of the `step`-th step above the current level (1-based); default 1."""
        return self.efforts[step - 1] if step <= len(self.efforts) else DEFAULT_EFFORT


@dataclass(frozen=True)
class Step:
    key: ItemKey
    from_level: int
    to_level: int
    gain: Decimal
    effort: Decimal


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
    given += [ItemInput(k, floor, floor) for k in shape.weights if k not in present]
    return given


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


def plan_target(shape: InstrumentShape, items: Iterable[ItemInput], target: Decimal) -> PlanResult:
    """The least-effort level steps that bring the index to `target`, or the closest plan."""
    checked = _check(shape, items, target)
    before = compute(shape, {i.key: i.current for i in checked})
    top = compute(shape, {i.key: i.reachable for i in checked})
    weights, unit = _units(shape, checked)
    # Index gain needed, in weight units: (target - index) · divisor / unit, rounded up.
    need_exact = (target - before.index) * shape.divisor / unit
    need = max(int(need_exact.to_integral_value(rounding="ROUND_CEILING")), 0)
    climbing = [i for i in checked if i.reachable > i.current and weights[i.key] > 0]
    possible = sum(weights[i.key] * (i.reachable - i.current) for i in climbing)
    if need > possible:
        chosen = {i.key: i.reachable - i.current for i in climbing}
    elif need == 0:
        chosen = {}
    else:
        chosen = _solve(climbing, weights, need)
    steps = tuple(
        Step(
            key=i.key,
            from_level=i.current + s - 1,
            to_level=i.current + s,
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
        predicate_after=predicate_for(round_half_up(after.index), shape.bands),
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
        for s in range(1, item.reachable - item.current + 1):
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
