"""The Laporan Evaluasi Mandiri: HTML from a template, SVG bar charts computed here, printed to
PDF by WeasyPrint with a fetcher that loads nothing but inline data (no network, no files)."""

from __future__ import annotations

import base64
import logging
import mimetypes
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from ..index import GroupRow, PeriodScores
from .common import ReportData, exact_display

# WeasyPrint logs every layout step at INFO; keep warnings only.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

TEMPLATE = "evaluation/reports/report_pdf.html"
COLOURS = {"self": "#3b6ea8", "validated": "#d9962b", "external": "#3c8d5a"}

# Chart geometry, in SVG user units (the chart is scaled to the text width).
CHART_WIDTH = 640
LABEL_HEIGHT = 16
BAR_HEIGHT = 11
ROW_GAP = 10
AXIS_HEIGHT = 22
BAR_SPAN = 560


@dataclass
class Bar:
    y: int
    width: str
    colour: str
    text: str
    text_x: str


@dataclass
class ChartRow:
    name: str
    y: int
    bars: list[Bar]


@dataclass
class Tick:
    x: str
    label: int


@dataclass
class Chart:
    title: str
    rows: list[ChartRow] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    height: int = 0
    axis_y: int = 0


def _x(value: Decimal, high: int) -> Decimal:
    """Position of `value` on the level axis (the axis starts at zero so level 1 shows a bar)."""
    return Decimal(BAR_SPAN) * value / Decimal(high)


def build_chart(title: str, groups: list[GroupRow], scores: PeriodScores, high: int) -> Chart:
    """Horizontal bars: per group its name, then one bar for each series."""
    chart = Chart(title)
    y = 0
    for g in groups:
        row = ChartRow(g.name, y + LABEL_HEIGHT - 4, [])
        bar_y = y + LABEL_HEIGHT
        for series, cell in zip(scores.series, g.values, strict=True):
            width = _x(cell.value, high)
            row.bars.append(
                Bar(
                    bar_y,
                    f"{width:.1f}",
                    COLOURS.get(series.key, "#777777"),
                    cell.display,
                    f"{width + 4:.1f}",
                )
            )
            bar_y += BAR_HEIGHT + 2
        chart.rows.append(row)
        y = bar_y + ROW_GAP
    chart.axis_y = y
    chart.height = y + AXIS_HEIGHT
    chart.ticks = [Tick(f"{_x(Decimal(level), high):.1f}", level) for level in range(0, high + 1)]
    return chart


def charts_for(data: ReportData) -> list[Chart]:
    """With domains: one chart of the domains, then one per domain with its aspects.
    Without domains: one chart of the aspects."""
    scores = data.scores
    high = data.period.instrument.max_level
    if not scores.has_domains:
        return [build_chart(_("Aspects"), scores.groups, scores, high)]
    domain_rows = [g for g in scores.groups if g.is_domain]
    charts = [build_chart(_("Domains"), domain_rows, scores, high)]
    current: GroupRow | None = None
    members: dict[str, list[GroupRow]] = {}
    order: list[GroupRow] = []
    for g in scores.groups:
        if g.is_domain:
            current = g
            order.append(g)
            members[g.name] = []
        elif current is not None:
            members[current.name].append(g)
    for domain in order:
        title = _("Domain %(name)s: aspects") % {"name": domain.name}
        charts.append(build_chart(title, members[domain.name], scores, high))
    return charts


def logo_data_uri(data: ReportData) -> str:
    """The agency's logo inlined as a data: URI (the PDF fetcher loads nothing else)."""
    logo = data.period.agency.logo
    if not logo:
        return ""
    try:
        with logo.open("rb") as handle:
            raw = handle.read(2_000_000)
    except (OSError, ValueError):
        return ""
    kind = mimetypes.guess_type(logo.name or "")[0] or "image/png"
    if not kind.startswith("image/"):
        return ""
    return f"data:{kind};base64,{base64.b64encode(raw).decode()}"


def report_context(data: ReportData) -> dict[str, Any]:
    agency = data.period.agency
    region = agency.region.name if agency.region_id and agency.region else ""
    # A city signs in its own name ("Kendari"); elsewhere the place is written by hand.
    place = region[5:].title() if region.upper().startswith("KOTA ") else ""
    headline = next((s for s in data.scores.series if s.key == data.headline), None)
    return {
        "data": data,
        "period": data.period,
        "agency": agency,
        "agency_title": data.agency_title,
        "scores": data.scores,
        "headline": headline,
        "charts": charts_for(data),
        "legend": [(s.label, COLOURS.get(s.key, "#777777")) for s in data.scores.series],
        "chart_width": CHART_WIDTH,
        "bar_height": BAR_HEIGHT,
        "logo": logo_data_uri(data),
        "place": place,
        "gaps": data.gaps[:15],
        "series_rows": [(s, exact_display(s.index)) for s in data.scores.series],
        "group_rows": [
            (g, [(c, exact_display(c.value)) for c in g.values]) for g in data.scores.groups
        ],
    }


def render_html(data: ReportData) -> str:
    return render_to_string(TEMPLATE, report_context(data))


def _document(html: str) -> Any:
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    return weasyprint.HTML(string=html, base_url=".", url_fetcher=fetcher).render()


def render_pdf(data: ReportData) -> bytes:
    """The report as PDF bytes."""
    pdf: bytes = _document(render_html(data)).write_pdf()
    return pdf


def page_count(html: str) -> int:
    """How many pages `html` prints to (for tests and checks)."""
    return len(_document(html).pages)
