"""The roadmap: validation (years ordered, within the horizon, progress 0-100), timeline."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from padu.audit.models import AuditEvent
from padu.catalog import services_roadmap as services
from padu.catalog.models import Initiative
from padu.evaluation.permissions import today_in

from .planning_fixtures import t, world_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


def test_check_years_is_pure_and_explains() -> None:
    assert services.check_years(2026, 2028, 40, 2026) == {}
    assert set(services.check_years(2028, 2026, 0, 2026)) == {"end_year"}
    assert set(services.check_years(2025, 2031, 0, 2026)) == {"start_year", "end_year"}
    assert set(services.check_years(2026, 2026, 101, 2026)) == {"progress"}
    assert set(services.check_years(2026, 2026, -1, 2026)) == {"progress"}
    assert services.horizon(2026) == [2026, 2027, 2028, 2029, 2030]


def test_timeline_marks_active_years(world) -> None:
    rows = services.timeline([world["initiative"]], [2025, 2026, 2027, 2028])
    assert rows[0].cells == [False, True, True, False]


def form(units, period, first, **extra):
    data = {
        "title": "SSO untuk semua aplikasi",
        "owner_unit": units["dinkes"].pk,
        "start_year": first,
        "end_year": first + 2,
        "indicators": [period.instrument.indicators.first().pk],
        "status": "running",
        "progress": 30,
        "budget": 100000000,
    }
    data.update(extra)
    return data


def test_create_with_indicators_and_applications(
    client: Client, dinkes_admin, units, period, world
):
    first = today_in(period.agency).year
    client.force_login(dinkes_admin)
    response = client.post(
        reverse("catalog:initiative_create"),
        form(units, period, first, applications=[world["simpeg"].pk]),
    )
    assert response.status_code == 302
    item = Initiative.objects.get(title="SSO untuk semua aplikasi")
    assert list(item.applications.all()) == [world["simpeg"]]
    assert item.indicators.count() == 1
    assert AuditEvent.objects.filter(object_type="catalog.initiative", action="create").exists()
    page = client.get(reverse("catalog:roadmap")).content.decode()
    assert "SSO untuk semua aplikasi" in page and 'class="on running"' in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end_year": -1}, "The last year cannot be before the first year."),
        ({"start_year": 10}, "Choose a year between %(first)s and %(last)s."),
        ({"progress": 120}, "Progress is a percentage from 0 to 100."),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(
    client: Client, coordinator, units, period, world, change, message
):
    first = today_in(period.agency).year
    data = form(units, period, first)
    if change.get("end_year") == -1:
        data["start_year"], data["end_year"] = first + 2, first + 1
    elif "start_year" in change:
        data["start_year"] = first + change["start_year"]
    else:
        data.update(change)
    client.force_login(coordinator)
    before = Initiative.objects.count()
    response = client.post(reverse("catalog:initiative_create"), data)
    assert response.status_code == 200
    assert t(message).split("%(")[0] in response.content.decode()
    assert Initiative.objects.count() == before


def test_admin_opd_edits_only_their_own_initiatives(client: Client, disdik_admin, units, world):
    client.force_login(disdik_admin)
    url = reverse("catalog:initiative_edit", args=[world["initiative"].pk])
    assert client.get(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.save_initiative(
            actor=disdik_admin,
            agency=units["dinkes"].agency,
            first_year=2026,
            owner_unit=units["dinkes"],
            title="x",
            start_year=2026,
            end_year=2026,
            progress=0,
        )


def test_indicators_of_another_instrument_are_refused(coordinator, units, world, other_period):
    from padu.evaluation.models import Indicator

    stranger = Indicator.objects.exclude(
        instrument__in=services.current_indicators(units["dinkes"].agency).values("instrument")
    ).first()
    assert stranger is not None, "other_period must bring a second instrument"
    with pytest.raises(ValidationError):
        services.save_initiative(
            actor=coordinator,
            agency=units["dinkes"].agency,
            first_year=2026,
            owner_unit=units["dinkes"],
            title="x",
            start_year=2026,
            end_year=2026,
            progress=0,
            indicators=[stranger],
        )
