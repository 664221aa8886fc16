"""Server-rendered SVG line charts: geometry only, plain values, no ORM, no JavaScript."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.formats import number_format

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


MAX_TICKS = 8


def tick_step(span: Decimal) -> Decimal:
    """The gap between y-axis labels: the smallest of 1, 2, 5 x 10^n (0.5 at the least) that
    keeps the labels to about `MAX_TICKS`, whatever the range (an index 1-5 gets 0.5, a
    population axis up to 1,000,000 gets 200,000, not a million labels)."""
    step = Decimal("0.5")
    exponent = 0
    while step * MAX_TICKS < span:
        for mantissa in (1, 2, 5):
            step = Decimal(mantissa).scaleb(exponent)
            if step * MAX_TICKS >= span:
                break
        exponent += 1
    return step


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
    gap = tick_step(y_max - y_min)
    levels = []
    level = y_min
    while level <= y_max:
        levels.append((level, number_format(level, 1 if level % 1 else 0, force_grouping=True)))
        level += gap
    # room left of the axis for the longest label (about 7 px a character at 11 px)
    left = max(44, 12 + 7 * max((len(text) for _level, text in levels), default=0))
    right, top, bottom = width - 16, 16, height - 32
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
    y_ticks = [(y_of(level), text) for level, text in levels]
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
