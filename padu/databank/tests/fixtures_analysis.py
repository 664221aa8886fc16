"""Analysis fixtures: values of three aggregation types in Kendari's two test kelurahan."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

import pytest

from padu.databank.models import DataElement, OptionCombo
from padu.databank.services_values import ValueRow, write_values

from .conftest import make_element

ALOLAMA, KAMBU = "74.71.01.1001", "74.71.10.1001"


@pytest.fixture
def coverage_by_sex(agency: Any, sex_combo: Any) -> DataElement:
    return make_element(agency, sex_combo, "IMUN_JK", "average", name="Imunisasi per JK")


@pytest.fixture
def analysis_data(
    population: DataElement,
    births: DataElement,
    coverage: DataElement,
    coverage_by_sex: DataElement,
    default_combo: OptionCombo,
    admin_user: Any,
) -> dict[str, DataElement]:
    male, female = (
        OptionCombo.objects.get(combo=population.category_combo, code=c) for c in ("L", "P")
    )
    d = default_combo.pk
    rows = [
        ValueRow(births.pk, d, ALOLAMA, "202501", D(3)),
        ValueRow(births.pk, d, ALOLAMA, "202502", D(4)),
        ValueRow(births.pk, d, KAMBU, "202502", D(5)),
        ValueRow(births.pk, d, KAMBU, "202503", D(1)),
        ValueRow(population.pk, male.pk, ALOLAMA, "202501", D(100)),
        ValueRow(population.pk, female.pk, ALOLAMA, "202501", D(110)),
        ValueRow(population.pk, male.pk, ALOLAMA, "202503", D(102)),
        ValueRow(population.pk, female.pk, ALOLAMA, "202503", D(111)),
        ValueRow(population.pk, male.pk, KAMBU, "202502", D(50)),
        ValueRow(population.pk, female.pk, KAMBU, "202502", D(60)),
        ValueRow(coverage.pk, d, ALOLAMA, "202501", D(80)),
        ValueRow(coverage.pk, d, ALOLAMA, "202502", D(90)),
        ValueRow(coverage.pk, d, KAMBU, "202501", D(60)),
        ValueRow(coverage_by_sex.pk, male.pk, ALOLAMA, "202501", D(80)),
        ValueRow(coverage_by_sex.pk, female.pk, ALOLAMA, "202501", D(90)),
        ValueRow(coverage_by_sex.pk, male.pk, ALOLAMA, "202502", D(70)),
    ]
    write_values(rows=rows, user=admin_user, source="entry")
    return {
        "births": births,
        "population": population,
        "coverage": coverage,
        "coverage_by_sex": coverage_by_sex,
    }
