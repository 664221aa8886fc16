"""The demo data bank: realistic, complete for Kota Kendari's 65 kelurahan, idempotent."""

from __future__ import annotations

import time

import pytest

from padu.databank.completeness_metadata import dataset_metadata_gaps
from padu.databank.models import (
    AggregateValue,
    DataElement,
    Dataset,
    DataValue,
    Submission,
    ValidationRule,
)
from padu.organizations.models import Region


def _counts() -> tuple[int, ...]:
    return (
        DataElement.objects.count(),
        Dataset.objects.count(),
        ValidationRule.objects.count(),
        DataValue.objects.count(),
        Submission.objects.count(),
        AggregateValue.objects.count(),
    )


@pytest.mark.django_db
def test_demo_is_complete_idempotent_and_scoped() -> None:
    from padu.core.demo import seed_demo

    started = time.perf_counter()
    seed_demo()
    print(f"seed_demo: {time.perf_counter() - started:.1f}s")
    first = _counts()
    villages = Region.objects.filter(code__startswith="74.71.", level=4)
    assert villages.count() == 65
    with_values = set(DataValue.objects.values_list("region_id", flat=True).distinct())
    assert {v.code for v in villages} <= with_values
    datasets = Dataset.objects.filter(agency__slug="kota-kendari")
    assert datasets.count() == 4
    for dataset in datasets:
        assert dataset_metadata_gaps(dataset) == [], dataset.code
    statuses = set(Submission.objects.values_list("status", flat=True))
    assert statuses == {"open", "submitted", "returned", "accepted"}
    assert DataValue.objects.filter(status="returned").exclude(return_reason="").exists()
    assert DataValue.objects.filter(status="accepted").count() > DataValue.objects.count() / 2
    kendari = AggregateValue.objects.filter(region_id="74.71", element__code="PDD", period="2025")
    assert kendari.count() == 2  # L and P
    total = sum(a.value for a in kendari)
    assert 250_000 < total < 600_000

    seed_demo()
    assert _counts() == first
    _users_have_their_scopes()


def _users_have_their_scopes() -> None:
    from padu.accounts.models import User
    from padu.databank.permissions import can_edit_dataset, entry_regions

    health = Dataset.objects.get(code="KIA")
    producer = User.objects.get(username="produsen.dinkes")
    assert can_edit_dataset(producer, health)
    assert not can_edit_dataset(User.objects.get(username="produsen.dinsos"), health)
    operator = User.objects.get(username="operator.mandonga")
    assert [r.code for r in entry_regions(operator, health)] == ["74.71.01.1005"]
