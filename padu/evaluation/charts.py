"""Server-rendered SVG line charts: geometry only, plain values, no ORM, no JavaScript."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

# Distinguishable on white and for common colour blindness (Okabe-Ito), then greys.
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#d55e00",
    "#56b4e9",
    "#7a6a00",
    "#000000",
    "#777777",
    "#aaaaaa",
)


@dataclass(frozen=True)
class SeriesIn:
    """A series to draw: values by category; dashed for reference lines (averages, peers)."""

    label: str
    values: Mapping[int | str, Decimal | None]
    dashed: bool = False


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str


@dataclass
class Line:
    label: str
    color: str
    dash: str
    path: str
    points: list[Point] = field(default_factory=list)


@dataclass
class Chart:
    width: int
    height: int
    left: int
    top: int
    right: int
    bottom: int
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    lines: list[Line]

    @property
    def is_empty(self) -> bool:
        return not any(line.points for line in self.lines)


def line_chart(
    categories: Sequence[int | str],
    series: Sequence[SeriesIn],
    *,
    y_min: Decimal = Decimal(1),
    y_max: Decimal = Decimal(5),
    width: int = 720,
    height: int = 300,
) -> Chart:
    """One line per series over the categories (years); gaps where a value is missing."""
    left, right, top, bottom = 44, width - 16, 16, height - 32
    span = float(y_max - y_min) or 1.0
    step = (right - left) / max(len(categories) - 1, 1)
    xs = {
        c: left + i * step if len(categories) > 1 else (left + right) / 2
        for i, c in enumerate(categories)
    }

    def y_of(value: Decimal) -> float:
        clamped = min(max(value, y_min), y_max)
        return round(bottom - float(clamped - y_min) / span * (bottom - top), 1)

    lines = []
    for n, item in enumerate(series):
        label, values = item.label, item.values
        points: list[Point] = []
        parts: list[str] = []
        pen_down = False
        for c in categories:
            value = values.get(c)
            if value is None:
                pen_down = False
                continue
            x, y = round(xs[c], 1), y_of(value)
            parts.append(f"{'L' if pen_down else 'M'}{x} {y}")
            pen_down = True
            points.append(Point(x, y, f"{label} {c}: {value:.2f}"))
        lines.append(
            Line(
                label=label,
                color=PALETTE[n % len(PALETTE)],
                dash="6 4" if item.dashed else "",
                path=" ".join(parts),
                points=points,
            )
        )
    y_ticks = []
    level = y_min
    while level <= y_max:
        y_ticks.append((y_of(level), f"{level:.1f}" if level % 1 else f"{level:.0f}"))
        level += Decimal("0.5") if span <= 4 else Decimal(1)
    return Chart(
        width=width,
        height=height,
        left=left,
        top=top,
        right=right,
        bottom=bottom,
        x_ticks=[(round(xs[c], 1), str(c)) for c in categories],
        y_ticks=y_ticks,
        lines=lines,
    )
