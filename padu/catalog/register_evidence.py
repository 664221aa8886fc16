"""Evidence from the register: the application inventory, the integration map and the
architecture mapping as XLSX or PDF, filed in the evidence library and attached to the
related indicators of a period in one step."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from padu.organizations.models import Agency, Unit

from . import architecture as arch
from . import graph
from .dossier import pdf_bytes
from .models import Application, Integration, ReferenceCode, Service

DEFAULT_INDICATORS = ("4", "11", "15", "18")
ARTEFACTS = {
    "inventory": gettext_lazy("Application inventory"),
    "integrations": gettext_lazy("Integration map"),
    "architecture": gettext_lazy("Architecture mapping"),
}


@dataclass
class Document:
    slug: str
    title: str
    agency: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _apps(agency: Agency) -> list[Application]:
    return list(
        Application.objects.filter(agency=agency)
        .select_related("owner_unit", "national")
        .prefetch_related("reference_codes")
        .order_by("owner_unit__name", "name")
    )


def inventory(agency: Agency) -> Document:
    doc = Document(
        "inventory",
        str(ARTEFACTS["inventory"]),
        agency.name,
        [
            _("Name"),
            _("Acronym"),
            _("Owner OPD"),
            _("Type"),
            _("Category"),
            _("Lifecycle"),
            _("Hosting"),
            _("Reference architecture"),
            _("Address"),
        ],
    )
    for a in _apps(agency):
        doc.rows.append(
            [
                a.name,
                a.acronym,
                a.owner_unit.name,
                a.get_kind_display(),
                a.get_category_display(),
                a.get_lifecycle_display(),
                a.get_hosting_display(),
                ", ".join(sorted(c.code for c in a.reference_codes.all())),
                a.url,
            ]
        )
    return doc


def integrations(agency: Agency) -> Document:
    doc = Document(
        "integrations",
        str(ARTEFACTS["integrations"]),
        agency.name,
        [_("Provider"), _("Consumer"), _("Method"), _("Data exchanged"), _("Status")],
    )
    qs = Integration.objects.filter(agency=agency).select_related(
        "provider", "provider_national", "consumer"
    )
    pairs = []
    for i in qs.order_by("consumer__name"):
        provider = i.provider.name if i.provider else f"{i.provider_national} ({_('national')})"
        doc.rows.append(
            [
                provider,
                i.consumer.name,
                i.get_method_display(),
                i.data_exchanged,
                i.get_status_display(),
            ]
        )
        pairs.append(
            (
                f"a{i.provider_id}" if i.provider_id else f"n{i.provider_national_id}",
                f"a{i.consumer_id}",
            )
        )
    apps = _apps(agency)
    keys = [f"a{a.pk}" for a in apps]
    islands = set(graph.islands(keys, pairs))
    doc.notes.append(
        _("Share of applications integrated: %(share)s%%.")
        % {"share": graph.share_integrated(keys, pairs)}
    )
    doc.notes.append(
        _("Islands: %(names)s.")
        % {"names": ", ".join(a.name for a in apps if f"a{a.pk}" in islands) or "—"}
    )
    return doc


def architecture_views(agency: Agency) -> dict[str, Any]:
    """Coverage and redundancy of the agency's register (used by the page and the export)."""
    codes = ReferenceCode.objects.filter(version__is_current=True).filter(
        Q(agency__isnull=True) | Q(agency=agency)
    )
    names = dict(codes.values_list("code", "name"))
    areas = {c: n for c, n in names.items() if c[:3] in arch.MODELS and arch.level_of(c) == 2}

    def entries(qs: Any) -> list[arch.Entry]:
        return [
            arch.Entry(
                key=str(o.pk),
                name=o.name,
                unit=o.owner_unit.acronym or o.owner_unit.name,
                codes=frozenset(c.code for c in o.reference_codes.all()),
            )
            for o in qs.select_related("owner_unit").prefetch_related("reference_codes")
        ]

    apps = entries(Application.objects.filter(agency=agency))
    rows = arch.coverage(areas, apps, entries(Service.objects.filter(agency=agency)))
    covered, total = arch.coverage_share(rows)
    return {
        "coverage": rows,
        "covered": covered,
        "total": total,
        "redundancy": arch.redundancy(apps, names),
        "by_unit": arch.by_unit(rows),
    }


def architecture_doc(agency: Agency) -> Document:
    views = architecture_views(agency)
    doc = Document(
        "architecture",
        str(ARTEFACTS["architecture"]),
        agency.name,
        [_("Area"), _("Name"), _("Services"), _("Applications"), _("OPD")],
    )
    for r in views["coverage"]:
        if r.covered:
            doc.rows.append(
                [
                    r.code,
                    r.name,
                    "; ".join(r.services),
                    "; ".join(r.applications),
                    ", ".join(r.units),
                ]
            )
    doc.notes.append(
        _("%(covered)s of %(total)s level-2 areas have services or applications.")
        % {"covered": views["covered"], "total": views["total"]}
    )
    for r in views["redundancy"]:
        doc.notes.append(
            _("Overlap on %(code)s %(name)s: %(apps)s.")
            % {"code": r.code, "name": r.name, "apps": ", ".join(r.applications)}
        )
    return doc


