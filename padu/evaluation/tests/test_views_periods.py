"""Evaluation pages: permission cases first (anonymous, another agency, read-only, writer)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from padu.audit.models import AuditEvent
from padu.evaluation.choices import AssessmentStatus
from padu.evaluation.models import Assessment, Period

PAGES = [
    "evaluation:period_detail",
    "evaluation:period_edit",
    "evaluation:assignment",
    "evaluation:external_results",
]


@pytest.mark.parametrize(
    "name",
    [
        *PAGES,
        "evaluation:period_list",
        "evaluation:my_indicators",
        "evaluation:dashboard",
        "evaluation:period_create",
    ],
)
def test_anonymous_is_sent_to_login(client: Client, period, name: str) -> None:
    args = [period.pk] if name in PAGES else []
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES)
def test_another_agency_gets_404_for_a_period(client: Client, period, outsider, name: str) -> None:
    client.force_login(outsider)
    assert client.get(reverse(name, args=[period.pk])).status_code == 404


def test_village_operator_may_not_open_the_evaluation(
    client: Client, period, village_operator
) -> None:
    client.force_login(village_operator)
    assert client.get(reverse("evaluation:period_list")).status_code == 403
    assert client.get(reverse("evaluation:period_detail", args=[period.pk])).status_code == 403


@pytest.mark.parametrize(
    "name", ["evaluation:period_edit", "evaluation:assignment", "evaluation:external_results"]
)
def test_read_only_viewer_may_not_manage_a_period(
    client: Client, period, viewer, name: str
) -> None:
    client.force_login(viewer)
    assert client.get(reverse(name, args=[period.pk])).status_code == 403
    assert client.get(reverse("evaluation:period_create")).status_code == 403


def test_viewer_reads_the_dashboard_and_list(client: Client, period, other_period, viewer) -> None:
    client.force_login(viewer)
    response = client.get(reverse("evaluation:period_list"))
    assert response.status_code == 200
    assert list(response.context["periods"]) == [period]
    assert client.get(reverse("evaluation:dashboard")).url == reverse(
        "evaluation:period_detail", args=[period.pk]
    )
    assert client.get(reverse("evaluation:period_detail", args=[period.pk])).status_code == 200


def test_coordinator_opens_a_period_with_one_assessment_per_indicator(
    client: Client, instrument, coordinator, units
) -> None:
    client.force_login(coordinator)
    data = {
        "year": 2027,
        "instrument": instrument.pk,
        "self_assessment_start": "2027-02-01",
        "self_assessment_end": "2027-03-01",
    }
    response = client.post(reverse("evaluation:period_create"), data)
    period = Period.objects.get(year=2027)
    assert response.url == reverse("evaluation:period_detail", args=[period.pk])
    assert period.assessments.count() == 2
    assert AuditEvent.objects.filter(object_type="evaluation.period", action="create").exists()


def test_opening_2026_with_the_superseded_draft_is_refused_with_a_pointer_in_indonesian(
    client: Client, coordinator
) -> None:
    from padu.evaluation.instrument_loader import load_bundled_instruments
    from padu.evaluation.models import Instrument

    load_bundled_instruments()
    draft = Instrument.objects.get(code="permenpanrb-8-2026", version=1)
    client.force_login(coordinator)
    data = {
        "year": 2026,
        "instrument": draft.pk,
        "self_assessment_start": "2026-08-01",
        "self_assessment_end": "2026-09-15",
    }
    response = client.post(reverse("evaluation:period_create"), data, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert not Period.objects.filter(year=2026).exists()
    html = response.content.decode()
    assert "digantikan oleh PermenPANRB 8/2026 (Pemdi) (v2)" in html
    # Without a choice, 2026 opens on the year's default: 8/2026.
    data["instrument"] = ""
    response = client.post(reverse("evaluation:period_create"), data)
    period = Period.objects.get(year=2026)
    assert (period.instrument.code, period.instrument.version) == ("permenpanrb-8-2026", 2)


def test_period_form_rejects_an_end_before_the_start(
    client: Client, instrument, coordinator
) -> None:
    client.force_login(coordinator)
    data = {
        "year": 2027,
        "instrument": instrument.pk,
        "self_assessment_start": "2027-03-01",
        "self_assessment_end": "2027-02-01",
    }
    response = client.post(reverse("evaluation:period_create"), data)
    assert response.status_code == 200
    assert "self_assessment_end" in response.context["form"].errors
    assert not Period.objects.filter(year=2027).exists()


def test_assignment_saves_the_lead_unit(client: Client, period, coordinator, units) -> None:
    client.force_login(coordinator)
    data = {}
    for a in period.assessments.all():
        data[f"a{a.pk}-assessment_id"] = a.pk
        data[f"a{a.pk}-lead_unit"] = units["disdik"].pk
        data[f"a{a.pk}-service_name"] = ""
    response = client.post(reverse("evaluation:assignment", args=[period.pk]), data)
    assert response.status_code == 302
    assert set(period.assessments.values_list("lead_unit", flat=True)) == {units["disdik"].pk}


def test_assignment_page_shows_each_rows_choices_with_a_bounded_number_of_queries(
    client: Client, period, coordinator, units, django_assert_max_num_queries
) -> None:
    """Every row offers the same units and people: they are read once, not three times a row."""
    first = period.assessments.order_by("pk").first()
    first.supporting_units.add(units["disdik"])
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):  # was 10 + 2 a row
        response = client.get(reverse("evaluation:assignment", args=[period.pk]))
    html = response.content.decode()
    rows = period.assessments.count()
    assert html.count(f'<option value="{units["disdik"].pk}"') == 2 * rows  # lead + supporting
    # the first row's choices are kept: its lead unit and its supporting unit are selected
    lead = f'name="a{first.pk}-lead_unit"'
    assert lead in html
    chunk = html[html.index(lead) : html.index(lead) + 2000]
    assert f'<option value="{first.lead_unit_id}" selected>' in chunk
    support = f'name="a{first.pk}-supporting_units"'
    chunk = html[html.index(support) : html.index(support) + 2000]
    assert f'<option value="{units["disdik"].pk}" selected>' in chunk


def test_assignment_refuses_a_unit_of_another_agency(
    client: Client, period, coordinator, units, other_unit
) -> None:
    client.force_login(coordinator)
    data = {}
    for a in period.assessments.all():
        data[f"a{a.pk}-assessment_id"] = a.pk
        data[f"a{a.pk}-lead_unit"] = other_unit.pk
    response = client.post(reverse("evaluation:assignment", args=[period.pk]), data)
    assert response.status_code == 200
    assert set(period.assessments.values_list("lead_unit", flat=True)) == {units["dinkes"].pk}


def test_external_results_refuse_a_bad_index_and_save_levels(
    client: Client, period, coordinator
) -> None:
    client.force_login(coordinator)
    a = period.assessments.first()
    url = reverse("evaluation:external_results", args=[period.pk])
    response = client.post(url, {f"level_{a.pk}": "3", "published_index": "tiga"})
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.external_level is None
    client.post(url, {f"level_{a.pk}": "3", "published_index": "2,75"})
    a.refresh_from_db()
    period.refresh_from_db()
    assert a.external_level == 3
    assert period.external_index == Decimal("2.75")


def test_my_indicators_lists_only_the_units_indicators(
    client: Client, period, dinkes_admin, disdik_admin
) -> None:
    client.force_login(dinkes_admin)
    assert len(client.get(reverse("evaluation:my_indicators")).context["assessments"]) == 2
    client.force_login(disdik_admin)
    assert len(client.get(reverse("evaluation:my_indicators")).context["assessments"]) == 0


def test_dashboard_counts_progress_per_unit(client: Client, period, coordinator) -> None:
    Assessment.objects.filter(period=period, indicator__number=1).update(
        status=AssessmentStatus.ACCEPTED
    )
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:period_detail", args=[period.pk]))
    [row] = response.context["progress"]
    assert (row.assigned, row.submitted, row.accepted) == (2, 1, 1)


def test_dashboard_shows_the_three_series_with_unfilled_at_the_floor(
    client: Client, period, coordinator
) -> None:
    first, _second = period.assessments.order_by("indicator__number")
    Assessment.objects.filter(pk=first.pk).update(claimed_level=4, validated_level=3)
    client.force_login(coordinator)
    response = client.get(reverse("evaluation:period_detail", args=[period.pk]))
    series = {s.key: s for s in response.context["scores"].series}
    # weights 60 and 40: self = (4*60 + 1*40)/100, validated = (3*60 + 40)/100, external all at 1
    assert series["self"].index_display == "2,80"
    assert series["self"].predicate == "Baik"
    assert series["validated"].index_display == "2,20"
    assert series["external"].index_display == "1,00"
    assert (series["self"].filled, series["self"].total) == (1, 2)
    assert [row.name for row in response.context["scores"].groups] == ["Domain", "Aspek"]


def test_dashboard_query_count_does_not_grow_with_units(
    client: Client, period, coordinator, agency, django_assert_max_num_queries
) -> None:
    from padu.organizations.models import Unit

    for i in range(20):
        unit = Unit.objects.create(agency=agency, name=f"Dinas {i}", kind="dinas")
        Assessment.objects.filter(period=period).update(lead_unit=unit)
    client.force_login(coordinator)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("evaluation:period_detail", args=[period.pk])).status_code == 200
