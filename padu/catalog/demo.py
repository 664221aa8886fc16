"""Demo register of Kota Kendari (idempotent): applications, services, integrations, a
proposal that the duplicate check flags, and the 2025-2029 roadmap. Data in
data/demo_kendari_register.yaml."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils import timezone

from padu.organizations.models import Agency, Unit

from .architecture import level_of
from .choices import ContactRole, ProposalStatus
from .duplicates import Index
from .models import (
    Application,
    Contact,
    Initiative,
    Integration,
    NationalApplication,
    Proposal,
    ReferenceCode,
    ReferenceVersion,
    Service,
)
from .reference_loader import VERSION_CODE, load_reference
from .selectors import application_item, proposal_item
from .services_roadmap import current_indicators

DATA = Path(__file__).parent / "data" / "demo_kendari_register.yaml"


def _codes(version: ReferenceVersion, agency: Agency, wanted: list[str]) -> list[ReferenceCode]:
    found = {
        c.code: c
        for c in ReferenceCode.objects.filter(version=version, code__in=wanted).filter(
            agency__isnull=True
        )
        | ReferenceCode.objects.filter(version=version, code__in=wanted, agency=agency)
    }
    missing = set(wanted) - set(found)
    if missing:
        raise ValueError(f"unknown reference codes in the demo register: {sorted(missing)}")
    return [found[c] for c in wanted]


def _agency_codes(version: ReferenceVersion, agency: Agency, rows: list[dict[str, str]]) -> None:
    """The agency's own codes, one level under a national code; never a national code's number."""
    national = set(
        ReferenceCode.objects.filter(version=version, agency__isnull=True).values_list(
            "code", flat=True
        )
    )
    taken = sorted(r["code"] for r in rows if r["code"] in national)
    if taken:
        raise ValueError(f"demo agency codes that the national reference already has: {taken}")
    for row in rows:
        parent = ReferenceCode.objects.get(version=version, code=row["parent"], agency__isnull=True)
        code, _ = ReferenceCode.objects.get_or_create(
            version=version,
            agency=agency,
            code=row["code"],
            defaults={
                "model": row["code"][:3],
                "name": row["name"],
                # The level is the number of dots, as in the national reference and the form.
                "level": level_of(row["code"]),
                "parent": parent,
            },
        )
        if code.level != level_of(code.code):  # seeded by an older demo (dots + 1)
            code.level = level_of(code.code)
            code.save(update_fields=["level"])


@transaction.atomic
def seed_catalog(agency: Agency, people: dict[str, Any]) -> None:
    doc = yaml.safe_load(DATA.read_text("utf-8"))
    version = ReferenceVersion.objects.filter(code=VERSION_CODE).first() or load_reference().version
    _agency_codes(version, agency, doc["agency_codes"])
    units = {u.acronym: u for u in Unit.objects.filter(agency=agency)}
    national = {n.key: n for n in NationalApplication.objects.all()}
    apps: dict[str, Application] = {}
    for row in doc["applications"]:
        app, created = Application.objects.get_or_create(
            agency=agency,
            name=row["name"],
            defaults={
                "acronym": row.get("acronym", ""),
                "description": row["text"],
                "owner_unit": units[row["owner"]],
                "operator_unit": units.get("Diskominfo") if row.get("hosting") == "pdd" else None,
                "kind": row["kind"],
                "category": row["category"],
                "national": national.get(row.get("national", "")),
                "url": row.get("url", ""),
                "hosting": row.get("hosting", ""),
                "technology": row.get("tech", ""),
                "single_sign_on": row.get("sso", False),
                "users": row.get("users", ""),
                "user_count": row.get("user_count"),
                "decision": row.get("decision", ""),
                "business_fit": row.get("bf"),
                "technical_fit": row.get("tf"),
                "yearly_cost": Decimal(row["cost"]) if row.get("cost") else None,
                "last_security_audit": row.get("audit"),
                "production_on": datetime.date(2020, 1, 1),
            },
        )
        if created:
            app.reference_codes.set(_codes(version, agency, row.get("codes", [])))
            Contact.objects.create(
                application=app,
                role=ContactRole.PIC,
                name=f"PIC {app.acronym or app.name}",
                organisation=app.owner_unit.acronym,
                email=f"{(app.acronym or 'app').lower()}@kendarikota.go.id",
            )
        apps[app.name] = app
        if app.acronym:
            apps.setdefault(app.acronym, app)
    for row in doc["integrations"]:
        provider, consumer = apps[row["provider"]], apps[row["consumer"]]
        Integration.objects.get_or_create(
            agency=agency,
            provider=provider,
            consumer=consumer,
            method=row["method"],
            defaults={"data_exchanged": row["data"], "status": row["status"]},
        )
    for row in doc["services"]:
        service, created = Service.objects.get_or_create(
            agency=agency,
            name=row["name"],
            defaults={
                "kind": row["kind"],
                "description": row["name"],
                "owner_unit": units[row["owner"]],
                "url": row.get("url", ""),
                "requirements": row.get("requirements", ""),
                "complaint_channel": row.get("complaint", ""),
            },
        )
        if created:
            service.applications.set([apps[name] for name in row["apps"]])
    register = Index(
        application_item(a)
        for a in Application.objects.filter(agency=agency).prefetch_related("reference_codes")
    )
    for row in doc["proposals"]:
        proposal, created = Proposal.objects.get_or_create(
            agency=agency,
            title=row["title"],
            defaults={
                "unit": units[row["unit"]],
                "problem": row["problem"],
                "business_process": row["business_process"],
                "users": row["users"],
                "data": row["data"],
                "budget_year": row["year"],
                "budget_amount": Decimal(row["amount"]),
                "status": ProposalStatus.SUBMITTED,
                "submitted_by": people.get("opd.dinkes"),
                "submitted_at": timezone.now(),
            },
        )
        if created:
            proposal.reference_codes.set(_codes(version, agency, row["codes"]))
            matches = register.check(proposal_item(proposal))
            proposal.duplicate_check = [
                {
                    "key": m.key,
                    "score": m.score,
                    "flagged": m.flagged,
                    "reasons": [{"kind": r.kind, "detail": list(r.detail)} for r in m.reasons],
                }
                for m in matches
            ]
            proposal.save(update_fields=["duplicate_check"])
    seed_roadmap(agency, doc["initiatives"], units, apps)


def seed_roadmap(
    agency: Agency,
    rows: list[dict[str, Any]],
    units: dict[str, Unit],
    apps: dict[str, Application],
) -> None:
    """The 2025-2029 roadmap: initiatives with owner OPD, indicators, applications, progress."""
    from padu.evaluation.migration_pemdi import spbe_numbers_for

    current = list(current_indicators(agency).select_related("instrument"))
    indicators = {i.number: i for i in current}
    instrument = current[0].instrument if current else None
    for row in rows:
        initiative, created = Initiative.objects.get_or_create(
            agency=agency,
            title=row["title"],
            defaults={
                "description": row["text"],
                "owner_unit": units[row["owner"]],
                "start_year": row["start"],
                "end_year": row["end"],
                "budget": Decimal(row["budget"]),
                "status": row["status"],
                "progress": row["progress"],
            },
        )
        if created:
            # Without an evaluation period there are no current indicators to link.
            # The rows name 59/2020 numbers; on a Pemdi period, their successors (the mapping).
            numbers = spbe_numbers_for(instrument, row["indicators"])
            initiative.indicators.set(indicators[n] for n in numbers if n in indicators)
            initiative.applications.set(apps[name] for name in row["apps"])
