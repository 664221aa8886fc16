"""Open data publishing: the walidata turns accepted values into an immutable release.

Decisions (see docs in the final report):
- What is published: a value whose own status is *accepted*, or any value not *returned*
  in a submission (dataset, region, period) that was accepted as a whole.
- Access classes: elements classed *terbatas* or *tertutup* are never published; a dataset
  with only such elements cannot be published.
- Small counts: an element with `suppress_below` n publishes numbers below n as "<n".
- A release never changes after it is written (new figures make a new version); a withdrawal
  only stamps `withdrawn_at` and the reason, the rows stay for the record.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from padu.audit import services as audit

from . import periods as period_codes
from .choices import AccessClass, SubmissionStatus, ValueStatus
from .ckan import forget_catalogue
from .models import DataElement, Dataset, DataValue, Release, ReleaseRow, Submission
from .permissions import is_custodian
from .release_files import Row, csv_bytes, json_bytes, published_value, sha256, xlsx_bytes

HIDDEN_CLASSES = (AccessClass.RESTRICTED, AccessClass.CLOSED)


@dataclass
class Preview:
    """What a release of these periods would hold."""

    rows: list[Row] = field(default_factory=list)
    suppressed: int = 0
    periods: list[str] = field(default_factory=list)
    hidden_elements: list[DataElement] = field(default_factory=list)

    @property
    def row_count(self) -> int:
        return len(self.rows)


def open_elements(dataset: Dataset) -> tuple[list[DataElement], list[DataElement]]:
    """The dataset's elements in order, split into publishable and restricted/closed ones."""
    elements = [
        de.element
        for de in dataset.dataset_elements.select_related(
            "element", "element__producer", "element__category_combo"
        ).order_by("position", "pk")
    ]
    shown = [e for e in elements if e.access_class not in HIDDEN_CLASSES]
    hidden = [e for e in elements if e.access_class in HIDDEN_CLASSES]
    return shown, hidden


def _accepted_values(
    dataset: Dataset, elements: Sequence[DataElement], periods: Sequence[str]
) -> Iterator[DataValue]:
    """Accepted values, plus those not returned in a form accepted as a whole."""
    form_keys = set(
        Submission.objects.filter(
            dataset=dataset, period__in=periods, status=SubmissionStatus.ACCEPTED
        ).values_list("region_id", "period")
    )
    values = (
        DataValue.objects.filter(element__in=elements, period__in=periods)
        .exclude(status=ValueStatus.RETURNED)
        .select_related("region", "option_combo")
        .order_by("region_id", "period", "element_id", "option_combo__position", "option_combo_id")
    )
    for value in values.iterator(chunk_size=2000):
        if value.status == ValueStatus.ACCEPTED or (value.region_id, value.period) in form_keys:
            yield value


def publishable_periods(dataset: Dataset) -> list[str]:
    """Periods with at least one accepted value, newest first."""
    shown, _hidden = open_elements(dataset)
    by_value = set(
        DataValue.objects.filter(element__in=shown, status=ValueStatus.ACCEPTED)
        .values_list("period", flat=True)
        .distinct()
    )
    by_form = set(
        Submission.objects.filter(dataset=dataset, status=SubmissionStatus.ACCEPTED)
        .values_list("period", flat=True)
        .distinct()
    )
    valid = [p for p in by_value | by_form if period_codes.is_valid(p)]
    return sorted(valid, key=lambda p: period_codes.parse(p), reverse=True)


def preview_release(*, dataset: Dataset, periods: Sequence[str]) -> Preview:
    """The rows a release of `periods` would publish, suppression applied."""
    shown, hidden = open_elements(dataset)
    by_id = {e.pk: e for e in shown}
    preview = Preview(periods=sorted(set(periods)), hidden_elements=hidden)
    for value in _accepted_values(dataset, shown, preview.periods):
        element = by_id[value.element_id]
        text, suppressed = published_value(value.value, value.text, element.suppress_below)
        preview.suppressed += suppressed
        combo = value.option_combo
        preview.rows.append(
            Row(
                region_code=value.region_id,
                region_name=value.region.name,
                period=value.period,
                element_code=element.code,
                element_name=element.name,
                category="" if combo.code == "default" else combo.name,
                value=text,
                unit=element.unit_of_measure,
            )
        )
    return preview


def metadata_gaps(dataset: Dataset) -> list[str]:
    """What the metadata helper says is missing; [] when that module is not installed."""
    try:
        module = importlib.import_module("padu.databank.completeness_metadata")
    except ImportError:
        return []
    return [str(g) for g in module.dataset_metadata_gaps(dataset)]


def _element_metadata(element: DataElement) -> dict[str, Any]:
    return {
        "kode": element.code,
        "nama": element.name,
        "konsep": element.concept,
        "definisi": element.definition,
        "klasifikasi": element.classification,
        "ukuran": element.measure,
        "satuan": element.unit_of_measure,
        "tipe_nilai": element.value_type,
        "agregasi": element.aggregation,
        "disagregasi": element.category_combo.name,
        "produsen": str(element.producer) if element.producer else "",
        "klasifikasi_akses": element.access_class,
        "batas_sensor": element.suppress_below,
        "kode_bps": element.bps_code,
        "kode_sipd": element.sipd_code,
    }


