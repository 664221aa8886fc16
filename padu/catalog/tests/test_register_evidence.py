"""Evidence from the register: exports, and filing + attaching to indicators in one step."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from padu.catalog import register_evidence as rev
from padu.evaluation.models import Evidence, EvidenceLink

from .planning_fixtures import world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_documents_hold_the_register(agency, world) -> None:
    inventory = rev.build(agency, "inventory")
    assert [r[0] for r in inventory.rows] == sorted(
        [r[0] for r in inventory.rows], key=lambda n: n
    ) or len(inventory.rows) == 4
    assert "SIMPEG Konsel" not in {r[0] for r in inventory.rows}
    integrations = rev.build(agency, "integrations")
    assert integrations.rows[0][:2] == ["SIMPEG", "Presensi Online ASN"]
    assert any("50.0" in n for n in integrations.notes)
    architecture = rev.build(agency, "architecture")
    assert any(r[0] == "RAL.02.04" for r in architecture.rows)
    assert any("RAL.02.04.03" in n for n in architecture.notes)


def test_xlsx_and_pdf_render(agency, world) -> None:
    from openpyxl import load_workbook

    doc = rev.build(agency, "inventory")
    book = load_workbook(io.BytesIO(rev.to_xlsx(doc)))
    values = [c.value for c in book.active["A"]]
    assert "SIMPEG" in values
    assert rev.to_pdf(doc).startswith(b"%PDF")


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_export_download(client: Client, viewer, world, fmt) -> None:
    client.force_login(viewer)
    response = client.get(reverse("catalog:register_export", args=["integrations", fmt]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]


def test_file_and_attach_in_one_step(client: Client, coordinator, units, period, world) -> None:
    client.force_login(coordinator)
    page = client.get(reverse("catalog:register_evidence"))
    assert page.context["form"].initial["indicators"] == "4, 11, 15, 18"
    response = client.post(
        reverse("catalog:register_evidence"),
        {
            "artefact": "integrations",
            "fmt": "xlsx",
            "period": period.pk,
            "indicators": "1, 2",
            "level": 3,
            "owner_unit": units["diskominfo"].pk,
        },
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.files.get().original_name.endswith(".xlsx")
    links = EvidenceLink.objects.filter(evidence=evidence)
    assert sorted(link.assessment.indicator.code for link in links) == ["1", "2"]
    assert {link.level for link in links} == {3}


def test_unknown_indicator_applies_nothing(coordinator, agency, units, period, world) -> None:
    with pytest.raises(ValidationError) as exc:
        rev.attach_register_evidence(
            actor=coordinator,
            agency=agency,
            owner_unit=units["diskominfo"],
            artefact="inventory",
            fmt="pdf",
            period=period,
            indicator_codes=["1", "99"],
            level=3,
        )
    assert "99" in str(exc.value)
    assert not Evidence.objects.exists() and not EvidenceLink.objects.exists()


def test_level_outside_the_instrument_is_refused(coordinator, agency, units, period, world):
    with pytest.raises(ValidationError):
        rev.attach_register_evidence(
            actor=coordinator,
            agency=agency,
            owner_unit=units["diskominfo"],
            artefact="inventory",
            fmt="pdf",
            period=period,
            indicator_codes=["1"],
            level=9,
        )


def test_only_evaluation_managers_file_register_evidence(
    client: Client, dinkes_admin, viewer, agency, units, period, world
) -> None:
    for user in (dinkes_admin, viewer):
        client.force_login(user)
        assert client.get(reverse("catalog:register_evidence")).status_code == 403
    with pytest.raises(PermissionDenied):
        rev.attach_register_evidence(
            actor=dinkes_admin,
            agency=agency,
            owner_unit=units["dinkes"],
            artefact="inventory",
            fmt="pdf",
            period=period,
            indicator_codes=["1"],
            level=3,
        )


def test_another_agencys_period_is_refused(coordinator, agency, units, other_period, world):
    with pytest.raises(ValidationError):
        rev.attach_register_evidence(
            actor=coordinator,
            agency=agency,
            owner_unit=units["diskominfo"],
            artefact="inventory",
            fmt="pdf",
            period=other_period,
            indicator_codes=["1"],
            level=3,
        )


def test_architecture_page(client: Client, viewer, world) -> None:
    client.force_login(viewer)
    response = client.get(reverse("catalog:architecture"))
    codes = [r.code for r in response.context["redundancy"]]
    assert codes == ["RAL.02.04.03"]
    assert response.context["covered"] >= 1
