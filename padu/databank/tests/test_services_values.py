"""The write path: upsert, one audit row per change, none for unchanged, rollups kept current."""

from __future__ import annotations

from decimal import Decimal as D

from padu.databank.models import AggregateValue, DataValue, ValueAudit
from padu.databank.rollups import rebuild
from padu.databank.services_values import ValueRow, write_values

ALOLAMA, KAMBU = "74.71.01.1001", "74.71.10.1001"


def agg(element, region: str, period: str, combo=None) -> D | None:
    qs = AggregateValue.objects.filter(element=element, region_id=region, period=period)
    if combo is not None:
        qs = qs.filter(option_combo=combo)
    row = qs.first()
    return row.value if row else None


def test_new_values_are_created_audited_and_rolled_up(
    regions, births, default_combo, admin_user
) -> None:
    rows = [
        ValueRow(births.pk, default_combo.pk, ALOLAMA, "202501", D(3)),
        ValueRow(births.pk, default_combo.pk, ALOLAMA, "202502", D(4)),
        ValueRow(births.pk, default_combo.pk, KAMBU, "202502", D(5)),
    ]
    result = write_values(rows=rows, user=admin_user, source="entry")
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert ValueAudit.objects.count() == 3
    assert agg(births, ALOLAMA, "2025Q1") == 7
    assert agg(births, "74.71.01", "202502") == 4  # kecamatan Mandonga
    assert agg(births, "74.71", "202502") == 9  # Kota Kendari
    assert agg(births, "74.71", "2025") == 12
    assert agg(births, "74", "2025S1") == 12  # provinsi


