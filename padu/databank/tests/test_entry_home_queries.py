"""The entry list reads the agency's regions once: its query count does not grow with datasets."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from padu.databank.models import Dataset, Submission
from padu.databank.permissions import entry_regions
from padu.databank.selectors_entry import entry_regions_by_dataset

pytest_plugins = ["padu.databank.tests.fixtures_entry"]
pytestmark = pytest.mark.django_db


def add_datasets(agency: Any, count: int, **kw: Any) -> list[Dataset]:
    return [
        Dataset.objects.create(
            agency=agency, code=f"DS{i}", name=f"Dataset {i}", period_type="monthly", **kw
        )
        for i in range(count)
    ]


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize("who", ["village_operator", "data_custodian"])
def test_entry_list_query_count_does_not_grow_with_datasets(
    request: pytest.FixtureRequest,
    django_assert_max_num_queries: Any,
    agency: Any,
    kambu: Any,
    month: str,
    who: str,
    count: int,
) -> None:
    user = request.getfixturevalue(who)
    for ds in add_datasets(agency, count):
        Submission.objects.create(dataset=ds, region=kambu, period=month, status="submitted")
    client = client_for(user)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("databank:entry_home"))
    assert response.status_code == 200
    body = response.content.decode()
    villages = 1 if who == "village_operator" else 2
    assert body.count('data-testid="form-link-') == count * 3 * villages
    assert f"form-link-{Dataset.objects.get(code='DS0').pk}-{kambu.code}-{month}" in body


def test_the_same_regions_as_entry_regions(
    agency: Any, regions: dict[str, Any], village_operator: Any, data_custodian: Any
) -> None:
    datasets = add_datasets(agency, 2)
    datasets.append(
        Dataset.objects.create(
            agency=agency, code="KEC", name="Kecamatan", period_type="monthly", collection_level=3
        )
    )
    listed = Dataset.objects.create(agency=agency, code="L", name="Listed", period_type="yearly")
    listed.regions.add(regions["kel_alolama"])
    datasets.append(listed)
    for user in (village_operator, data_custodian):
        found = entry_regions_by_dataset(user, agency, datasets)
        for ds in datasets:
            assert [r.code for r in found.get(ds.pk, [])] == [
                r.code for r in entry_regions(user, ds)
            ], (user.username, ds.code)
    assert [r.code for r in found[listed.pk]] == ["74.71.01.1001"]  # the custodian's


def test_a_producer_gets_the_regions_of_their_own_datasets_only(
    agency: Any, regions: dict[str, Any], units: dict[str, Any]
) -> None:
    """A produsen data enters for the datasets of their OPD, not for another OPD's."""
    from conftest import make_user
    from padu.accounts.choices import Role

    producer = make_user("produsen.dinkes", (agency, Role.DATA_PRODUCER, units["dinkes"], None))
    own, other = add_datasets(agency, 2)
    own.producer = units["dinkes"]
    own.save()
    other.producer = units["disdik"]
    other.save()
    found = entry_regions_by_dataset(producer, agency, [own, other])
    for ds in (own, other):
        assert [r.code for r in found.get(ds.pk, [])] == [
            r.code for r in entry_regions(producer, ds)
        ], ds.code
    assert found[own.pk] and not found[other.pk]
