"""The integration map as a graph: islands, degree and the share of applications integrated.

Pure: node keys and (provider, consumer) pairs in, plain values out; no ORM.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Key = Hashable


@dataclass(frozen=True)
class Degree:
    incoming: int = 0
    outgoing: int = 0

    @property
    def total(self) -> int:
        return self.incoming + self.outgoing


def degrees(nodes: Iterable[Key], edges: Iterable[tuple[Key, Key]]) -> dict[Key, Degree]:
    """In- and out-degree of every node; edges to unknown nodes count for the known end only."""
    counts: dict[Key, list[int]] = {n: [0, 0] for n in nodes}
    for provider, consumer in edges:
        if provider == consumer:
            continue
        if provider in counts:
            counts[provider][1] += 1
        if consumer in counts:
            counts[consumer][0] += 1
    return {n: Degree(incoming=c[0], outgoing=c[1]) for n, c in counts.items()}


def islands(nodes: Sequence[Key], edges: Iterable[tuple[Key, Key]]) -> list[Key]:
    """Nodes with no integration at all, in the order given."""
    deg = degrees(nodes, edges)
    return [n for n in nodes if deg[n].total == 0]


def share_integrated(nodes: Sequence[Key], edges: Iterable[tuple[Key, Key]]) -> Decimal:
    """Percentage (0-100, one decimal) of nodes with at least one integration; 0 when empty."""
    if not nodes:
        return Decimal("0")
    deg = degrees(nodes, edges)
    connected = sum(1 for n in nodes if deg[n].total > 0)
    return (Decimal(connected) * 100 / Decimal(len(nodes))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def components(nodes: Sequence[Key], edges: Iterable[tuple[Key, Key]]) -> list[list[Key]]:
    """Weakly connected components, largest first (direction ignored)."""
    parent: dict[Key, Key] = {n: n for n in nodes}

    def find(x: Key) -> Key:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[ra] = rb
    groups: dict[Key, list[Key]] = {}
    for n in nodes:
        groups.setdefault(find(n), []).append(n)
    return sorted(groups.values(), key=lambda g: -len(g))