def test_rewriting_the_same_values_changes_nothing_and_audits_nothing(
    regions, births, default_combo, admin_user
) -> None:
    rows = [ValueRow(births.pk, default_combo.pk, ALOLAMA, "202501", D(3))]
    write_values(rows=rows, user=admin_user, source="import:1")
    again = write_values(
        rows=[ValueRow(births.pk, default_combo.pk, ALOLAMA, "202501", D("3.000"))],
        user=admin_user,
        source="import:2",
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert ValueAudit.objects.count() == 1


def test_a_changed_value_writes_exactly_one_audit_row_with_old_and_new(
    regions, births, default_combo, admin_user
) -> None:
    write_values(
        rows=[ValueRow(births.pk, default_combo.pk, ALOLAMA, "202501", D(3))],
        user=admin_user,
        source="entry",
    )
    write_values(
        rows=[ValueRow(births.pk, default_combo.pk, ALOLAMA, "202501", D("3.5"))],
        user=admin_user,
        source="entry",
        reason="koreksi",
    )
    audit = ValueAudit.objects.order_by("-id").first()
    assert (audit.old_value, audit.new_value, audit.reason, audit.user) == (
        "3",
        "3.5",
        "koreksi",
        admin_user,
    )
    assert ValueAudit.objects.count() == 2
    assert agg(births, "74.71", "2025") == D("3.5")


def test_clearing_a_value_deletes_it_and_its_aggregates(
    regions, births, default_combo, admin_user
) -> None:
    write_values(
        rows=[ValueRow(births.pk, default_combo.pk, ALOLAMA, "202501", D(3))],
        user=admin_user,
        source="entry",
    )
    result = write_values(
        rows=[ValueRow(births.pk, default_combo.pk, ALOLAMA, "202501", None)],
        user=admin_user,
        source="entry",
    )
    assert result.deleted == 1
    assert not DataValue.objects.exists()
    assert not AggregateValue.objects.exists()
    assert ValueAudit.objects.order_by("-id").first().new_value == ""


def test_a_stock_takes_the_latest_month_and_sums_villages(
    regions, population, sex_combo, admin_user
) -> None:
    female = sex_combo.option_combos.get(code="P")
    rows = [
        ValueRow(population.pk, female.pk, ALOLAMA, "202501", D(100)),
        ValueRow(population.pk, female.pk, ALOLAMA, "202503", D(104)),
        ValueRow(population.pk, female.pk, KAMBU, "202502", D(50)),
    ]
    write_values(rows=rows, user=admin_user, source="entry")
    assert agg(population, ALOLAMA, "2025Q1", female) == 104
    assert agg(population, "74.71", "2025Q1", female) == 154
    assert agg(population, "74.71", "2025", female) == 154


def test_average_is_weighted_over_all_reports(regions, coverage, default_combo, admin_user) -> None:
    rows = [
        ValueRow(coverage.pk, default_combo.pk, ALOLAMA, "202501", D(80)),
        ValueRow(coverage.pk, default_combo.pk, ALOLAMA, "202502", D(90)),
        ValueRow(coverage.pk, default_combo.pk, KAMBU, "202501", D(50)),
    ]
    write_values(rows=rows, user=admin_user, source="entry")
    assert agg(coverage, "74.71", "2025Q1") == (D(220) / 3).quantize(D("0.000001"))


def test_incremental_refresh_equals_a_rebuild(
    regions, births, population, sex_combo, default_combo, admin_user
) -> None:
    male = sex_combo.option_combos.get(code="L")
    write_values(
        rows=[
            ValueRow(births.pk, default_combo.pk, r, f"2025{m:02d}", D(m))
            for r in (ALOLAMA, KAMBU)
            for m in range(1, 13)
        ],
        user=admin_user,
        source="entry",
    )
    write_values(
        rows=[
            ValueRow(population.pk, male.pk, r, f"2025{m:02d}", D(100 + m))
            for r in (ALOLAMA, KAMBU)
            for m in (1, 6)
        ],
        user=admin_user,
        source="entry",
    )
    write_values(
        rows=[ValueRow(births.pk, default_combo.pk, KAMBU, "202507", D(70))],
        user=admin_user,
        source="entry",
    )
    incremental = set(
        AggregateValue.objects.values_list(
            "element_id", "option_combo_id", "region_id", "period", "value", "count"
        )
    )
    rebuild()
    assert (
        set(
            AggregateValue.objects.values_list(
                "element_id", "option_combo_id", "region_id", "period", "value", "count"
            )
        )
        == incremental
    )


def test_deferred_rollups_wait_for_refresh_pending_then_equal_a_direct_write(
    regions, births, default_combo, admin_user
) -> None:
    from padu.databank.models import PendingRollup
    from padu.databank.rollups import refresh_pending

    rows = [
        ValueRow(births.pk, default_combo.pk, region, f"2025{m:02d}", D(m))
        for region in (ALOLAMA, KAMBU)
        for m in (1, 2, 3)
    ]
    result = write_values(rows=rows, user=admin_user, source="import:1", defer_rollups=True)
    assert result.created == 6
    assert DataValue.objects.count() == 6  # the values are written at once
    assert not AggregateValue.objects.exists()  # the aggregates wait
    pending = PendingRollup.objects.get(pk=result.pending_rollup)
    assert pending.last_audit - pending.first_audit == 5
    assert refresh_pending(result.pending_rollup) > 0
    assert not PendingRollup.objects.exists()
    assert agg(births, "74.71", "2025Q1") == 12
    deferred = set(AggregateValue.objects.values_list("region_id", "period", "value", "count"))
    rebuild()
    assert set(AggregateValue.objects.values_list("region_id", "period", "value", "count")) == (
        deferred
    )
    assert refresh_pending(result.pending_rollup) == 0  # done once only


def test_a_deferred_write_that_changes_nothing_leaves_nothing_pending(
    regions, births, default_combo, admin_user
) -> None:
    from padu.databank.models import PendingRollup

    rows = [ValueRow(births.pk, default_combo.pk, ALOLAMA, "202501", D(3))]
    write_values(rows=rows, user=admin_user, source="entry")
    again = write_values(rows=rows, user=admin_user, source="import:2", defer_rollups=True)
    assert again.pending_rollup is None
    assert not PendingRollup.objects.exists()


def test_leftover_pending_rollups_are_completed_by_the_scheduled_job(
    regions, births, default_combo, admin_user
) -> None:
    from padu.core.schedule import SCHEDULE
    from padu.databank.models import PendingRollup
    from padu.databank.rollups import refresh_leftover_rollups

    for month in (1, 2):  # two writers that stopped before refreshing
        write_values(
            rows=[ValueRow(births.pk, default_combo.pk, KAMBU, f"2025{month:02d}", D(month))],
            user=admin_user,
            source="import:3",
            defer_rollups=True,
        )
    assert PendingRollup.objects.count() == 2
    refresh_leftover_rollups.enqueue()
    assert not PendingRollup.objects.exists()
    assert agg(births, "74", "2025") == 3
    assert "padu.databank.rollups.refresh_leftover_rollups" in {p.task for p in SCHEDULE}
