"""Indicators scored from another agency's index (Pemdi IK5 Satu Data, IK6 geospatial,
IK7 EPSS, IK18 interoperability): recording the issuing agency's result, what the indicator
counts at, and the agency's own facts from Padu shown beside IK5 and IK18."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.audit import services as audit
from padu.organizations.models import Agency

from .models import Assessment, Evidence
from .permissions import can_manage_evaluation
from .values import check_scale, shown

SATU_DATA = "IK5"
INTEROPERABILITY = "IK18"


@dataclass(frozen=True)
class IndexStatus:
    """What an external-index indicator counts at, and the recorded result if any."""

    source: str  # the issuing agency's index named by the instrument
    counts_at: Decimal
    is_default: bool

    @property
    def display(self) -> str:
        """The value in the active language ("1,26")."""
        return shown(self.counts_at)


def index_status(a: Assessment) -> IndexStatus | None:
    """None for an indicator assessed from evidence."""
    indicator = a.indicator
    if indicator.external_default is None:
        return None
    if a.index_value is not None:
        return IndexStatus(indicator.external_source, a.index_value, False)
    return IndexStatus(indicator.external_source, indicator.external_default, True)


def _check(actor: Any, assessment: Assessment) -> None:
    if not can_manage_evaluation(actor, assessment.period.agency):
        raise PermissionDenied(_("Only the SPBE coordinator records an index result."))
    if not assessment.indicator.is_external_index:
        raise ValidationError(
            _("Indicator %(code)s is assessed from evidence, not from another agency's index.")
            % {"code": assessment.indicator.code}
        )


def _lock(a: Assessment) -> Assessment:
    return (
        Assessment.objects.select_for_update()
        .select_related("period__agency", "period__instrument", "indicator")
        .get(pk=a.pk)
    )


@transaction.atomic
def record_index_result(
    *,
    actor: Any,
    assessment: Assessment,
    value: Decimal,
    source: str,
    date: datetime.date | None,
    evidence: Evidence | None = None,
) -> Assessment:
    """The koordinator records the issuing agency's result (value 1.00-5.00 with its source,
    date and optionally the letter or report); the indicator counts at it in every series."""
    _check(actor, assessment)
    current = _lock(assessment)
    instrument = current.period.instrument
    errors: dict[str, list[str]] = {}
    try:
        value = check_scale(
            value,
            label=str(_("Index value")),
            min_level=instrument.min_level,
            max_level=instrument.max_level,
        )
    except ValidationError as exc:
        errors["value"] = exc.messages
    source = source.strip()
    if not source:
        errors["source"] = [
            _("Source: name where the result comes from, for example EPSS (BPS) 2026.")
        ]
    if date is None:
        errors["date"] = [_("Date: give the date of the result.")]
    elif date > timezone.localdate():
        errors["date"] = [_("Date: the result cannot be dated in the future.")]
    if evidence is not None and (
        evidence.agency_id != current.period.agency_id or evidence.is_archived
    ):
        errors["evidence"] = [_("Letter or report: choose an item of this agency's library.")]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(current, exclude=("updated_at",))
    current.index_value = value
    current.index_source = source[:300]
    current.index_date = date
    current.index_evidence = evidence
    current.index_recorded_by = actor
    current.index_recorded_at = timezone.now()
    current.revision += 1
    current.save()
    audit.record_update(
        current,
        before,
        actor=actor,
        agency=current.period.agency,
        reason=_("Index result recorded: %(value)s from %(source)s")
        % {"value": shown(value), "source": source},
    )
    return current


@transaction.atomic
def clear_index_result(*, actor: Any, assessment: Assessment) -> Assessment:
    """Take the recorded result off: the indicator counts at its default again (audited)."""
    _check(actor, assessment)
    current = _lock(assessment)
    if current.index_value is None:
        raise ValidationError(_("No index result is recorded for this indicator."))
    before = audit.snapshot(current, exclude=("updated_at",))
    current.index_value = None
    current.index_source = ""
    current.index_date = None
    current.index_evidence = None
    current.index_recorded_by = None
    current.index_recorded_at = None
    current.revision += 1
    current.save()
    audit.record_update(
        current,
        before,
        actor=actor,
        agency=current.period.agency,
        reason=_("Index result cleared; the indicator counts at its default again."),
    )
    return current


# --- supporting facts from Padu (read-only) ----------------------------------------


@dataclass(frozen=True)
class SatuDataFacts:
    """Beside IK5: the agency's datasets, how many have complete metadata, how many are out."""

    kind = "satu_data"  # for the template

    datasets: int
    complete_metadata: int
    published: int  # datasets with a release not withdrawn
    releases: int


@dataclass(frozen=True)
class InteropFacts:
    """Beside IK18: integrations between applications in the catalog."""

    kind = "interoperability"

    active: int
    planned: int
    national: int  # active ones fed by a national application


def satu_data_facts(agency: Agency) -> SatuDataFacts:
    """Two queries: the datasets with their release counts, and their elements."""
    from padu.databank.completeness_metadata import dataset_completeness
    from padu.databank.models import Dataset

    live = Q(releases__withdrawn_at__isnull=True)
    datasets = list(
        Dataset.objects.filter(agency=agency)
        .annotate(n_releases=Count("releases", filter=live))
        .prefetch_related("elements")
    )
    return SatuDataFacts(
        datasets=len(datasets),
        complete_metadata=sum(1 for d in datasets if dataset_completeness(d).complete),
        published=sum(1 for d in datasets if d.n_releases),  # type: ignore[attr-defined]
        releases=sum(d.n_releases for d in datasets),  # type: ignore[attr-defined]
    )


def interop_facts(agency: Agency) -> InteropFacts:
    """One query over the agency's integrations."""
    from padu.catalog.choices import IntegrationStatus
    from padu.catalog.models import Integration

    active = Q(status=IntegrationStatus.ACTIVE)
    counts = Integration.objects.filter(agency=agency).aggregate(
        active=Count("pk", filter=active),
        planned=Count("pk", filter=Q(status=IntegrationStatus.PLANNED)),
        national=Count("pk", filter=active & Q(provider_national__isnull=False)),
    )
    return InteropFacts(**counts)


def supporting_facts(a: Assessment) -> SatuDataFacts | InteropFacts | None:
    """The agency's own facts beside IK5 and IK18 of a Pemdi period; None elsewhere."""
    if not a.indicator.is_external_index:
        return None
    if a.indicator.code == SATU_DATA:
        return satu_data_facts(a.period.agency)
    if a.indicator.code == INTEROPERABILITY:
        return interop_facts(a.period.agency)
    return None
