"""PDFs of the catalog: the proposal dossier and the register documents, rendered from
templates by WeasyPrint with a fetcher that loads nothing but inline data."""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ProposalStatus
from .models import Proposal

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def explain(candidates: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Candidates with a readable label on each reason."""
    labels = {
        "ral": _("Same RAL service code"),
        "rab": _("Same RAB business process"),
        "data": _("Shared data"),
        "text": _("Matching words"),
        "name": _("Similar name"),
    }
    bands = {"high": _("high"), "medium": _("medium"), "low": _("low")}
    statuses = dict(ProposalStatus.choices)
    return [
        {
            **c,
            "band_label": bands.get(c.get("band", ""), c.get("band", "")),
            "proposal_status_label": str(statuses.get(c.get("proposal_status", ""), "")),
            "reasons": [
                {**r, "label": labels.get(r["kind"], r["kind"])} for r in c.get("reasons", [])
            ],
        }
        for c in candidates
    ]


def pdf_bytes(html: str) -> bytes:
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})
    pdf: bytes = weasyprint.HTML(string=html, base_url=".", url_fetcher=fetcher).write_pdf()
    return pdf


def dossier_html(proposal: Proposal) -> str:
    from .services_proposals import complete_snapshot

    return render_to_string(
        "catalog/dossier_pdf.html",
        {
            "proposal": proposal,
            "codes": list(proposal.reference_codes.order_by("code")),
            "elements": list(proposal.data_elements.order_by("name")),
            "candidates": explain(
                complete_snapshot(proposal.agency, list(proposal.duplicate_check or []))
            ),
            "printed_at": timezone.localtime(),
        },
    )


def render_dossier(proposal: Proposal) -> bytes:
    """Everything about a proposal in one PDF: the request, the duplicate check, the decision."""
    return pdf_bytes(dossier_html(proposal))
