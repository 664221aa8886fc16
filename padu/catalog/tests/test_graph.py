"""The integration graph: degree, islands, share integrated, components (pure)."""

from __future__ import annotations

from decimal import Decimal

from padu.catalog.graph import Degree, components, degrees, islands, share_integrated

NODES = ["a", "b", "c", "d"]
EDGES = [("a", "b"), ("a", "c"), ("c", "b")]


def test_degree_counts_directions() -> None:
    deg = degrees(NODES, EDGES)
    assert deg["a"] == Degree(incoming=0, outgoing=2)
    assert deg["b"] == Degree(incoming=2, outgoing=0)
    assert deg["c"].total == 2
    assert deg["d"].total == 0


def test_self_loops_and_unknown_ends_do_not_connect() -> None:
    deg = degrees(["a", "d"], [("a", "a"), ("x", "d")])
    assert deg["a"].total == 0
    assert deg["d"] == Degree(incoming=1, outgoing=0)


def test_islands_keep_the_given_order() -> None:
    assert islands(["d", "a", "e"], EDGES) == ["d", "e"]


def test_share_integrated_is_a_rounded_percentage() -> None:
    assert share_integrated(NODES, EDGES) == Decimal("75.0")
    assert share_integrated(["a", "b", "z"], [("a", "b")]) == Decimal("66.7")
    assert share_integrated([], []) == Decimal("0")
    assert share_integrated(["a"], []) == Decimal("0.0")


def test_components_ignore_direction_largest_first() -> None:
    groups = components([*NODES, "e", "f"], [*EDGES, ("f", "e")])
    assert sorted(groups[0]) == ["a", "b", "c"]
    assert sorted(groups[1]) == ["e", "f"]
    assert groups[2] == ["d"]


def test_large_graph_is_quick() -> None:
    import time

    nodes = list(range(500))
    edges = [(i % 500, (i * 7 + 3) % 500) for i in range(1500)]
    start = time.perf_counter()
    share_integrated(nodes, edges)
    islands(nodes, edges)
    assert time.perf_counter() - start < 0.1
