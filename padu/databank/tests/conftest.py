"""Data bank fixtures: a small population dataset for Kota Kendari's two test kelurahan."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from padu.databank.models import (
    Category,
    CategoryCombo,
    CategoryOption,
    DataElement,
    Dataset,
    DatasetElement,
    OptionCombo,
)


@pytest.fixture
def default_combo(db: None) -> OptionCombo:
    return OptionCombo.objects.get(combo__code="default", combo__agency=None)


@pytest.fixture
def sex_combo(agency: Any) -> CategoryCombo:
    sex = Category.objects.create(agency=agency, code="JK", name="Jenis kelamin")
    male = CategoryOption.objects.create(category=sex, code="L", name="Laki-laki", position=1)
    female = CategoryOption.objects.create(category=sex, code="P", name="Perempuan", position=2)
    combo = CategoryCombo.objects.create(agency=agency, code="JK", name="Jenis kelamin")
    combo.categories.add(sex)
    for pos, option in enumerate([male, female], 1):
        oc = OptionCombo.objects.create(
            combo=combo, code=option.code, name=option.name, position=pos
        )
        oc.options.add(option)
    return combo


def make_element(
    agency: Any, combo: CategoryCombo, code: str, aggregation: str = "sum", **kw: Any
) -> DataElement:
    return DataElement.objects.create(
        agency=agency,
        code=code,
        name=kw.pop("name", code),
        category_combo=combo,
        aggregation=aggregation,
        **kw,
    )


@pytest.fixture
def population(agency: Any, sex_combo: CategoryCombo) -> DataElement:
    return make_element(
        agency, sex_combo, "PDD", "last", name="Jumlah penduduk", min_value=Decimal(0)
    )


@pytest.fixture
def births(agency: Any, default_combo: OptionCombo) -> DataElement:
    return make_element(agency, default_combo.combo, "LAHIR", "sum", name="Jumlah kelahiran")


@pytest.fixture
def coverage(agency: Any, default_combo: OptionCombo) -> DataElement:
    return make_element(
        agency,
        default_combo.combo,
        "IMUN",
        "average",
        name="Cakupan imunisasi",
        value_type="percentage",
    )


@pytest.fixture
def dataset(
    agency: Any, population: DataElement, births: DataElement, coverage: DataElement
) -> Dataset:
    ds = Dataset.objects.create(
        agency=agency, code="KEPENDUDUKAN", name="Kependudukan", period_type="monthly"
    )
    for pos, element in enumerate([population, births, coverage]):
        DatasetElement.objects.create(dataset=ds, element=element, position=pos)
    return ds
