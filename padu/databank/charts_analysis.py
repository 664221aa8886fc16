"""Server-side SVG geometry for the data bank's analysis pages: bars, sparklines, choropleth
maps. Pure: plain values in, coordinates and colours out; no ORM, no JavaScript.

Line charts reuse `padu.evaluation.charts.line_chart` (see `trend_chart`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from padu.evaluation.charts import Chart, SeriesIn, line_chart

# Sequential blues (ColorBrewer-like), light to dark, readable on white.
RAMP = ("#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#eeeeee"


def nice_max(value: Decimal) -> Decimal:
    """A round upper bound for an axis: 1, 2, 5 x 10^n at or above the value."""
    if value <= 0:
        return Decimal(1)
    exp = math.floor(math.log10(float(value)))
    for step in (1, 2, 5, 10):
        bound = Decimal(step) * Decimal(10) ** exp
        if bound >= value:
            return bound
    return Decimal(10) ** (exp + 1)  # pragma: no cover


def fmt(value: Decimal | None) -> str:
    """A figure as shown in tables and tooltips: no trailing zeros, at most 2 decimals."""
    if value is None:
        return ""
    rounded = value.quantize(Decimal("0.01"))
    text = f"{rounded:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def trend_chart(
    categories: Sequence[str], series: Sequence[tuple[str, Mapping[str, Decimal | None]]]
) -> Chart:
    """Lines over periods, the y axis from 0 to a round maximum."""
    top = max(
        (v for _label, values in series for v in values.values() if v is not None),
        default=Decimal(1),
    )
    return line_chart(
        list(categories),
        [SeriesIn(label, dict(values.items())) for label, values in series],
        y_min=Decimal(0),
        y_max=nice_max(top),
    )


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    y: float
    width: float
    text: str


@dataclass
class BarChart:
    width: int
    height: int
    left: int
    bar_height: int
    bars: list[Bar] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(b.value is not None for b in self.bars)


def bar_chart(items: Sequence[tuple[str, Decimal | None]], *, width: int = 720) -> BarChart:
    """Horizontal bars, one per region, longest first; missing values get no bar."""
    ordered = sorted(items, key=lambda kv: (kv[1] is None, -(kv[1] or 0), kv[0]))
    top = nice_max(max((v for _l, v in ordered if v is not None), default=Decimal(1)))
    left, bar_h, gap = 160, 18, 6
    span = width - left - 70
    bars = [
        Bar(
            label=label,
            value=value,
            y=float(i * (bar_h + gap) + 4),
            width=round(float(max(value, Decimal(0)) / top) * span, 1) if value is not None else 0,
            text=fmt(value) if value is not None else "—",
        )
        for i, (label, value) in enumerate(ordered)
    ]
    return BarChart(
        width=width, height=len(bars) * (bar_h + gap) + 8, left=left, bar_height=bar_h, bars=bars
    )


@dataclass(frozen=True)
class Sparkline:
    path: str
    width: int
    height: int
    last_x: float
    last_y: float

    @property
    def is_empty(self) -> bool:
        return not self.path


def sparkline(values: Sequence[Decimal | None], *, width: int = 120, height: int = 28) -> Sparkline:
    """A tiny trend line; gaps where values are missing."""
    present = [v for v in values if v is not None]
    if not present:
        return Sparkline("", width, height, 0, 0)
    low, high = min(present), max(present)
    span = float(high - low) or 1.0
    step = (width - 4) / max(len(values) - 1, 1)
    parts: list[str] = []
    pen, x, y = False, 2.0, float(height) / 2
    for i, value in enumerate(values):
        if value is None:
            pen = False
            continue
        x = round(2 + i * step, 1)
        y = round(height - 3 - float(value - low) / span * (height - 6), 1)
        parts.append(f"{'L' if pen else 'M'}{x} {y}")
        pen = True
    return Sparkline(" ".join(parts), width, height, x, y)


# --- choropleth -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    code: str
    name: str
    path: str
    color: str
    text: str


@dataclass
class MapChart:
    width: int
    height: int
    shapes: list[Shape]
    legend: list[tuple[str, str]]


def rings_of(geometry: Mapping[str, Any]) -> list[list[tuple[float, float]]]:
    """The outer and inner rings of a Polygon or MultiPolygon as (lon, lat) lists."""
    kind, coords = geometry.get("type"), geometry.get("coordinates") or []
    polygons = [coords] if kind == "Polygon" else coords if kind == "MultiPolygon" else []
    return [[(float(p[0]), float(p[1])) for p in ring] for poly in polygons for ring in poly]


def breaks(values: Iterable[Decimal], classes: int = len(RAMP)) -> list[Decimal]:
    """Upper bounds of equal-count classes (quantiles) of the values, ascending, distinct."""
    ordered = sorted(values)
    if not ordered:
        return []
    out: list[Decimal] = []
    for k in range(1, classes + 1):
        bound = ordered[min(len(ordered) - 1, math.ceil(k * len(ordered) / classes) - 1)]
        if not out or bound > out[-1]:
            out.append(bound)
    return out


def color_of(value: Decimal | None, bounds: Sequence[Decimal]) -> str:
    if value is None or not bounds:
        return NO_DATA
    for i, bound in enumerate(bounds):
        if value <= bound:
            return RAMP[round(i * (len(RAMP) - 1) / max(len(bounds) - 1, 1))]
    return RAMP[-1]  # pragma: no cover


def choropleth(
    regions: Sequence[tuple[str, str, Mapping[str, Any]]],
    values: Mapping[str, Decimal | None],
    *,
    width: int = 720,
) -> MapChart:
    """Regions (code, name, GeoJSON geometry) drawn with an equirectangular projection
    (longitude scaled by the cosine of the mean latitude), coloured by quantile class."""
    rings = {code: rings_of(geometry) for code, _name, geometry in regions}
    points = [p for rs in rings.values() for ring in rs for p in ring]
    if not points:
        return MapChart(width, 0, [], [])
    min_x, max_x = min(p[0] for p in points), max(p[0] for p in points)
    min_y, max_y = min(p[1] for p in points), max(p[1] for p in points)
    kx = math.cos(math.radians((min_y + max_y) / 2))
    span_x, span_y = max((max_x - min_x) * kx, 1e-9), max(max_y - min_y, 1e-9)
    pad = 8
    scale = (width - 2 * pad) / span_x
    height = min(int(span_y * scale) + 2 * pad, 900)
    scale = min(scale, (height - 2 * pad) / span_y)

    def xy(p: tuple[float, float]) -> str:
        return f"{round(pad + (p[0] - min_x) * kx * scale, 1)} {round(pad + (max_y - p[1]) * scale, 1)}"

    bounds = breaks(v for v in values.values() if v is not None)
    shapes = []
    for code, name, _geometry in regions:
        path = " ".join("M" + " L".join(xy(p) for p in ring) + " Z" for ring in rings[code] if ring)
        value = values.get(code)
        shapes.append(
            Shape(
                code, name, path, color_of(value, bounds), fmt(value) if value is not None else "—"
            )
        )
    legend, low = [], None
    for i, bound in enumerate(bounds):
        label = f"≤ {fmt(bound)}" if low is None else f"{fmt(low)} - {fmt(bound)}"
        legend.append((RAMP[round(i * (len(RAMP) - 1) / max(len(bounds) - 1, 1))], label))
        low = bound
    return MapChart(width, height, shapes, legend)
