"""What both reports show, collected once per period with a fixed, small number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import formats
from django.utils.text import slugify

from ..choices import AssessmentStatus, EvidenceKind, PlanStatus
from ..index import SERIES, PeriodScores, item_value, scores_for_period, shape_for
from ..models import (
    Aspect,
    Assessment,
    Comment,
    Domain,
    EvidenceFile,
    EvidenceLink,
    Period,
    PlanStep,
    Recommendation,
    TargetPlan,
)
from ..scoring import Value, compute, round_half_up

Number = int | Decimal


def number_display(value: Number | None) -> str:
    """A level as it is ("3"), a decimal value with two places in the active language ("1,26")."""
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return str(formats.number_format(value, 2))
    return str(value)


def exact_display(value: Decimal, places: int = 6) -> str:
    """An exact figure in the active language with the digits it has, at least two and at
    most `places` ("1,605", "1,0857")."""
    exponent = value.normalize().as_tuple().exponent
    digits = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return str(formats.number_format(value, min(max(digits, 2), places)))


@dataclass
class EvidenceRow:
    level: int
    title: str
    kind: str
    number: str
    date: datetime.date | None
    link: str

    def as_text(self) -> str:
        parts = [f"L{self.level}", self.title]
        if self.number:
            parts.append(self.number)
        if self.date:
            parts.append(self.date.strftime("%d-%m-%Y"))
        text = " · ".join(parts)
        return f"{text} — {self.link}" if self.link else text


@dataclass
class IndicatorRow:
    pk: int
    number: int
    code: str
    name: str
    slot: int
    slots: int
    service_name: str
    aspect_id: int
    domain_id: int | None
    lead_unit: str
    status: str
    status_label: str
    claimed: Number | None
    validated: Number | None
    external: Number | None
    explanation: str
    evidence: list[EvidenceRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # Pemdi: scored from another agency's index (IK5, IK6, IK7, IK18)
    external_source: str = ""
    index_recorded: bool = False

    @property
    def is_external_index(self) -> bool:
        return bool(self.external_source)

    @property
    def claimed_display(self) -> str:
        return number_display(self.claimed)

    @property
    def validated_display(self) -> str:
        return number_display(self.validated)

    @property
    def external_display(self) -> str:
        return number_display(self.external)

    @property
    def source_text(self) -> str:
        """Where the value of an external-index indicator comes from, and whether it is recorded."""
        from django.utils.translation import gettext as _

        if not self.external_source:
            return ""
        if self.index_recorded:
            return _("Scored from %(source)s: result recorded") % {"source": self.external_source}
        return _("Scored from %(source)s: not recorded, counts at the default") % {
            "source": self.external_source
        }

    @property
    def label(self) -> str:
        """Number and name, with the slot and sector service for multi-slot indicators."""
        text = f"{self.code}. {self.name}"
        if self.slots > 1:
            text += f" ({self.slot})"
        return text

    @property
    def evidence_text(self) -> str:
        return "\n".join(e.as_text() for e in self.evidence)

    @property
    def notes_text(self) -> str:
        return "\n".join(self.notes)


@dataclass
class Group:
    """A sheet of the workbook: a domain, or an aspect for instruments without domains."""

    code: str
    name: str
    rows: list[IndicatorRow]


@dataclass
class Gap:
    row: IndicatorRow
    level: Number
    gain: str

    @property
    def level_display(self) -> str:
        return number_display(self.level)


@dataclass
class ReportData:
    period: Period
    scores: PeriodScores
    rows: list[IndicatorRow]
    groups: list[Group]
    domains: list[Domain]
    aspects: list[Aspect]
    status_counts: list[tuple[str, int]]
    gaps: list[Gap]
    headline: str
    plan: TargetPlan | None
    steps: list[PlanStep]
    recommendations: list[Recommendation]
    generated_on: datetime.date

    @property
    def agency_title(self) -> str:
        name = self.period.agency.name
        return name if name.lower().startswith("pemerintah") else f"Pemerintah {name}"

    @property
    def is_decimal(self) -> bool:
        return self.period.instrument.is_decimal

    def filename(self, extension: str) -> str:
        slug = self.period.agency.slug or slugify(self.period.agency.name)
        kind = "pemdi" if self.is_decimal else "spbe"
        return f"laporan-{kind}-{slug}-{self.period.year}.{extension}"


def _download_url(evidence_id: int, version: int) -> str:
    path = reverse("evaluation:evidence_download", args=[evidence_id, version])
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _evidence_by_assessment(period: Period) -> dict[int, list[EvidenceRow]]:
    """Two queries: the links with their evidence, and the latest file version per item."""
    links = list(
        EvidenceLink.objects.filter(assessment__period=period)
        .select_related("evidence")
        .only(
            "assessment_id",
            "level",
            "evidence__title",
            "evidence__kind",
            "evidence__url",
            "evidence__document_number",
            "evidence__document_date",
        )
        .order_by("assessment_id", "level", "added_at", "pk")
    )
    latest = dict(
        EvidenceFile.objects.filter(evidence__links__assessment__period=period)
        .values("evidence_id")
        .annotate(latest=Max("version"))
        .values_list("evidence_id", "latest")
    )
    kinds = {value: str(label) for value, label in EvidenceKind.choices}
    out: dict[int, list[EvidenceRow]] = {}
    for link in links:
        e = link.evidence
        url = e.url or (_download_url(e.pk, latest[e.pk]) if e.pk in latest else "")
        out.setdefault(link.assessment_id, []).append(
            EvidenceRow(
                link.level,
                e.title,
                kinds.get(e.kind, e.kind),
                e.document_number,
                e.document_date,
                url,
            )
        )
    return out


def _comments_by_assessment(period: Period) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    comments = Comment.objects.filter(assessment__period=period).select_related("author")
    for c in comments.order_by("assessment_id", "created_at", "pk"):
        author = (c.author.get_full_name() or c.author.username) if c.author else "—"
        stamp = c.created_at.strftime("%d-%m-%Y")
        out.setdefault(c.assessment_id, []).append(f"{author} ({stamp}): {c.body}")
    return out


def _value(a: Assessment, attribute: str) -> Number | None:
    """What the row shows in one series: the level on a whole-level instrument; on a decimal
    one the value that counts (an external index at its recorded result, else its default)."""
    if not a.period.instrument.is_decimal:
        level: int | None = getattr(a, attribute)
        return level
    value = item_value(a, attribute)
    if value is None:
        return a.indicator.external_default
    return Decimal(value).quantize(Decimal("0.01"))


def _row(a: Assessment, evidence: list[EvidenceRow], comments: list[str]) -> IndicatorRow:
    from django.utils.translation import gettext as _

    notes = [_("Reason for return: %(reason)s") % {"reason": a.return_reason}]
    if a.validation_reason:
        notes.append(_("Validation: %(reason)s") % {"reason": a.validation_reason})
    ind = a.indicator
    return IndicatorRow(
        pk=a.pk,
        number=ind.number,
        code=ind.code,
        name=ind.name,
        slot=a.slot,
        slots=ind.slots,
        service_name=a.service_name,
        aspect_id=ind.aspect_id,
        domain_id=ind.aspect.domain_id,
        lead_unit=a.lead_unit.name if a.lead_unit else "",
        status=a.status,
        status_label=str(a.get_status_display()),
        claimed=_value(a, "claimed_level"),
        validated=_value(a, "validated_level"),
        external=_value(a, "external_level"),
        explanation=a.explanation,
        evidence=evidence,
        notes=(notes if a.return_reason else notes[1:]) + comments,
        external_source=ind.external_source if ind.is_external_index else "",
        index_recorded=a.index_value is not None,
    )


def _groups(rows: list[IndicatorRow], domains: list[Domain], aspects: list[Aspect]) -> list[Group]:
    if domains:
        return [Group(d.code, d.name, [r for r in rows if r.domain_id == d.pk]) for d in domains]
    return [Group(a.code, a.name, [r for r in rows if r.aspect_id == a.pk]) for a in aspects]


def headline_series(scores: PeriodScores) -> str:
    """The series the report leads with: the one with most levels filled in, the later series
    (external, then validated) winning a tie; the self-assessment while nothing is filled."""
    best = max(reversed(scores.series), key=lambda s: s.filled)
    return best.key if best.filled else scores.series[0].key


def gaps_for(period: Period, assessments: list[Assessment], series: str) -> list[Gap]:
    """For each scored item below the top level: what raising it to the top adds to the index,
    computed by the index engine itself; largest gains first."""
    shape = shape_for(period.instrument)
    attribute = next(attr for key, attr, _label in SERIES if key == series)
    levels: dict[tuple[int, int], Value | None] = {
        (a.indicator.number, a.slot): item_value(a, attribute) for a in assessments
    }
    base = compute(shape, levels)
    gaps: list[tuple[Assessment, Value, Decimal]] = []
    for a in assessments:
        if a.indicator.is_external_index:  # raised by another agency's index, not planned here
            continue
        key = (a.indicator.number, a.slot)
        level = base.levels[key]
        if level >= shape.max_level:
            continue
        raised = compute(shape, {**levels, key: shape.max_level})
        gaps.append((a, level, raised.index - base.index))
    gaps.sort(key=lambda g: (-g[2], g[0].indicator.number, g[0].slot))
    cent = Decimal("0.01")
    return [
        Gap(
            _row(a, [], []),
            Decimal(level).quantize(cent) if shape.decimal_values else level,
            f"{round_half_up(gain, 3):.3f}",
        )
        for a, level, gain in gaps
    ]


def collect(period: Period, *, today: datetime.date | None = None) -> ReportData:
    """Everything the workbook and the PDF show; about a dozen queries whatever the size."""
    from ..permissions import today_in

    assessments = list(
        period.assessments.select_related(
            "indicator__aspect__domain", "lead_unit", "period__instrument"
        ).order_by("indicator__number", "slot")
    )
    evidence = _evidence_by_assessment(period)
    comments = _comments_by_assessment(period)
    rows = [_row(a, evidence.get(a.pk, []), comments.get(a.pk, [])) for a in assessments]
    domains = list(Domain.objects.filter(instrument=period.instrument).order_by("position"))
    aspects = list(Aspect.objects.filter(instrument=period.instrument).order_by("position"))
    scores = scores_for_period(period, assessments)
    counts = dict.fromkeys(AssessmentStatus.values, 0)
    for a in assessments:
        counts[a.status] += 1
    series = headline_series(scores)
    plan = (
        TargetPlan.objects.filter(period=period, status=PlanStatus.ACTIVE)
        .order_by("-created_at", "-pk")
        .first()
    )
    steps = (
        list(plan.steps.select_related("assessment__indicator", "unit")) if plan is not None else []
    )
    recommendations = list(
        Recommendation.objects.filter(period=period).select_related("indicator", "owner_unit")
    )
    return ReportData(
        period=period,
        scores=scores,
        rows=rows,
        groups=_groups(rows, domains, aspects),
        domains=domains,
        aspects=aspects,
        status_counts=[(str(AssessmentStatus(s).label), n) for s, n in counts.items()],
        gaps=gaps_for(period, assessments, series),
        headline=series,
        plan=plan,
        steps=steps,
        recommendations=recommendations,
        generated_on=today or today_in(period.agency),
    )
