"""Integrations: bad input refused with a message and nothing saved; audit rows; the map."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from padu.audit.models import AuditEvent
from padu.catalog import services_integrations as services
from padu.catalog.models import Integration

from .planning_fixtures import t, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db
DUPLICATE = "This integration is already registered: the same provider, consumer and method."
ONE_PROVIDER = "Choose one provider: an application of the register or a national one."


def post(w, **extra):
    data = {
        "provider": w["simpeg"].pk,
        "consumer": w["absen"].pk,
        "method": "splp",
        "data_exchanged": "NIP, nama",
        "status": "active",
    }
    data.update(extra)
    return data


def test_an_integration_to_itself_is_refused_with_a_message(client: Client, coordinator, world):
    client.force_login(coordinator)
    before = Integration.objects.count()
    response = client.post(
        reverse("catalog:integration_create"),
        post(world, provider=world["absen"].pk, consumer=world["absen"].pk),
    )
    assert response.status_code == 200
    assert t("An application cannot be integrated with itself.") in response.content.decode()
    assert Integration.objects.count() == before


def test_a_duplicate_integration_is_refused_with_a_message(client: Client, coordinator, world):
    client.force_login(coordinator)
    before = Integration.objects.count()
    response = client.post(
        reverse("catalog:integration_create"),
        post(world, consumer=world["presensi"].pk),
    )
    assert response.status_code == 200
    assert t(DUPLICATE) in response.content.decode()
    assert Integration.objects.count() == before


def test_the_same_pair_with_another_method_is_allowed(coordinator, agency, world):
    made = services.create_integration(
        actor=coordinator,
        agency=agency,
        provider=world["simpeg"],
        consumer=world["presensi"],
        method="file",
        data_exchanged="Rekap",
    )
    assert made.pk
    assert AuditEvent.objects.filter(object_type="catalog.integration", action="create").exists()


def test_two_providers_or_none_are_refused(client: Client, coordinator, world):
    client.force_login(coordinator)
    response = client.post(
        reverse("catalog:integration_create"), post(world, provider_national=world["national"].pk)
    )
    assert t(ONE_PROVIDER) in response.content.decode()
    response = client.post(reverse("catalog:integration_create"), post(world, provider=""))
    assert t(ONE_PROVIDER) in response.content.decode()


def test_a_national_provider_is_saved_and_audited(client: Client, coordinator, world):
    client.force_login(coordinator)
    response = client.post(
        reverse("catalog:integration_create"),
        post(world, provider="", provider_national=world["national"].pk),
    )
    assert response.status_code == 302
    made = Integration.objects.get(provider_national=world["national"])
    assert AuditEvent.objects.filter(object_id=str(made.pk), action="create").exists()


def test_an_application_of_another_agency_is_refused(coordinator, agency, world):
    with pytest.raises(ValidationError):
        services.create_integration(
            actor=coordinator,
            agency=agency,
            provider=world["foreign"],
            consumer=world["absen"],
            method="splp",
            data_exchanged="x",
        )


def test_admin_opd_adds_only_for_their_own_consumer(dinkes_admin, agency, world):
    with pytest.raises(PermissionDenied):
        services.create_integration(
            actor=dinkes_admin,
            agency=agency,
            provider=world["simpeg"],
            consumer=world["absen"],
            method="splp",
            data_exchanged="x",
        )
    made = services.create_integration(
        actor=dinkes_admin,
        agency=agency,
        provider=world["absen"],
        consumer=world["island"],
        method="file",
        data_exchanged="x",
    )
    assert made.consumer == world["island"]


def test_admin_opd_form_offers_only_their_consumers(client: Client, dinkes_admin, world):
    client.force_login(dinkes_admin)
    response = client.get(reverse("catalog:integration_create"))
    consumers = list(response.context["form"].fields["consumer"].queryset)
    assert world["island"] in consumers and world["absen"] not in consumers


def test_edit_to_a_duplicate_is_refused_and_nothing_changes(coordinator, agency, world):
    other = services.create_integration(
        actor=coordinator,
        agency=agency,
        provider=world["simpeg"],
        consumer=world["presensi"],
        method="file",
        data_exchanged="Rekap",
    )
    with pytest.raises(ValidationError):
        services.update_integration(actor=coordinator, integration=other, method="splp")
    other.refresh_from_db()
    assert other.method == "file"


def test_edit_and_delete_write_audit_rows(client: Client, coordinator, world):
    client.force_login(coordinator)
    integration = world["integration"]
    response = client.post(
        reverse("catalog:integration_edit", args=[integration.pk]),
        post(world, consumer=world["presensi"].pk, status="planned"),
    )
    assert response.status_code == 302, response.context["form"].errors
    integration.refresh_from_db()
    assert integration.status == "planned"
    client.post(reverse("catalog:integration_delete", args=[integration.pk]))
    assert not Integration.objects.filter(pk=integration.pk).exists()
    actions = set(
        AuditEvent.objects.filter(object_id=str(integration.pk)).values_list("action", flat=True)
    )
    assert {"update", "delete"} <= actions


def test_list_filters(client: Client, viewer, world, units):
    client.force_login(viewer)
    url = reverse("catalog:integration_list")
    assert "SIMPEG" in client.get(url, {"method": "splp"}).content.decode()
    rows = client.get(url, {"method": "file"}).context["integrations"]
    assert list(rows) == []
    rows = client.get(url, {"unit": units["disdik"].pk}).context["integrations"]
    assert list(rows) == []
    rows = client.get(url, {"unit": units["dinkes"].pk}).context["integrations"]
    assert len(rows) == 1


def test_graph_lists_islands_and_share(client: Client, viewer, world):
    client.force_login(viewer)
    response = client.get(reverse("catalog:integration_graph"))
    islands = [a.name for a in response.context["islands"]]
    assert islands == ["Absensi Guru", "Aplikasi Gizi"]
    assert str(response.context["graph"]["share"]) == "50.0"
    ids = {n["id"] for n in response.context["graph"]["nodes"]}
    assert f"a{world['foreign'].pk}" not in ids
    assert 'id="graph-data"' in response.content.decode()


def test_graph_filter_by_unit_keeps_connected_nodes(client: Client, viewer, world, units):
    client.force_login(viewer)
    response = client.get(reverse("catalog:integration_graph"), {"unit": units["disdik"].pk})
    names = {n["name"] for n in response.context["graph"]["nodes"]}
    assert names == {"Absensi Guru"}
    assert [a.name for a in response.context["islands"]] == ["Absensi Guru"]
