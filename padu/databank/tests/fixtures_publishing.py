"""Publishing fixtures: the conftest's population dataset with complete Satu Data metadata and
accepted values for two kelurahan and two months, ready to publish."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from padu.databank import services_publishing
from padu.databank.models import DataElement, Dataset, DataValue, OptionCombo, Release


def complete_metadata(dataset: Dataset, producer: Any) -> None:
    """Fill every field the metadata completeness check asks for."""
    for element in dataset.elements.all():
        element.concept = element.concept or f"Konsep {element.name}"
        element.definition = element.definition or f"Definisi {element.name}"
        element.classification = element.classification or "Wilayah"
        element.measure = element.measure or "Jumlah"
        element.unit_of_measure = element.unit_of_measure or "Orang"
        element.producer = element.producer or producer
        element.save()
    dataset.description = dataset.description or "Data kependudukan per kelurahan."
    dataset.producer = dataset.producer or producer
    dataset.group = dataset.group or "Kesehatan"
    dataset.tags = dataset.tags or "penduduk, kelahiran"
    dataset.save()


def put(
    element: DataElement,
    combo: OptionCombo,
    region: Any,
    period: str,
    value: str | None,
    status: str = "accepted",
    text: str = "",
) -> DataValue:
    return DataValue.objects.create(
        element=element,
        option_combo=combo,
        region=region,
        period=period,
        value=Decimal(value) if value is not None else None,
        text=text,
        status=status,
    )


@pytest.fixture
def publishable_dataset(
    dataset: Dataset,
    units: dict[str, Any],
    regions: dict[str, Any],
    population: DataElement,
    births: DataElement,
    coverage: DataElement,
    default_combo: OptionCombo,
) -> Dataset:
    """Population by sex (open), births (sensitive, suppressed below 5), immunisation
    coverage (restricted); accepted values for 202501 and 202502 in both kelurahan."""
    complete_metadata(dataset, units["dinkes"])
    for element in (population, births, coverage):
        element.refresh_from_db()
    births.suppress_below = 5
    births.unit_of_measure = "Jiwa"
    births.save()
    coverage.access_class = "terbatas"
    coverage.save()
    male, female = population.category_combo.option_combos.order_by("position")
    for region, base in ((regions["kel_alolama"], 1000), (regions["kel_kambu"], 2000)):
        for month, bump in (("202501", 0), ("202502", 10)):
            put(population, male, region, month, str(base + bump))
            put(population, female, region, month, str(base + bump + 5))
            put(births, default_combo, region, month, "3" if base == 1000 else "12")
            put(coverage, default_combo, region, month, "85.5")
    return dataset


@pytest.fixture
def release(publishable_dataset: Dataset, data_custodian: Any) -> Release:
    return services_publishing.publish_release(
        user=data_custodian, dataset=publishable_dataset, periods=["202501"], notes="Rilis pertama"
    )


@pytest.fixture
def school_release(
    agency: Any, units: dict[str, Any], regions: dict[str, Any], data_custodian: Any, db: None
) -> Release:
    """A second published dataset: schools (Pendidikan, by Disdikbud), yearly."""
    from padu.databank.models import DatasetElement

    combo = OptionCombo.objects.get(combo__code="default", combo__agency=None)
    element = DataElement.objects.create(
        agency=agency,
        code="SEKOLAH",
        name="Jumlah sekolah",
        category_combo=combo.combo,
        unit_of_measure="Unit",
    )
    dataset = Dataset.objects.create(
        agency=agency, code="PENDIDIKAN", name="Pendidikan dasar", period_type="yearly"
    )
    DatasetElement.objects.create(dataset=dataset, element=element, position=0)
    dataset.group, dataset.tags = "Pendidikan", "sekolah, pendidikan"
    dataset.description = "Jumlah sekolah dasar per kelurahan."
    dataset.save()
    complete_metadata(dataset, units["disdik"])
    element.refresh_from_db()
    put(element, combo, regions["kel_alolama"], "2025", "7")
    put(element, combo, regions["kel_kambu"], "2025", "4")
    return services_publishing.publish_release(
        user=data_custodian, dataset=dataset, periods=["2025"]
    )


@pytest.fixture(autouse=True)
def _fresh_catalogue() -> None:
    """The CKAN catalogue is kept per process; each test starts from its own database."""
    from padu.databank.ckan import forget_catalogue
    from padu.databank.ckan_datastore import forget_tables

    forget_catalogue()
    forget_tables()
