"""What last year's SPBE period offers a Pemdi indicator (evidence to reuse, suggested leads),
computed once per period and request so that a list of indicators costs a fixed number of
queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template

from ..migration_pemdi import ReusableEvidence, ReuseSuggestion, reuse_suggestions
from ..models import Assessment
from ..permissions import edit_refusal, evidence_visible_to

register = template.Library()
SHOWN = 10  # reusable items listed on an indicator's page


@dataclass
class ReusePanel:
    """One assessment's suggestion as the user may see it."""

    suggestion: ReuseSuggestion
    evidence: list[ReusableEvidence] = field(default_factory=list)
    can_attach: bool = False
    level: int = 1
    more: int = 0  # visible items beyond the ones shown

    @property
    def pending_count(self) -> int:
        return sum(1 for item in self.evidence if not item.attached)


def _period_suggestions(
    request: Any, assessment: Assessment, *, whole_period: bool = True
) -> dict[int, ReuseSuggestion]:
    """Suggestions for every assessment of the period (a list page), or for this one only
    (its own page), cached on the request."""
    cache: dict[int, dict[int, ReuseSuggestion]] = getattr(request, "_pemdi_reuse", None) or {}
    period = assessment.period
    if period.pk not in cache:
        if not period.instrument.is_decimal:
            cache[period.pk] = {}
        elif whole_period:
            rows = period.assessments.select_related("indicator")
            cache[period.pk] = reuse_suggestions(period, rows)
        else:
            cache[period.pk] = reuse_suggestions(period, [assessment])
        if request is not None:
            request._pemdi_reuse = cache
    return cache[period.pk]


def _visible_ids(request: Any, assessment: Assessment, wanted: set[int]) -> set[int]:
    """The evidence (of `wanted`) the user may see, cached on the request."""
    user = getattr(request, "user", None)
    seen: dict[int, bool] = getattr(request, "_pemdi_reuse_visible", None) or {}
    missing = wanted - set(seen)
    if missing:
        visible = set(
            evidence_visible_to(user, assessment.period.agency)
            .filter(pk__in=missing)
            .values_list("pk", flat=True)
        )
        seen.update({pk: pk in visible for pk in missing})
        if request is not None:
            request._pemdi_reuse_visible = seen
    return {pk for pk in wanted if seen[pk]}


@register.simple_tag(takes_context=True)
def pemdi_reuse_for(
    context: template.Context, assessment: Assessment, mode: str = ""
) -> ReusePanel | None:
    """The reuse panel of one Pemdi assessment, or None when there is nothing to show (an
    instrument other than Pemdi, no earlier SPBE period, nothing mapped). Mode "leads" (the
    assignment page) leaves out the attach buttons."""
    request = context.get("request")
    whole = mode == "leads"  # the assignment page lists every indicator of the period
    suggestion = _period_suggestions(request, assessment, whole_period=whole).get(assessment.pk)
    if suggestion is None or not (suggestion.evidence or suggestion.leads):
        return None
    everything = _period_suggestions(request, assessment).values()
    visible = _visible_ids(
        request, assessment, {e.evidence.pk for s in everything for e in s.evidence}
    )
    shown = [e for e in suggestion.evidence if e.evidence.pk in visible]
    panel = ReusePanel(suggestion, shown)
    if mode != "leads" and len(shown) > SHOWN:
        # Not yet attached first; a page of a hundred attach buttons helps nobody.
        ordered = sorted(shown, key=lambda e: e.attached)
        panel.evidence, panel.more = ordered[:SHOWN], len(shown) - SHOWN
    if mode != "leads" and request is not None:
        panel.can_attach = not edit_refusal(request.user, assessment)
        instrument = assessment.period.instrument
        panel.level = assessment.claimed_level or instrument.min_level
    return panel