def release_metadata(
    *, dataset: Dataset, elements: Sequence[DataElement], periods: Sequence[str], version: int
) -> dict[str, Any]:
    """The Satu Data metadata snapshot stored with the release."""
    return {
        "dataset": dataset.code,
        "judul": dataset.name,
        "deskripsi": dataset.description,
        "instansi": dataset.agency.name,
        "produsen": str(dataset.producer) if dataset.producer else dataset.agency.name,
        "walidata": dataset.agency.name,
        "frekuensi": dataset.period_type,
        "tingkat_wilayah": dataset.collection_level,
        "lisensi": dataset.licence,
        "tag": [t.strip() for t in dataset.tags.split(",") if t.strip()],
        "grup": dataset.group,
        "periode": list(periods),
        "versi": version,
        "elemen": [_element_metadata(e) for e in elements],
    }


def _check_can_publish(user: Any, dataset: Dataset, periods: Sequence[str]) -> None:
    if not is_custodian(user, dataset.agency):
        raise PermissionDenied
    if not periods:
        raise ValidationError({"periods": _("Choose at least one period.")})
    bad = [p for p in periods if not period_codes.is_valid(p)]
    if bad:
        raise ValidationError(
            {"periods": _("Not a period code: %(codes)s.") % {"codes": ", ".join(bad)}}
        )
    gaps = metadata_gaps(dataset)
    if gaps:
        raise ValidationError(_("The metadata is incomplete: %(gaps)s") % {"gaps": " ".join(gaps)})


@transaction.atomic
def publish_release(
    *, user: Any, dataset: Dataset, periods: Sequence[str], notes: str = ""
) -> Release:
    """Write the next version of `dataset`: rows, metadata snapshot, files and checksum."""
    _check_can_publish(user, dataset, periods)
    dataset = (
        Dataset.objects.select_for_update(of=("self",))
        .select_related("agency", "producer")
        .get(pk=dataset.pk)
    )
    preview = preview_release(dataset=dataset, periods=periods)
    shown, _hidden = open_elements(dataset)
    if not shown:
        raise ValidationError(
            _("Every element of this dataset is restricted or closed; nothing can be published.")
        )
    if not preview.rows:
        raise ValidationError({"periods": _("These periods have no accepted values yet.")})
    last = Release.objects.filter(dataset=dataset).aggregate(v=Max("version"))["v"] or 0
    version = last + 1
    metadata = release_metadata(
        dataset=dataset, elements=shown, periods=preview.periods, version=version
    )
    metadata["baris"] = preview.row_count
    metadata["disensor"] = preview.suppressed
    content = csv_bytes(preview.rows)
    files = {
        "csv": content,
        "xlsx": xlsx_bytes(preview.rows, metadata),
        "json": json_bytes(preview.rows, metadata),
    }
    metadata["ukuran_berkas"] = {fmt: len(data) for fmt, data in files.items()}
    release = Release(
        dataset=dataset,
        version=version,
        title=f"{dataset.name} v{version}",
        notes=notes,
        periods=preview.periods,
        metadata=metadata,
        row_count=preview.row_count,
        checksum=sha256(content),
        published_by=user if getattr(user, "is_authenticated", False) else None,
    )
    stem = f"{dataset.code.lower()}-v{version}"
    for fmt, data in files.items():
        getattr(release, f"{fmt}_file").save(f"{stem}.{fmt}", ContentFile(data), save=False)
    release.save()
    ReleaseRow.objects.bulk_create(
        (ReleaseRow(release=release, **row.__dict__) for row in preview.rows), batch_size=2000
    )
    audit.record_create(release, actor=user, agency=dataset.agency, reason=notes[:300])
    if not dataset.is_public:
        before = audit.snapshot(dataset)
        dataset.is_public = True
        dataset.save(update_fields=["is_public", "updated_at"])
        audit.record_update(dataset, before, actor=user, agency=dataset.agency)
    forget_catalogue()
    transaction.on_commit(forget_catalogue)
    return release


@transaction.atomic
def withdraw_release(*, user: Any, release: Release, reason: str) -> Release:
    """Stamp a release as withdrawn; its rows and files stay for the record."""
    if not is_custodian(user, release.dataset.agency):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the release is withdrawn.")})
    release = (
        Release.objects.select_for_update(of=("self",))
        .select_related("dataset__agency")
        .get(pk=release.pk)
    )
    if release.withdrawn_at is not None:
        raise ValidationError(_("This release was already withdrawn."))
    before = audit.snapshot(release)
    release.withdrawn_at = timezone.now()
    release.withdrawn_reason = reason[:300]
    release.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    audit.record_update(
        release, before, actor=user, agency=release.dataset.agency, reason=reason[:300]
    )
    forget_catalogue()
    transaction.on_commit(forget_catalogue)
    return release