BUILDERS = {"inventory": inventory, "integrations": integrations, "architecture": architecture_doc}


def build(agency: Agency, slug: str) -> Document:
    if slug not in BUILDERS:
        raise ValueError(slug)
    return BUILDERS[slug](agency)


def to_xlsx(doc: Document) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = doc.slug[:31]
    ws.append([f"{doc.title} — {doc.agency}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([])
    ws.append(doc.headers)
    for cell in ws[3]:
        cell.font = Font(bold=True)
    for row in doc.rows:
        ws.append([str(v) if v is not None else "" for v in row])
    ws.append([])
    for note in doc.notes:
        ws.append([note])
    for column, width in zip("ABCDEFGHI", (34, 14, 30, 22, 22, 16, 22, 30, 34), strict=False):
        ws.column_dimensions[column].width = width
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(doc: Document) -> bytes:
    html = render_to_string(
        "catalog/dossier_register_pdf.html", {"doc": doc, "printed_at": timezone.localtime()}
    )
    return pdf_bytes(html)


def render(agency: Agency, slug: str, fmt: str) -> tuple[bytes, str, str]:
    """(content, file name, content type)."""
    doc = build(agency, slug)
    stamp = timezone.localdate().isoformat()
    if fmt == "xlsx":
        return (
            to_xlsx(doc),
            f"{slug}-{stamp}.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    return to_pdf(doc), f"{slug}-{stamp}.pdf", "application/pdf"


def default_indicator_codes(period: Any | None) -> list[str]:
    """The suggested indicators: 4, 11, 15 and 18 of 59/2020, or on a Pemdi period their
    successors through the SPBE -> Pemdi mapping (external-index indicators left out)."""
    from padu.evaluation.migration_pemdi import mapping_between
    from padu.evaluation.models import Instrument

    if period is None or not period.instrument.is_decimal:
        return list(DEFAULT_INDICATORS)
    spbe = Instrument.objects.filter(agency__isnull=True, code="permenpanrb-59-2020").first()
    mapping = mapping_between(spbe, period.instrument) if spbe is not None else None
    if mapping is None:
        return list(DEFAULT_INDICATORS)
    numbers = {n for code in DEFAULT_INDICATORS for n in mapping.targets(int(code))}
    return list(
        period.instrument.indicators.filter(number__in=numbers, external_default__isnull=True)
        .order_by("number")
        .values_list("code", flat=True)
    )


def parse_indicator_codes(text: str) -> list[str]:
    return [c for c in dict.fromkeys(text.replace(";", ",").replace(" ", ",").split(",")) if c]


@transaction.atomic
def attach_register_evidence(
    *,
    actor: Any,
    agency: Agency,
    owner_unit: Unit,
    artefact: str,
    fmt: str,
    period: Any,
    indicator_codes: list[str],
    level: int,
) -> tuple[Any, list[Any]]:
    """Render the document, file it as evidence, attach it to the indicators at `level`.

    Every refusal is checked before anything is written: all indicators or none."""
    from padu.evaluation.models import Assessment
    from padu.evaluation.permissions import can_manage_evaluation, edit_refusal
    from padu.evaluation.services_assessment import attach_evidence
    from padu.evaluation.services_evidence import create_evidence

    if not can_manage_evaluation(actor, agency):
        raise PermissionDenied
    if period.agency_id != agency.pk:
        raise ValidationError({"period": _("This period belongs to another agency.")})
    instrument = period.instrument
    if not instrument.min_level <= level <= instrument.max_level:
        raise ValidationError(
            {
                "level": _("The level must be between %(min)s and %(max)s.")
                % {"min": instrument.min_level, "max": instrument.max_level}
            }
        )
    assessments = list(
        Assessment.objects.filter(period=period, indicator__code__in=indicator_codes)
        .select_related("indicator", "period__agency", "period__instrument")
        .order_by("indicator__number", "slot")
    )
    found = {a.indicator.code for a in assessments}
    missing = [c for c in indicator_codes if c not in found]
    if missing or not indicator_codes:
        raise ValidationError(
            {
                "indicators": _("No such indicator in this period: %(codes)s.")
                % {"codes": ", ".join(missing) or "—"}
            }
        )
    refusals = [f"{a.indicator.code}: {r}" for a in assessments if (r := edit_refusal(actor, a))]
    if refusals:
        raise ValidationError({"indicators": refusals})
    content, name, _type = render(agency, artefact, fmt)
    upload = ContentFile(content, name=name)
    evidence = create_evidence(
        actor=actor,
        agency=agency,
        owner_unit=owner_unit,
        title=f"{ARTEFACTS[artefact]} {agency.name} ({timezone.localdate():%d-%m-%Y})",
        kind="laporan",
        upload=upload,
        document_date=timezone.localdate(),
        description=_("Generated from the application register by Padu."),
    )
    links = [
        attach_evidence(actor=actor, assessment=a, evidence=evidence, level=level)
        for a in assessments
    ]
    return evidence, links
