"""Proposals: the duplicate check before sending, the transitions, who may do what, the letter."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from padu.accounts.models import Notification
from padu.audit.models import AuditEvent
from padu.catalog import services_proposals as services
from padu.catalog.choices import ProposalStatus
from padu.catalog.dossier import dossier_html, render_dossier
from padu.catalog.models import Proposal

from .planning_fixtures import t, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
NO_PROBLEM = "Describe the problem the application should solve; a proposal needs it."

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def letter(content: bytes = PDF, name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def proposal_post(unit, **extra):
    data = {
        "title": "Presensi Pegawai Puskesmas",
        "unit": unit.pk,
        "problem": "Presensi pegawai puskesmas masih dicatat manual di buku",
        "business_process": "Pegawai absen masuk dan pulang",
        "users": "Pegawai Dinkes",
        "data": "Data kehadiran",
        "codes": "RAL.02.04.03",
        "kind": "khusus",
        "budget_year": 2027,
        "budget_amount": 75000000,
    }
    data.update(extra)
    return data


def test_admin_opd_proposes_and_sees_duplicates_with_reasons(
    client: Client, dinkes_admin, units, world
):
    client.force_login(dinkes_admin)
    response = client.post(reverse("catalog:proposal_create"), proposal_post(units["dinkes"]))
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="Presensi Pegawai Puskesmas")
    assert proposal.status == ProposalStatus.DRAFT
    page = client.get(response.url)
    candidates = page.context["candidates"]
    # the OPD's own open draft on the same subject is a candidate too
    assert candidates[0]["name"] in {
        "Presensi Online ASN",
        "Absensi Guru",
        "Absensi Pegawai Dinkes",
    }
    assert candidates[0]["flagged"]
    kinds = {r["kind"] for r in candidates[0]["reasons"]}
    assert "ral" in kinds
    html = page.content.decode()
    assert "RAL.02.04.03" in html and t("likely duplicate") in html
    assert any(c["national"] for c in candidates) or len(candidates) >= 2


def test_a_proposal_without_a_problem_is_refused(client: Client, dinkes_admin, units, world):
    client.force_login(dinkes_admin)
    before = Proposal.objects.count()
    response = client.post(
        reverse("catalog:proposal_create"), proposal_post(units["dinkes"], problem="   ")
    )
    assert response.status_code == 200
    assert t(NO_PROBLEM) in response.content.decode()
    assert Proposal.objects.count() == before


def test_an_unknown_reference_code_is_named(client: Client, dinkes_admin, units, world):
    client.force_login(dinkes_admin)
    response = client.post(
        reverse("catalog:proposal_create"), proposal_post(units["dinkes"], codes="RAL.99.99")
    )
    assert (
        t("Unknown reference code: %(codes)s.") % {"codes": "RAL.99.99"}
        in response.content.decode()
    )


def test_service_refuses_a_missing_problem(dinkes_admin, agency, units, world):
    with pytest.raises(ValidationError):
        services.save_proposal(
            actor=dinkes_admin,
            agency=agency,
            unit=units["dinkes"],
            title="X",
            problem="",
            budget_year=2027,
            budget_amount=1,
        )


def test_admin_opd_proposes_only_for_their_own_opd(dinkes_admin, agency, units, world):
    with pytest.raises(PermissionDenied):
        services.save_proposal(
            actor=dinkes_admin,
            agency=agency,
            unit=units["disdik"],
            title="X",
            problem="Y",
            budget_year=2027,
            budget_amount=1,
        )


def test_admin_opd_cannot_edit_or_send_another_opds_proposal(client: Client, disdik_admin, world):
    client.force_login(disdik_admin)
    proposal = world["proposal"]
    # a draft of another OPD is not shown at all
    assert client.get(reverse("catalog:proposal_edit", args=[proposal.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.submit_proposal(actor=disdik_admin, proposal=proposal)


def test_sending_stores_the_duplicate_snapshot_and_tells_diskominfo(
    client: Client, dinkes_admin, coordinator, admin_user, world
):
    client.force_login(dinkes_admin)
    proposal = world["proposal"]
    url = reverse("catalog:proposal_transition", args=[proposal.pk, "submit"])
    assert client.post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.submitted_by == dinkes_admin
    assert proposal.duplicate_check and proposal.duplicate_check[0]["reasons"]
    assert {"key", "score", "band", "flagged", "reasons"} <= set(proposal.duplicate_check[0])
    assert Notification.objects.filter(user=coordinator, url__contains=str(proposal.pk)).exists()
    assert Notification.objects.filter(user=admin_user).exists()
    assert AuditEvent.objects.filter(
        object_type="catalog.proposal", object_id=str(proposal.pk), action="update"
    ).exists()


def test_admin_opd_may_not_decide(dinkes_admin, world):
    proposal = services.submit_proposal(actor=dinkes_admin, proposal=world["proposal"])
    with pytest.raises(PermissionDenied):
        services.decide_proposal(
            actor=dinkes_admin, proposal=proposal, decision="build", reason="x"
        )
    with pytest.raises(PermissionDenied):
        services.start_review(actor=dinkes_admin, proposal=proposal)


def test_diskominfo_decides_reuse_with_the_application(
    client: Client, dinkes_admin, coordinator, world
):
    proposal = services.submit_proposal(actor=dinkes_admin, proposal=world["proposal"])
    services.start_review(actor=coordinator, proposal=proposal)
    client.force_login(coordinator)
    url = reverse("catalog:proposal_decide", args=[proposal.pk])
    response = client.post(url, {"decision": "reuse", "reason": "Pakai e-Presensi"})
    assert (
        t("Choose the application to reuse, extend or integrate with.") in response.content.decode()
    )
    response = client.post(
        url,
        {"decision": "reuse", "reason": "Pakai e-Presensi", "application": world["presensi"].pk},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECIDED
    assert proposal.decision_application == world["presensi"]
    assert proposal.decided_by == coordinator
    assert Notification.objects.filter(user=dinkes_admin, title__contains="Decision").exists() or (
        Notification.objects.filter(user=dinkes_admin).count() >= 1
    )


def test_building_a_specific_application_needs_the_letter(dinkes_admin, coordinator, world):
    proposal = services.submit_proposal(actor=dinkes_admin, proposal=world["proposal"])
    with pytest.raises(ValidationError) as exc:
        services.decide_proposal(
            actor=coordinator, proposal=proposal, decision="build", reason="Belum ada"
        )
    assert {"letter_number", "letter_date", "letter_file"} <= set(exc.value.message_dict)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_the_letter_is_checked_by_content(dinkes_admin, coordinator, world):
    proposal = services.submit_proposal(actor=dinkes_admin, proposal=world["proposal"])
    fields = {"letter_number": "B/123/M.KT.02/2026", "letter_date": datetime.date(2026, 11, 2)}
    with pytest.raises(ValidationError) as exc:
        services.decide_proposal(
            actor=coordinator,
            proposal=proposal,
            decision="build",
            reason="Belum ada",
            letter_file=letter(b"MZ not a pdf", "surat.pdf"),
            **fields,
        )
    assert "PDF" in str(exc.value)
    services.decide_proposal(
        actor=coordinator,
        proposal=proposal,
        decision="build",
        reason="Belum ada",
        letter_file=letter(),
        **fields,
    )
    proposal.refresh_from_db()
    assert proposal.letter_file.name.endswith(".pdf")
    assert proposal.letter_number == "B/123/M.KT.02/2026"


def test_the_letter_size_is_limited(dinkes_admin, coordinator, world):
    big = letter(PDF + b"0" * (services.LETTER_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as exc:
        services.check_letter(big, big.size)
    assert t("The letter is larger than the limit of %(limit)s MB.") % {"limit": 10} in str(
        exc.value
    )


def test_transition_table_refuses_steps_from_the_wrong_state(dinkes_admin, coordinator, world):
    proposal = world["proposal"]
    with pytest.raises(ValidationError):
        services.start_review(actor=coordinator, proposal=proposal)
    assert services.available(dinkes_admin, proposal) == ["submit", "withdraw"]
    services.submit_proposal(actor=dinkes_admin, proposal=proposal)
    assert set(services.available(coordinator, proposal)) == {
        "withdraw",
        "start_review",
        "return",
        "decide",
    }
    with pytest.raises(ValidationError):
        services.return_proposal(actor=coordinator, proposal=proposal, reason=" ")
    services.return_proposal(actor=coordinator, proposal=proposal, reason="Lengkapi data")
    assert proposal.status == ProposalStatus.DRAFT
    services.withdraw_proposal(actor=dinkes_admin, proposal=proposal)
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert services.available(coordinator, proposal) == []


def test_a_sent_proposal_can_no_longer_be_edited(client: Client, dinkes_admin, world):
    proposal = services.submit_proposal(actor=dinkes_admin, proposal=world["proposal"])
    client.force_login(dinkes_admin)
    response = client.get(reverse("catalog:proposal_edit", args=[proposal.pk]))
    assert response.status_code == 302


def test_dossier_collects_proposal_check_decision_and_letter(dinkes_admin, coordinator, world):
    proposal = services.submit_proposal(actor=dinkes_admin, proposal=world["proposal"])
    services.decide_proposal(
        actor=coordinator,
        proposal=proposal,
        decision="build",
        reason="Tidak ada yang cocok",
        letter_number="B/9/2026",
        letter_date=datetime.date(2026, 11, 2),
        letter_file=letter(),
    )
    html = dossier_html(proposal)
    assert proposal.problem in html
    assert "B/9/2026" in html and "Tidak ada yang cocok" in html
    assert "RAL.02.04.03" in html  # the shared code as a reason
    assert render_dossier(proposal).startswith(b"%PDF")


def test_dossier_download(client: Client, viewer, world):
    client.force_login(viewer)
    response = client.get(reverse("catalog:proposal_dossier", args=[world["sent"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"


def test_an_old_snapshot_without_names_is_completed(client: Client, coordinator, world):
    proposal = world["proposal"]
    proposal.status = ProposalStatus.SUBMITTED
    proposal.duplicate_check = [
        {"key": f"app:{world['absen'].pk}", "score": 0.5, "flagged": True, "reasons": []},
        {"key": "national:siasn", "score": 0.1, "flagged": False, "reasons": []},
    ]
    proposal.save()
    client.force_login(coordinator)
    candidates = client.get(reverse("catalog:proposal_detail", args=[proposal.pk])).context[
        "candidates"
    ]
    assert [(c["name"], c["band"], c["national"]) for c in candidates] == [
        ("Absensi Guru", "high", False),
        ("SIASN", "low", True),
    ]


def test_a_draft_is_hidden_from_other_opds_and_readers_until_sent(
    client: Client, disdik_admin, viewer, coordinator, dinkes_admin, world
):
    proposal = world["proposal"]
    detail = reverse("catalog:proposal_detail", args=[proposal.pk])
    for user in (disdik_admin, viewer):
        client.force_login(user)
        assert client.get(detail).status_code == 404
        assert proposal not in client.get(reverse("catalog:proposal_list")).context["proposals"]
    for user in (coordinator, dinkes_admin):
        client.force_login(user)
        assert client.get(detail).status_code == 200
    services.submit_proposal(actor=dinkes_admin, proposal=proposal)
    client.force_login(viewer)
    assert client.get(detail).status_code == 200
