"""SPBE -> Pemdi: the mapping file (strict reader) and the reuse suggestions on the pages."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from padu.accounts.models import User
from padu.evaluation.choices import EvidenceKind, PeriodStatus
from padu.evaluation.instrument_loader import load_instrument
from padu.evaluation.migration_pemdi import (
    MAPPING_FILE,
    MappingError,
    mapping_between,
    parse_mapping,
    reuse_suggestions,
    suggested_leads,
)
from padu.evaluation.models import Assessment, Evidence, EvidenceLink, Instrument, Period
from padu.organizations.models import Agency, Unit

from .factories import make_period
from .pemdi import load_pemdi

SPBE_FILE = Path(MAPPING_FILE).parents[1] / "instruments" / "permenpanrb-59-2020.yaml"
SPBE = set(range(1, 48))
PEMDI = set(range(1, 21))


def _data() -> dict[str, Any]:
    return copy.deepcopy(yaml.safe_load(MAPPING_FILE.read_text(encoding="utf-8")))


def _parse(data: Any) -> Any:
    return parse_mapping(data, from_numbers=SPBE, to_numbers=PEMDI)


# --- the file and its reader ---------------------------------------------------------------


def test_bundled_mapping_accounts_for_every_spbe_indicator_and_says_it_is_padus_proposal() -> None:
    data = _data()
    mapping = _parse(data)
    unmapped = {row["from"] for row in data.get("unmapped") or []}
    assert set(mapping.rows) | unmapped == SPBE
    assert mapping.status == "padu_proposal"
    assert "bukan pemetaan resmi" in mapping.source
    assert "No official mapping" in MAPPING_FILE.read_text(encoding="utf-8")


def test_mapping_follows_the_issue_examples() -> None:
    mapping = _parse(_data())
    assert {mapping.targets(n)[0] for n in (1, 2, 11, 12, 13)} == {1}  # policy, architecture, plan
    assert 5 in mapping.targets(3) and 5 in mapping.targets(23)  # data -> IK5
    assert 8 in mapping.targets(23)  # data management -> IK8
    assert mapping.targets(31)[0] == 9  # security audit -> IK9
    assert set(mapping.targets(18)) <= {15, 16, 17, 18} and 16 in mapping.targets(18)
    assert mapping.targets(25) == (3,)  # SDM -> IK3
    assert 17 in mapping.targets(45) and 20 in mapping.targets(45)  # public services
    assert mapping.sources(9) == (9, 29, 30, 31)


@pytest.mark.parametrize(
    ("change", "place"),
    [
        (lambda d: d.update(format="other/1"), "format"),
        (lambda d: d.pop("source"), "source"),
        (lambda d: d["rows"].append({"from": 48, "to": ["IK1"]}), "rows[48].from"),
        (lambda d: d["rows"].append({"from": 0, "to": ["IK1"]}), "rows[48].from"),
        (lambda d: d["rows"].append({"from": "1", "to": ["IK1"]}), "rows[48].from"),
        (lambda d: d["rows"].append({"from": 1, "to": ["IK2"]}), "listed twice"),
        (lambda d: d["rows"][0].update(to=["IK21"]), "rows[1].to: IK21"),
        (lambda d: d["rows"][0].update(to=["K1"]), "rows[1].to"),
        (lambda d: d["rows"][0].update(to=[1]), "rows[1].to"),
        (lambda d: d["rows"][0].update(to=[]), "rows[1].to"),
        (lambda d: d["rows"][0].update(to=["IK1", "IK1"]), "rows[1].to"),
        (lambda d: d["rows"][0].update(extra=1), "rows[1]"),
        (lambda d: d.update(unmapped=[{"from": 1}]), "unmapped[1]"),
        (lambda d: d.update(rows=[]), "rows"),
    ],
)
def test_reader_refuses_faults_naming_the_place(change: Any, place: str) -> None:
    data = _data()
    change(data)
    with pytest.raises(MappingError, match=place.replace("[", r"\[").replace("]", r"\]")):
        _parse(data)


# --- suggestions against the database ------------------------------------------------------


@pytest.fixture
def spbe(db: None) -> Instrument:
    return load_instrument(text=SPBE_FILE.read_text(encoding="utf-8")).instrument


@pytest.fixture
def reuse_setup(
    agency: Agency, units: dict[str, Unit], spbe: Instrument, coordinator: User
) -> dict[str, Any]:
    """2025 on 59/2020 (closed; SPBE 29-31 led by Inspektorat, 45 by Dinkes, the rest by
    Diskominfo, evidence linked) and 2026 on 8/2026."""
    last = make_period(agency=agency, instrument=spbe, year=2025, lead_unit=units["diskominfo"])
    last.status = PeriodStatus.CLOSED
    last.save(update_fields=["status"])
    spbe_rows = {a.indicator.number: a for a in last.assessments.select_related("indicator")}
    for number, unit in (
        (29, "inspektorat"),
        (30, "inspektorat"),
        (31, "inspektorat"),
        (45, "dinkes"),
    ):
        Assessment.objects.filter(pk=spbe_rows[number].pk).update(lead_unit=units[unit])
    evidence = {}
    for title, owner, numbers in (
        ("Laporan Audit Keamanan 2025", "inspektorat", [31]),
        ("Perwali Arsitektur SPBE", "diskominfo", [1, 11]),
        ("Tangkapan layar SIMPUS", "dinkes", [45]),
    ):
        ev = Evidence.objects.create(
            agency=agency, owner_unit=units[owner], title=title, kind=EvidenceKind.REPORT
        )
        evidence[title] = ev
        for n in numbers:
            EvidenceLink.objects.create(assessment=spbe_rows[n], evidence=ev, level=2)
    current = make_period(agency=agency, instrument=load_pemdi(), year=2026)
    rows = {a.indicator.number: a for a in current.assessments.select_related("indicator")}
    return {"last": last, "current": current, "rows": rows, "evidence": evidence}


def test_suggestions_list_mapped_evidence_and_leads(reuse_setup: dict[str, Any]) -> None:
    current, rows, evidence = reuse_setup["current"], reuse_setup["rows"], reuse_setup["evidence"]
    EvidenceLink.objects.create(
        assessment=rows[1], evidence=evidence["Perwali Arsitektur SPBE"], level=1
    )
    found = reuse_suggestions(current, rows.values())
    ik1, ik9, ik17 = found[rows[1].pk], found[rows[9].pk], found[rows[17].pk]
    assert ik1.year == 2025 and 11 in ik1.spbe_numbers
    assert [(e.evidence.title, e.spbe_numbers, e.attached) for e in ik1.evidence] == [
        ("Perwali Arsitektur SPBE", [1, 11], True)
    ]
    assert ik1.pending == []
    assert [e.evidence.title for e in ik9.pending] == ["Laporan Audit Keamanan 2025"]
    assert [lead.unit.acronym for lead in ik9.leads] == ["Inspektorat", "Diskominfo"]
    assert ik9.leads[0].spbe_numbers == [29, 30, 31] and ik9.leads[1].spbe_numbers == [9]
    assert [e.evidence.title for e in ik17.pending] == ["Tangkapan layar SIMPUS"]
    assert found[rows[11].pk].evidence == []  # IK11 (cryptography) has no SPBE predecessor
    leads = suggested_leads(current)
    assert leads[9][0].unit.acronym == "Inspektorat" and leads[11] == []


def test_no_suggestions_without_an_earlier_spbe_period(agency: Agency) -> None:
    current = make_period(agency=agency, instrument=load_pemdi(), year=2026)
    assert reuse_suggestions(current, current.assessments.all()) == {}
    assert suggested_leads(current) == {}


def test_mapping_between_other_instruments_is_none(spbe: Instrument) -> None:
    assert mapping_between(spbe, spbe) is None
    assert mapping_between(spbe, load_pemdi()) is not None


def test_archived_evidence_is_not_suggested(reuse_setup: dict[str, Any]) -> None:
    audit = reuse_setup["evidence"]["Laporan Audit Keamanan 2025"]
    Evidence.objects.filter(pk=audit.pk).update(is_archived=True)
    rows = reuse_setup["rows"]
    assert reuse_suggestions(reuse_setup["current"], [rows[9]])[rows[9].pk].evidence == []


# --- the pages -----------------------------------------------------------------------------


def _detail(client: Client, user: User | None, a: Assessment) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(reverse("evaluation:assessment_detail", args=[a.pk]))


def test_anonymous_and_other_agency_see_no_panel(
    client: Client, reuse_setup: dict[str, Any], outsider: User
) -> None:
    a = reuse_setup["rows"][9]
    assert _detail(client, None, a).status_code == 302
    assert _detail(client, outsider, a).status_code in (403, 404)


def test_read_only_users_see_the_panel_without_attach_buttons(
    client: Client, reuse_setup: dict[str, Any], viewer: User, leader: User
) -> None:
    a = reuse_setup["rows"][9]
    page = _detail(client, viewer, a).content.decode()
    panel = page.split('data-testid="pemdi-reuse"')[1]
    assert "Inspektorat" in panel  # the suggested lead
    assert "Laporan Audit Keamanan 2025" not in page  # a viewer does not see the library
    page = _detail(Client(), leader, a).content.decode()
    panel = page.split('data-testid="pemdi-reuse"')[1]
    assert "Laporan Audit Keamanan 2025" in panel and 'name="evidence"' not in panel


def test_opd_sees_only_evidence_it_may_see(
    client: Client, reuse_setup: dict[str, Any], disdik_admin: User, units: dict[str, Unit]
) -> None:
    a = reuse_setup["rows"][17]
    a.supporting_units.add(units["disdik"])
    page = _detail(client, disdik_admin, a).content.decode()
    assert 'data-testid="pemdi-reuse"' in page
    assert "Tangkapan layar SIMPUS" not in page  # Dinkes's evidence, not visible to Disdikbud


def test_writer_attaches_suggested_evidence_in_one_click(
    client: Client, reuse_setup: dict[str, Any], coordinator: User
) -> None:
    a = reuse_setup["rows"][9]
    audit = reuse_setup["evidence"]["Laporan Audit Keamanan 2025"]
    page = _detail(client, coordinator, a).content.decode()
    panel = page.split('data-testid="pemdi-reuse"')[1]
    assert f'value="{audit.pk}"' in panel
    response = client.post(
        reverse("evaluation:evidence_attach", args=[a.pk]),
        {"evidence": audit.pk, "level": 1},
    )
    assert response.status_code == 302
    assert EvidenceLink.objects.filter(assessment=a, evidence=audit, level=1).exists()
    panel = _detail(client, coordinator, a).content.decode().split('data-testid="pemdi-reuse"')[1]
    assert f'value="{audit.pk}"' not in panel


def test_the_panel_lists_ten_items_not_yet_attached_first_and_counts_the_rest(
    client: Client, reuse_setup: dict[str, Any], coordinator: User, units: dict[str, Unit]
) -> None:
    a = reuse_setup["rows"][9]  # IK9 <- SPBE 9 and 31 (audit)
    spbe_31 = reuse_setup["last"].assessments.get(indicator__number=31)
    for n in range(12):
        ev = Evidence.objects.create(
            agency=a.period.agency,
            owner_unit=units["inspektorat"],
            title=f"Laporan audit {n:02d}",
            kind=EvidenceKind.REPORT,
        )
        EvidenceLink.objects.create(assessment=spbe_31, evidence=ev, level=2)
    first = Evidence.objects.get(title="Laporan audit 00")
    EvidenceLink.objects.create(assessment=a, evidence=first, level=1)  # already attached
    page = _detail(client, coordinator, a).content.decode()
    panel = page.split('data-testid="pemdi-reuse"')[1]
    assert panel.count('data-testid="reuse-evidence"') == 10
    assert "Laporan audit 00" not in panel  # attached, so after the ten not yet attached
    more = panel.split('data-testid="reuse-more"')[1]
    assert "Dan 3 lagi" in more and reverse("evaluation:evidence_list") in more


def test_spbe_period_pages_show_no_panel(
    client: Client, reuse_setup: dict[str, Any], coordinator: User
) -> None:
    old = reuse_setup["last"].assessments.get(indicator__number=31)
    assert 'data-testid="pemdi-reuse"' not in _detail(client, coordinator, old).content.decode()


def test_assignment_page_suggests_leads_at_a_fixed_query_count(
    client: Client, reuse_setup: dict[str, Any], coordinator: User, agency: Agency, spbe: Instrument
) -> None:
    client.force_login(coordinator)
    current: Period = reuse_setup["current"]
    url = reverse("evaluation:assignment", args=[current.pk])
    client.get(url)  # the mapping is checked once per process against the instruments
    with CaptureQueriesContext(connection) as full:
        page = client.get(url).content.decode()
    assert 'data-testid="reuse-leads-IK9"' in page and "Inspektorat (29, 30, 31)" in page
    # Half the indicators: the page must not need fewer queries per indicator removed.
    Assessment.objects.filter(period=current, indicator__number__gt=10).delete()
    with CaptureQueriesContext(connection) as half:
        client.get(url)
    assert len(full.captured_queries) == len(half.captured_queries)


def test_spbe_numbers_follow_the_mapping_on_pemdi_only(spbe: Instrument) -> None:
    from padu.evaluation.migration_pemdi import spbe_numbers_for

    assert spbe_numbers_for(spbe, [4, 11]) == [4, 11]
    assert spbe_numbers_for(load_pemdi(), [4, 11, 15]) == [13, 1, 15]
    assert spbe_numbers_for(None, [4]) == [4]


def test_register_evidence_suggests_pemdi_successors(
    reuse_setup: dict[str, Any], spbe: Instrument
) -> None:
    from padu.catalog.register_evidence import default_indicator_codes

    assert default_indicator_codes(reuse_setup["current"]) == ["IK1", "IK13", "IK15", "IK16"]
    assert default_indicator_codes(reuse_setup["last"]) == ["4", "11", "15", "18"]
    assert default_indicator_codes(None) == ["4", "11", "15", "18"]
