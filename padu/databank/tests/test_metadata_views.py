"""Metadata pages: permission cases first (anonymous, another agency, read-only, writer)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from padu.accounts.choices import Role
from padu.audit.models import AuditEvent
from padu.databank.models import (
    Category,
    CategoryCombo,
    DataElement,
    Dataset,
    DatasetElement,
    OptionCombo,
    OptionSet,
    ValidationRule,
)
from padu.databank.services_values import ValueRow, write_values


@pytest.fixture
def producer(agency: Any, units: dict[str, Any]) -> Any:
    return make_user("produsen.dinkes", (agency, Role.DATA_PRODUCER, units["dinkes"], None))


@pytest.fixture
def objs(dataset: Dataset, sex_combo: CategoryCombo, agency: Any) -> dict[str, Any]:
    rule = ValidationRule.objects.create(
        dataset=dataset, name="R", left="#{PDD.L}", operator=">=", right="0"
    )
    option_set = OptionSet.objects.create(agency=agency, code="YN", name="Ya/Tidak")
    element = dataset.elements.get(code="PDD")
    item = DatasetElement.objects.get(dataset=dataset, element=element)
    return {
        "dataset": dataset,
        "element": element,
        "rule": rule,
        "combo": sex_combo,
        "category": sex_combo.categories.get(),
        "option_set": option_set,
        "item": item,
    }


LISTS = ["home", "element_list", "dataset_list", "combo_list"]
CREATES = ["element_create", "dataset_create", "combo_create", "category_create",
           "option_set_create"]  # fmt: skip


def _url(name: str, objs: dict[str, Any]) -> str:
    args: dict[str, list[Any]] = {
        "element_detail": [objs["element"].pk],
        "element_edit": [objs["element"].pk],
        "dataset_detail": [objs["dataset"].pk],
        "dataset_edit": [objs["dataset"].pk],
        "dataset_element_add": [objs["dataset"].pk],
        "dataset_element_change": [objs["dataset"].pk, objs["item"].pk],
        "rule_create": [objs["dataset"].pk],
        "rule_edit": [objs["dataset"].pk, objs["rule"].pk],
        "rule_delete": [objs["dataset"].pk, objs["rule"].pk],
        "combo_edit": [objs["combo"].pk],
        "category_edit": [objs["category"].pk],
        "option_set_edit": [objs["option_set"].pk],
    }
    return reverse(f"databank:{name}", args=args.get(name, []))


OBJECT_PAGES = ["element_detail", "dataset_detail"]
OBJECT_WRITES = ["element_edit", "dataset_edit", "rule_create", "rule_edit", "combo_edit",
                 "category_edit", "option_set_edit"]  # fmt: skip
POSTS = ["dataset_element_add", "dataset_element_change", "rule_delete"]


@pytest.mark.parametrize("name", LISTS + CREATES + OBJECT_PAGES + OBJECT_WRITES)
def test_anonymous_is_sent_to_login(client: Client, objs: dict[str, Any], name: str) -> None:
    response = client.get(_url(name, objs))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", OBJECT_PAGES + OBJECT_WRITES + POSTS)
def test_another_agency_gets_404(
    client: Client, objs: dict[str, Any], outsider: Any, name: str
) -> None:
    client.force_login(outsider)
    method = client.post if name in POSTS else client.get
    assert method(_url(name, objs)).status_code == 404


@pytest.mark.parametrize("name", LISTS + OBJECT_PAGES)
def test_viewer_may_read(client: Client, objs: dict[str, Any], viewer: Any, name: str) -> None:
    client.force_login(viewer)
    assert client.get(_url(name, objs)).status_code == 200


@pytest.mark.parametrize("name", CREATES + OBJECT_WRITES)
def test_viewer_may_not_write(client: Client, objs: dict[str, Any], viewer: Any, name: str) -> None:
    client.force_login(viewer)
    assert client.get(_url(name, objs)).status_code == 403


@pytest.mark.parametrize("name", POSTS)
def test_viewer_may_not_post(client: Client, objs: dict[str, Any], viewer: Any, name: str) -> None:
    client.force_login(viewer)
    assert client.post(_url(name, objs), {"action": "up"}).status_code == 403


def test_user_without_databank_role_is_refused(client: Client, objs: dict[str, Any]) -> None:
    user = make_user("nobody")
    client.force_login(user)
    assert client.get(_url("home", objs)).status_code in (403, 302)


@pytest.mark.parametrize("name", LISTS + CREATES + OBJECT_PAGES + OBJECT_WRITES)
def test_walidata_opens_every_page(
    client: Client, objs: dict[str, Any], data_custodian: Any, name: str
) -> None:
    client.force_login(data_custodian)
    assert client.get(_url(name, objs)).status_code == 200


@pytest.mark.parametrize("name", ["element_list", "dataset_list", "combo_list"])
def test_lists_export_csv(client: Client, objs: dict[str, Any], viewer: Any, name: str) -> None:
    client.force_login(viewer)
    response = client.get(_url(name, objs) + "?format=csv&sort=-code")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    assert "PDD" in body or "JK" in body or "KEPENDUDUKAN" in body


def test_element_list_filters_and_sorts(client: Client, objs: dict[str, Any], viewer: Any) -> None:
    client.force_login(viewer)
    response = client.get(reverse("databank:element_list"), {"q": "lahir", "sort": "-name"})
    codes = [e.code for e, _c in response.context["items"]]
    assert codes == ["LAHIR"]
    response = client.get(reverse("databank:element_list"), {"type": "percentage"})
    assert [e.code for e, _c in response.context["items"]] == ["IMUN"]
    assert re.search(r'<option value="percentage"\s+selected', response.content.decode())
    response = client.get(reverse("databank:element_list"), {"producer": "none"})
    assert re.search(r'<option value="none"\s+selected', response.content.decode())


# --- producers ---------------------------------------------------------------------------


def test_producer_edits_only_own_opd_elements(
    client: Client, objs: dict[str, Any], producer: Any, units: dict[str, Any]
) -> None:
    element = objs["element"]
    client.force_login(producer)
    assert client.get(_url("element_edit", objs)).status_code == 403
    element.producer = units["dinkes"]
    element.save()
    assert client.get(_url("element_edit", objs)).status_code == 200
    assert client.get(_url("dataset_edit", objs)).status_code == 403
    assert client.get(_url("combo_edit", objs)).status_code == 403


def test_producer_creates_elements_only_for_own_opd(
    client: Client, objs: dict[str, Any], producer: Any, units: dict[str, Any]
) -> None:
    client.force_login(producer)
    response = client.get(reverse("databank:element_create"))
    assert list(response.context["form"].fields["producer"].queryset) == [units["dinkes"]]
    data = _element_data(objs, code="BARU", producer=units["disdik"].pk)
    response = client.post(reverse("databank:element_create"), data)
    assert response.status_code == 200
    assert "producer" in response.context["form"].errors


# --- create and edit ---------------------------------------------------------------------


def _element_data(objs: dict[str, Any], **kw: Any) -> dict[str, Any]:
    default = OptionCombo.objects.get(combo__agency=None, code="default").combo
    data = {
        "code": "KK",
        "name": "Jumlah kepala keluarga",
        "value_type": "integer",
        "aggregation": "sum",
        "category_combo": default.pk,
        "access_class": "terbuka",
        "zero_is_significant": "on",
    }
    data.update(kw)
    return data


def test_walidata_creates_an_element_with_audit(
    client: Client, objs: dict[str, Any], data_custodian: Any, units: dict[str, Any]
) -> None:
    client.force_login(data_custodian)
    response = client.post(
        reverse("databank:element_create"),
        _element_data(objs, producer=units["dinkes"].pk, unit_of_measure="KK"),
    )
    element = DataElement.objects.get(code="KK")
    assert response.status_code == 302
    assert response.url == reverse("databank:element_detail", args=[element.pk])
    assert element.producer == units["dinkes"]
    assert AuditEvent.objects.filter(object_type="databank.dataelement", action="create").exists()


def test_element_errors_are_in_indonesian(
    client: Client, objs: dict[str, Any], data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    data = _element_data(objs, code="PDD", min_value="10", max_value="5")
    response = client.post(reverse("databank:element_create"), data, HTTP_ACCEPT_LANGUAGE="id")
    errors = response.context["form"].errors
    assert "kode" in str(errors["code"]).lower()
    assert "maksimum" in str(errors["max_value"]).lower()
    response = client.post(
        reverse("databank:element_create"), {"code": ""}, HTTP_ACCEPT_LANGUAGE="id"
    )
    assert "Bidang ini harus diisi" in str(response.context["form"].errors["code"])
    data = _element_data(objs, code="X1", value_type="option", aggregation="none")
    response = client.post(reverse("databank:element_create"), data, HTTP_ACCEPT_LANGUAGE="id")
    assert "daftar pilihan" in str(response.context["form"].errors["option_set"]).lower()


def test_walidata_edits_an_element_and_the_change_is_audited(
    client: Client, objs: dict[str, Any], data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    element = objs["element"]
    data = _element_data(
        objs, code="PDD", name="Penduduk", category_combo=element.category_combo_id
    )
    response = client.post(_url("element_edit", objs), data)
    assert response.status_code == 302
    element.refresh_from_db()
    assert element.name == "Penduduk"
    event = AuditEvent.objects.get(object_type="databank.dataelement", action="update")
    assert event.before["name"] == "Jumlah penduduk"


def test_disaggregation_cannot_change_once_values_exist(
    client: Client, objs: dict[str, Any], data_custodian: Any, regions: dict[str, Any]
) -> None:
    element = objs["element"]
    cell = element.category_combo.option_combos.first()
    write_values(
        rows=[ValueRow(element.pk, cell.pk, "74.71.01.1001", "202501", Decimal(5))],
        user=data_custodian,
        source="entry",
    )
    client.force_login(data_custodian)
    default = OptionCombo.objects.get(combo__agency=None, code="default").combo
    data = _element_data(objs, code="PDD", category_combo=default.pk)
    response = client.post(_url("element_edit", objs), data)
    assert response.status_code == 200
    assert "category_combo" in response.context["form"].errors


def test_walidata_creates_a_dataset_and_adds_elements(
    client: Client, objs: dict[str, Any], data_custodian: Any, units: dict[str, Any]
) -> None:
    client.force_login(data_custodian)
    data = {
        "code": "KES",
        "name": "Kesehatan",
        "period_type": "monthly",
        "collection_level": 4,
        "producer": units["dinkes"].pk,
        "open_after_days": 0,
        "close_after_days": 15,
        "timely_days": 10,
        "licence": "CC-BY-4.0",
        "regions": ["74.71.01.1001"],
    }
    response = client.post(reverse("databank:dataset_create"), data)
    assert response.status_code == 302
    dataset = Dataset.objects.get(code="KES")
    assert [r.code for r in dataset.regions.all()] == ["74.71.01.1001"]
    url = reverse("databank:dataset_element_add", args=[dataset.pk])
    births = DataElement.objects.get(code="LAHIR")
    client.post(url, {"element": objs["element"].pk, "compulsory": "on"})
    client.post(url, {"element": births.pk})
    items = list(dataset.dataset_elements.order_by("position"))
    assert [(i.element.code, i.compulsory) for i in items] == [("PDD", True), ("LAHIR", False)]
    change = reverse("databank:dataset_element_change", args=[dataset.pk, items[1].pk])
    client.post(change, {"action": "up"})
    assert [i.element.code for i in dataset.dataset_elements.order_by("position")] == [
        "LAHIR",
        "PDD",
    ]
    page = client.get(reverse("databank:dataset_detail", args=[dataset.pk]))
    assert page.context["completeness"].gaps


def test_dataset_region_must_be_at_the_collection_level(
    client: Client, objs: dict[str, Any], data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    data = {"code": "X", "name": "X", "period_type": "yearly", "collection_level": 4,
            "open_after_days": 0, "close_after_days": 0, "timely_days": 0,
            "licence": "CC-BY-4.0", "regions": ["74.71.01"]}  # fmt: skip
    response = client.post(reverse("databank:dataset_create"), data)
    assert "regions" in response.context["form"].errors


def test_removing_an_element_used_by_a_rule_is_refused(
    client: Client, objs: dict[str, Any], data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    client.post(_url("dataset_element_change", objs), {"action": "remove"})
    assert DatasetElement.objects.filter(pk=objs["item"].pk).exists()


def test_rule_expressions_must_reference_dataset_elements(
    client: Client, objs: dict[str, Any], data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    data = {"name": "Total", "left": "#{PDD.L} + #{PDD.X}", "operator": "==",
            "right": "#{NOPE} + ", "missing": "skip_if_any"}  # fmt: skip
    response = client.post(_url("rule_create", objs), data, HTTP_ACCEPT_LANGUAGE="id")
    errors = response.context["form"].errors
    assert "PDD.X" in str(errors["left"])
    assert "right" in errors
    data.update(left="#{PDD.L} + #{PDD.P}", right="#{PDD} + 0")
    response = client.post(_url("rule_create", objs), data)
    assert response.status_code == 302
    assert ValidationRule.objects.filter(dataset=objs["dataset"], name="Total").exists()


def test_rule_edit_and_delete(client: Client, objs: dict[str, Any], data_custodian: Any) -> None:
    client.force_login(data_custodian)
    data = {"name": "R2", "left": "#{LAHIR}", "operator": "<=", "right": "#{PDD}",
            "missing": "never_skip", "message": "Kelahiran melebihi penduduk"}  # fmt: skip
    assert client.post(_url("rule_edit", objs), data).status_code == 302
    objs["rule"].refresh_from_db()
    assert objs["rule"].name == "R2"
    assert client.post(_url("rule_delete", objs)).status_code == 302
    assert not ValidationRule.objects.filter(pk=objs["rule"].pk).exists()
    assert AuditEvent.objects.filter(
        object_type="databank.validationrule", action="delete"
    ).exists()


# --- disaggregations ---------------------------------------------------------------------


def test_combo_cells_are_the_cross_product(
    client: Client, objs: dict[str, Any], data_custodian: Any, agency: Any
) -> None:
    client.force_login(data_custodian)
    response = client.post(
        reverse("databank:category_create"),
        {
            "code": "UMUR",
            "name": "Kelompok umur",
            "options": "0-14 | 0-14 tahun\n15-64 | 15-64 tahun",
        },
    )
    assert response.status_code == 302
    age = Category.objects.get(code="UMUR")
    response = client.post(
        reverse("databank:combo_create"),
        {"code": "JKU", "name": "JK x umur", "categories": [objs["category"].pk, age.pk]},
    )
    combo = CategoryCombo.objects.get(code="JKU")
    assert sorted(combo.option_combos.values_list("code", flat=True)) == [
        "L_0-14", "L_15-64", "P_0-14", "P_15-64"
    ]  # fmt: skip


def test_regeneration_keeps_cells_with_values(
    client: Client, objs: dict[str, Any], data_custodian: Any
) -> None:
    element = objs["element"]
    female = element.category_combo.option_combos.get(code="P")
    write_values(
        rows=[ValueRow(element.pk, female.pk, "74.71.01.1001", "202501", Decimal(7))],
        user=data_custodian,
        source="entry",
    )
    client.force_login(data_custodian)
    response = client.post(
        _url("category_edit", objs),
        {"code": "JK", "name": "Jenis kelamin", "options": "L | Laki-laki\nX | Lainnya"},
        follow=True,
    )
    assert response.status_code == 200
    codes = set(element.category_combo.option_combos.values_list("code", flat=True))
    assert codes == {"L", "X", "P"}  # P kept: it has a value
    shown = " ".join(str(m) for m in response.context["messages"])
    assert "Perempuan" in shown


def test_option_list_create_and_edit(
    client: Client, objs: dict[str, Any], data_custodian: Any
) -> None:
    client.force_login(data_custodian)
    response = client.post(
        _url("option_set_edit", objs),
        {"code": "YN", "name": "Ya/Tidak", "options": "Y | Ya\nT | Tidak"},
    )
    assert response.status_code == 302
    assert list(objs["option_set"].options.values_list("code", flat=True)) == ["Y", "T"]
    response = client.post(
        reverse("databank:option_set_create"),
        {"code": "YN", "name": "Dup", "options": "A A"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert "code" in response.context["form"].errors
    response = client.post(
        reverse("databank:option_set_create"),
        {"code": "AB", "name": "Dup", "options": "A A\nA B\n"},
        HTTP_ACCEPT_LANGUAGE="id",
    )
    assert "options" in response.context["form"].errors
    assert "Baris 2" in str(response.context["form"].errors["options"])


def test_home_links_other_areas_only_when_they_exist(
    client: Client, objs: dict[str, Any], viewer: Any
) -> None:
    client.force_login(viewer)
    response = client.get(reverse("databank:home"))
    assert response.status_code == 200
    assert response.context["datasets"][0].n_elements == 3


@pytest.mark.parametrize("name", ["element_list", "dataset_list", "home", "combo_list"])
def test_list_pages_use_a_fixed_number_of_queries(
    client: Client,
    objs: dict[str, Any],
    viewer: Any,
    agency: Any,
    name: str,
    django_assert_max_num_queries: Any,
) -> None:
    client.force_login(viewer)
    for n in range(10):
        DataElement.objects.create(
            agency=agency, code=f"E{n}", name=f"E{n}", category_combo=objs["combo"]
        )
    with django_assert_max_num_queries(20):
        assert client.get(_url(name, objs)).status_code == 200


def test_combo_list_shows_categories_with_their_options_and_edit_links_for_editors(
    client: Client, objs: dict[str, Any], viewer: Any, data_custodian: Any
) -> None:
    category = objs["category"]
    edit = reverse("databank:category_edit", args=[category.pk])
    client.force_login(data_custodian)
    page = client.get(reverse("databank:combo_list")).content.decode()
    assert f'href="{edit}"' in page
    assert 'data-testid="option-sets"' in page
    option = category.options.first()
    assert f"{option.code} {option.name}" in page
    client.force_login(viewer)
    page = client.get(reverse("databank:combo_list")).content.decode()
    assert 'data-testid="categories"' in page and f'href="{edit}"' not in page
