"""Fixtures of the planning tests (integrations, proposals, roadmap, evidence); import them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from padu.catalog.models import (
    Initiative,
    Integration,
    NationalApplication,
    Proposal,
    ReferenceCode,
)

from .register_helpers import make_app, make_reference


def t(text: str) -> str:
    """What the user reads for an English msgid (the site language is Indonesian)."""
    with translation.override("id"):
        return str(translation.gettext(text))


@pytest.fixture(name="world")
def world_fixture(agency, other_agency, units, other_unit) -> dict[str, Any]:
    """Codes, four applications (two OPDs), one integration, a draft proposal, an initiative."""
    codes = make_reference()
    version = codes["RAL.02"].version
    codes["RAL.02.04.03"] = ReferenceCode.objects.create(
        version=version,
        agency=agency,
        model="RAL",
        code="RAL.02.04.03",
        name="Presensi ASN",
        level=3,
        parent=codes["RAL.02.04"],
    )
    presensi = make_app(
        agency,
        units["diskominfo"],
        "Presensi Online ASN",
        acronym="EPRESENSI",
        description="Presensi pegawai dengan swafoto dan lokasi",
    )
    presensi.reference_codes.set([codes["RAL.02.04.03"], codes["RAB.09.06"]])
    simpeg = make_app(agency, units["dinkes"], "SIMPEG", acronym="SIMPEG")
    absen = make_app(
        agency,
        units["disdik"],
        "Absensi Guru",
        acronym="ABSENGURU",
        description="Presensi guru di sekolah",
    )
    absen.reference_codes.set([codes["RAL.02.04.03"]])
    island = make_app(agency, units["dinkes"], "Aplikasi Gizi", description="Gizi balita")
    foreign = make_app(other_agency, other_unit, "SIMPEG Konsel")
    integration = Integration.objects.create(
        agency=agency, provider=simpeg, consumer=presensi, method="splp", data_exchanged="NIP"
    )
    national = NationalApplication.objects.create(
        key="siasn",
        name="SIASN",
        full_name="Sistem Informasi ASN",
        owner="BKN",
        function="Data pegawai ASN nasional",
        ral_codes=["RAL.02.04"],
    )
    proposal = Proposal.objects.create(
        agency=agency,
        unit=units["dinkes"],
        title="Absensi Pegawai Dinkes",
        problem="Presensi pegawai puskesmas masih manual",
        budget_year=2027,
        budget_amount=Decimal(50_000_000),
    )
    proposal.reference_codes.set([codes["RAL.02.04.03"]])
    sent = Proposal.objects.create(
        agency=agency,
        unit=units["dinkes"],
        title="SIM Gizi Dinkes",
        problem="Rekap gizi balita terlambat",
        budget_year=2027,
        budget_amount=Decimal(20_000_000),
        status="submitted",
    )
    initiative = Initiative.objects.create(
        agency=agency,
        title="Integrasi presensi",
        owner_unit=units["dinkes"],
        start_year=2026,
        end_year=2027,
    )
    return {
        "codes": codes,
        "presensi": presensi,
        "simpeg": simpeg,
        "absen": absen,
        "island": island,
        "foreign": foreign,
        "integration": integration,
        "national": national,
        "proposal": proposal,
        "sent": sent,
        "initiative": initiative,
    }
