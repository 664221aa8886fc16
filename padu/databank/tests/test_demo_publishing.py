"""The demo's publications: published once, nothing when the datasets are missing."""

from __future__ import annotations

from typing import Any

from padu.databank.demo_publishing import seed_publication
from padu.databank.models import Release

pytest_plugins = ["padu.databank.tests.fixtures_publishing"]


def test_demo_does_nothing_without_datasets(agency: Any, data_custodian: Any) -> None:
    assert seed_publication(agency, {"walidata": data_custodian}) == []


def test_demo_publishes_once(publishable_dataset: Any, agency: Any, data_custodian: Any) -> None:
    published = seed_publication(agency, {"walidata": data_custodian})
    assert [(r.dataset.code, r.version, r.periods) for r in published] == [
        ("KEPENDUDUKAN", 1, ["202501", "202502"])
    ]
    assert seed_publication(agency, {"walidata": data_custodian}) == []
    assert Release.objects.count() == 1
