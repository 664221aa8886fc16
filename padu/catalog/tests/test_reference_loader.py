"""The reference architecture loads from the bundled file, completely and idempotently."""

from __future__ import annotations

import pytest

from padu.catalog.models import NationalApplication, ReferenceCode
from padu.catalog.reference_loader import load_reference

pytestmark = pytest.mark.django_db


def test_every_model_loads_with_its_levels_and_parents() -> None:
    result = load_reference()
    counts = {
        m: ReferenceCode.objects.filter(model=m).count()
        for m in ["RAB", "RAL", "RAD", "RAA", "RAI", "RAK"]
    }
    assert counts == {"RAB": 54, "RAL": 55, "RAD": 59, "RAA": 6, "RAI": 10, "RAK": 12}
    assert result.codes == sum(counts.values())
    health = ReferenceCode.objects.get(code="RAL.01.25")
    assert (health.name, health.level, health.parent.code) == ("Kesehatan", 2, "RAL.01")
    assert not ReferenceCode.objects.filter(level=2, parent__isnull=True).exists()


def test_national_applications_load_with_their_codes() -> None:
    load_reference()
    srikandi = NationalApplication.objects.get(key="srikandi")
    assert srikandi.name == "SRIKANDI"
    assert srikandi.is_general is True
    assert "RAL.02.04.06" in srikandi.ral_codes
    assert NationalApplication.objects.count() == 27


def test_loading_twice_changes_nothing() -> None:
    load_reference()
    before = list(
        ReferenceCode.objects.order_by("code").values_list("pk", "code", "name", "parent_id")
    )
    load_reference()
    after = list(
        ReferenceCode.objects.order_by("code").values_list("pk", "code", "name", "parent_id")
    )
    assert before == after
    assert NationalApplication.objects.count() == 27
