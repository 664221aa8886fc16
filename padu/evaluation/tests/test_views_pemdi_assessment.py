"""The indicator page on a Pemdi (8/2026) period: permission cases for the index result,
decimal values typed the Indonesian way, the review reason, external-index indicators on
every list, the supporting facts beside IK5/IK18, and query counts that do not grow."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from padu.accounts.models import User
from padu.evaluation.choices import AssessmentStatus, Stage
from padu.evaluation.models import Assessment, Period
from padu.evaluation.tests.pemdi import make_pemdi_period
from padu.organizations.models import Agency, Unit

from .factories import close_stage, criteria_up_to, make_instrument, make_period, open_stage

D = Decimal
ID = {"HTTP_ACCEPT_LANGUAGE": "id"}  # numbers in Indonesian format
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}  # new messages (Indonesian pending the integrator)


@pytest.fixture
def pemdi(agency: Agency, units: dict[str, Unit]) -> Period:
    period = make_pemdi_period(agency, lead_unit=units["dinkes"])
    # External-index indicators are not assigned (make_pemdi_period leads every row).
    period.assessments.filter(indicator__external_default__isnull=False).update(lead_unit=None)
    return period


def of(period: Period, code: str) -> Assessment:
    return period.assessments.select_related("indicator").get(indicator__code=code)


def url(name: str, a: Assessment) -> str:
    return reverse(f"evaluation:{name}", args=[a.pk])


def index_post(client: Client, a: Assessment, **changes: Any) -> Any:
    data = {"value": "2,75", "source": "EPSS (BPS) 2026", "date": "2026-11-20", "evidence": ""}
    data.update(changes)
    return client.post(url("index_record", a), data, **ID)


# --- permission cases: the index result ----------------------------------------------


@pytest.mark.parametrize("name", ["index_record", "index_clear"])
def test_anonymous_is_sent_to_login(client: Client, pemdi: Period, name: str) -> None:
    response = client.post(url(name, of(pemdi, "IK7")))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", ["index_record", "index_clear"])
def test_another_agency_gets_404(client: Client, pemdi: Period, outsider: User, name: str) -> None:
    client.force_login(outsider)
    assert client.post(url(name, of(pemdi, "IK7"))).status_code == 404


@pytest.mark.parametrize("persona", ["viewer", "dinkes_admin", "assessor", "leader"])
def test_readers_and_opds_may_not_record_an_index_result(
    client: Client, pemdi: Period, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    a = of(pemdi, "IK7")
    assert index_post(client, a).status_code == 403
    assert client.post(url("index_clear", a)).status_code == 403
    assert Assessment.objects.get(pk=a.pk).index_value is None
    page = client.get(url("assessment_detail", a))
    assert page.status_code == 200 and page.context["index_form"] is None


def test_koordinator_records_and_clears_an_index_result(
    client: Client, pemdi: Period, coordinator: User
) -> None:
    client.force_login(coordinator)
    a = of(pemdi, "IK7")
    page = client.get(url("assessment_detail", a), **ID).content.decode()
    assert "<strong>1,00</strong>" in page  # counts at its default until recorded
    assert index_post(client, a).status_code == 302
    a.refresh_from_db()
    assert (a.index_value, a.index_source) == (D("2.75"), "EPSS (BPS) 2026")
    page = client.get(url("assessment_detail", a), **ID).content.decode()
    assert "2,75" in page
    assert client.post(url("index_clear", a)).status_code == 302
    assert Assessment.objects.get(pk=a.pk).index_value is None


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"source": ""}, "Source: name where the result comes from"),
        ({"value": "1,2,6"}, "Index value: “1,2,6” is not a number"),
        ({"value": "5,01"}, "Index value: 5,01 is outside 1.00-5.00."),
        ({"value": "abc"}, "Index value: “abc” is not a number"),
        ({"date": ""}, "Date: give the date of the result."),
    ],
)
def test_a_bad_index_result_is_refused_naming_the_field(
    client: Client, pemdi: Period, coordinator: User, changes: dict[str, str], named: str
) -> None:
    client.force_login(coordinator)
    a = of(pemdi, "IK7")
    data = {"value": "2,75", "source": "EPSS (BPS) 2026", "date": "2026-11-20", **changes}
    speak(client, EN)
    response = client.post(url("index_record", a), data, **EN)
    assert response.status_code == 302
    page = client.get(response.url, **EN).content.decode()
    assert named in page
    assert Assessment.objects.get(pk=a.pk).index_value is None


# --- the self-assessment with a decimal value ------------------------------------------


def speak(client: Client, lang: dict[str, str]) -> None:
    """The page language: Indonesian, or English where the new messages are checked."""
    client.cookies["django_language"] = lang["HTTP_ACCEPT_LANGUAGE"]


def save(client: Client, a: Assessment, lang: dict[str, str] = ID, **changes: Any) -> Any:
    a.refresh_from_db()
    data = {
        "checked": criteria_up_to(a.indicator, 1),
        "claimed_level": 1,
        "claimed_value": "1,26",
        "claim_justification": "Satu dari empat OPD sudah menerapkan.",
        "explanation": "Penjelasan capaian IK1.",
        "revision": a.revision,
    }
    data.update(changes)
    speak(client, lang)
    return client.post(url("assessment_save", a), data, **lang)


def test_opd_saves_a_decimal_value_typed_with_a_comma_or_a_point(
    client: Client, pemdi: Period, dinkes_admin: User
) -> None:
    client.force_login(dinkes_admin)
    a = of(pemdi, "IK1")
    page = client.get(url("assessment_detail", a), **ID).content.decode()
    assert 'name="claimed_value"' in page
    assert save(client, a).status_code == 302
    a.refresh_from_db()
    assert (a.claimed_level, a.claimed_value) == (1, D("1.26"))
    assert save(client, a, claimed_value="1.50").status_code == 302
    a.refresh_from_db()
    assert a.claimed_value == D("1.50")
    page = client.get(url("assessment_detail", a), **ID).content.decode()
    assert 'data-testid="claimed-value">1,50<' in page
    assert 'value="1,50"' in page


@pytest.mark.parametrize(
    ("typed", "fault"),
    [
        ("1,2,6", "“1,2,6” is not a number"),
        ("1.261", "1.261 has more than two decimals"),
        ("0,5", "0,5 is outside 1.00-5.00."),
        ("5,01", "5,01 is outside"),
        ("abc", "“abc” is not a number"),
        ("2,10", "2.10 is not within level 1"),
    ],
)
def test_a_malformed_value_is_refused_and_the_form_keeps_what_was_typed(
    client: Client, pemdi: Period, dinkes_admin: User, typed: str, fault: str
) -> None:
    client.force_login(dinkes_admin)
    a = of(pemdi, "IK1")
    response = save(client, a, claimed_value=typed, explanation="Teks yang saya ketik.", lang=EN)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"Claimed value: {fault}" in html
    assert "Teks yang saya ketik." in html
    flat = " ".join(html.split())  # the template's line breaks are layout, not content
    for pk in criteria_up_to(a.indicator, 1):
        assert f'value="{pk}" id="crit-{pk}" checked' in flat
    a.refresh_from_db()
    assert (a.claimed_level, a.claimed_value, a.explanation, a.revision) == (None, None, "", 0)


def test_a_value_off_the_level_needs_a_justification(
    client: Client, pemdi: Period, dinkes_admin: User
) -> None:
    client.force_login(dinkes_admin)
    a = of(pemdi, "IK1")
    assert save(client, a, claim_justification="").status_code == 400
    assert Assessment.objects.get(pk=a.pk).claimed_value is None


def test_a_whole_level_instrument_shows_no_value_field_and_refuses_a_posted_one(
    client: Client, agency: Agency, units: dict[str, Unit], dinkes_admin: User
) -> None:
    period = make_period(agency=agency, instrument=make_instrument(), lead_unit=units["dinkes"])
    a = period.assessments.select_related("indicator").get(indicator__number=1)
    client.force_login(dinkes_admin)
    page = client.get(url("assessment_detail", a), **ID).content.decode()
    assert 'name="claimed_value"' not in page
    response = save(client, a, EN, claimed_level=2, checked=criteria_up_to(a.indicator, 2))
    assert response.status_code == 400
    assert "this instrument scores whole levels" in response.content.decode()
    assert Assessment.objects.get(pk=a.pk).claimed_level is None


# --- review ---------------------------------------------------------------------------


def test_assessor_validates_at_another_value_only_with_a_reason_shown_to_the_opd(
    client: Client, pemdi: Period, dinkes_admin: User, assessor: User
) -> None:
    client.force_login(dinkes_admin)
    a = of(pemdi, "IK1")
    save(client, a, claimed_value="1,60")
    client.post(url("assessment_submit", a))
    close_stage(pemdi, Stage.SELF_ASSESSMENT)
    open_stage(pemdi, Stage.INTERNAL_REVIEW)
    client.force_login(assessor)
    page = client.get(url("assessment_detail", a), **ID).content.decode()
    assert 'name="validated_value"' in page and 'name="validated_level"' not in page
    accept = url("review_accept", a)
    speak(client, EN)
    refused = client.post(accept, {"validated_value": "1,26", "validation_reason": ""}, **EN)
    page = client.get(refused.url, **EN).content.decode()
    assert "The validated figure differs from the claim (1.60); give the reason." in page
    assert Assessment.objects.get(pk=a.pk).status == AssessmentStatus.SUBMITTED
    bad = client.post(accept, {"validated_value": "1,2,6", "validation_reason": "x"}, **EN)
    assert "Validated value: “1,2,6” is not a number" in client.get(bad.url).content.decode()
    speak(client, ID)
    data = {"validated_value": "1,26", "validation_reason": "Bukti OPD kedua belum ada."}
    client.post(accept, data, **ID)
    a.refresh_from_db()
    assert (a.status, a.validated_level, a.validated_value) == ("accepted", 1, D("1.26"))
    client.force_login(dinkes_admin)
    page = client.get(url("assessment_detail", a), **ID).content.decode()
    assert "Bukti OPD kedua belum ada." in page
    assert 'data-testid="validated-value">1,26<' in page


# --- external-index indicators on every list -------------------------------------------


def test_external_index_page_has_no_checklist_and_lists_mark_them(
    client: Client, pemdi: Period, coordinator: User
) -> None:
    client.force_login(coordinator)
    a = of(pemdi, "IK7")
    page = client.get(url("assessment_detail", a), **ID).content.decode()
    assert url("assessment_save", a) not in page and url("assessment_submit", a) not in page
    assert "EPSS (BPS)" in page
    dashboard = client.get(reverse("evaluation:period_detail", args=[pemdi.pk]), **ID)
    html = dashboard.content.decode()
    assert 'data-testid="external-index-IK7"' in html
    assert 'data-testid="self-IK7">1,00 (' in html and 'data-testid="self-IK1">—<' in html
    assignment = client.get(reverse("evaluation:assignment", args=[pemdi.pk]), **ID)
    html = assignment.content.decode()
    assert 'data-testid="external-index-IK7"' in html
    assert f'name="a{a.pk}-lead_unit"' not in html
    assert f'name="a{of(pemdi, "IK1").pk}-lead_unit"' in html


def test_pemdi_pages_name_pemdi_and_both_level_names(
    client: Client, pemdi: Period, coordinator: User
) -> None:
    client.force_login(coordinator)
    html = client.get(reverse("evaluation:period_detail", args=[pemdi.pk]), **ID).content.decode()
    assert "Evaluasi Pemdi 2026" in " ".join(html.split())
    page = client.get(url("assessment_detail", of(pemdi, "IK1")), **ID).content.decode()
    assert "Merintis" in page and '<small data-testid="level-alt">(Rintisan)</small>' in page
    assert '<small data-testid="level-alt">(Optimum)</small>' in page


def test_my_indicators_shows_values_in_indonesian_format(
    client: Client, pemdi: Period, dinkes_admin: User
) -> None:
    client.force_login(dinkes_admin)
    save(client, of(pemdi, "IK1"))
    html = client.get(reverse("evaluation:my_indicators"), **ID).content.decode()
    assert "1,26" in html
    assert "IK7" not in html  # not assigned to any OPD


# --- supporting facts and query counts ------------------------------------------------


def _datasets(agency: Agency, n: int, start: int = 0) -> None:
    from padu.databank.models import Dataset

    for i in range(start, start + n):
        Dataset.objects.create(agency=agency, code=f"DS{i}", name=f"Data {i}", period_type="yearly")


def _count(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_ik5_shows_the_data_bank_facts_in_a_fixed_number_of_queries(
    client: Client, pemdi: Period, coordinator: User, agency: Agency
) -> None:
    client.force_login(coordinator)
    path = url("assessment_detail", of(pemdi, "IK5"))
    _datasets(agency, 1)
    client.get(path)
    one = _count(client, path)
    _datasets(agency, 4, start=1)
    assert _count(client, path) == one
    facts = client.get(path).context["facts"]
    assert (facts.datasets, facts.complete_metadata, facts.published) == (5, 0, 0)
    assert reverse("databank:dataset_list") in client.get(path).content.decode()


def test_ik18_shows_the_integrations(
    client: Client, pemdi: Period, coordinator: User, agency: Agency, units: dict[str, Unit]
) -> None:
    from padu.catalog.models import Integration
    from padu.catalog.tests.register_helpers import make_app

    simpeg = make_app(agency, units["dinkes"], "SIMPEG", acronym="SIMPEG")
    presensi = make_app(agency, units["diskominfo"], "Presensi", acronym="PRESENSI")
    Integration.objects.create(
        agency=agency, provider=simpeg, consumer=presensi, method="splp", data_exchanged="NIP"
    )
    client.force_login(coordinator)
    response = client.get(url("assessment_detail", of(pemdi, "IK18")))
    assert response.context["facts"].active == 1
    assert reverse("catalog:integration_list") in response.content.decode()


def test_the_period_page_does_not_grow_in_queries_with_recorded_results(
    client: Client, pemdi: Period, coordinator: User, dinkes_admin: User
) -> None:
    client.force_login(coordinator)
    path = reverse("evaluation:period_detail", args=[pemdi.pk])
    client.get(path)  # warm the instrument's shape cache
    before = _count(client, path)
    for code in ("IK5", "IK7"):
        index_post(client, of(pemdi, code))
    client.force_login(dinkes_admin)
    save(client, of(pemdi, "IK1"))
    client.force_login(coordinator)
    assert _count(client, path) == before
    my = reverse("evaluation:my_indicators")
    client.force_login(dinkes_admin)
    client.get(my)
    first = _count(client, my)
    save(client, of(pemdi, "IK2"), checked=criteria_up_to(of(pemdi, "IK2").indicator, 1))
    assert _count(client, my) == first
