"""Small builders for the register tests (not fixtures, so any test module may use them)."""

from __future__ import annotations

from typing import Any

from padu.catalog.choices import AppCategory, AppKind, ServiceKind
from padu.catalog.models import Application, ReferenceCode, ReferenceVersion, Service
from padu.organizations.models import Agency, Unit


def make_reference() -> dict[str, ReferenceCode]:
    """A current reference version with a few national codes (levels 1 and 2)."""
    version = ReferenceVersion.objects.create(
        code="test-2026", title="Referensi uji", checksum="0" * 64, is_current=True
    )
    ral = ReferenceCode.objects.create(
        version=version, model="RAL", code="RAL.02", name="Administrasi", level=1
    )
    asn = ReferenceCode.objects.create(
        version=version, model="RAL", code="RAL.02.04", name="Kepegawaian", level=2, parent=ral
    )
    rab = ReferenceCode.objects.create(
        version=version, model="RAB", code="RAB.09.06", name="Manajemen SDM", level=2
    )
    return {"RAL.02": ral, "RAL.02.04": asn, "RAB.09.06": rab}


def make_app(agency: Agency, unit: Unit, name: str = "SIMPEG", **extra: Any) -> Application:
    fields: dict[str, Any] = {
        "description": "Data induk pegawai",
        "kind": AppKind.SPECIFIC,
        "category": AppCategory.ADMINISTRATION,
    }
    fields.update(extra)
    return Application.objects.create(agency=agency, owner_unit=unit, name=name, **fields)


def make_service(agency: Agency, unit: Unit, name: str = "Layanan KTP", **extra: Any) -> Service:
    fields: dict[str, Any] = {
        "kind": ServiceKind.PUBLIC,
        "description": "Pembuatan KTP elektronik",
        "requirements": "Fotokopi KK",
        "complaint_channel": "SP4N-LAPOR!",
        "url": "https://ktp.example.go.id",
    }
    fields.update(extra)
    return Service.objects.create(agency=agency, owner_unit=unit, name=name, **fields)


def app_post(unit: Unit, name: str = "e-Posyandu", **extra: Any) -> dict[str, Any]:
    """A valid POST for the application form, with one contact."""
    data: dict[str, Any] = {
        "name": name,
        "description": "Pencatatan posyandu",
        "owner_unit": unit.pk,
        "kind": "khusus",
        "category": "layanan_publik",
        "lifecycle": "produksi",
        "codes": "RAL.02.04",
        "contacts-TOTAL_FORMS": "2",
        "contacts-INITIAL_FORMS": "0",
        "contacts-MIN_NUM_FORMS": "0",
        "contacts-MAX_NUM_FORMS": "20",
        "contacts-0-role": "pic",
        "contacts-0-name": "Budi",
        "contacts-0-email": "budi@example.go.id",
        "contacts-1-role": "developer",
        "contacts-1-name": "",
    }
    data.update(extra)
    return data
