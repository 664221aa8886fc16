"""Entry, review and completeness pages: the permission matrix first, then behaviour."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from padu.databank import services_entry
from padu.databank.models import DataValue, LockException, Submission

pytest_plugins = ["padu.databank.tests.fixtures_entry"]
pytestmark = pytest.mark.django_db
LOGIN = "/akun/masuk/"


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def form_args(dataset: Any, region: Any, period: str) -> list[Any]:
    return [dataset.pk, region.code, period]


def post_cell(client: Client, url: str, cell: tuple[int, int], value: str, **extra: Any) -> Any:
    body = {"element": cell[0], "combo": cell[1], "value": value, **extra}
    return client.post(url, json.dumps(body), content_type="application/json")


# --- permission matrix ---------------------------------------------------------------------


GET_PAGES = ["entry_home", "review_list", "completeness"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_anonymous_is_sent_to_login(name: str, dataset: Any) -> None:
    response = client_for(None).get(reverse(f"databank:{name}"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    "name,method",
    [
        ("entry_form", "get"),
        ("entry_cell", "post"),
        ("entry_submit", "post"),
        ("review_form", "get"),
        ("review_accept", "post"),
        ("review_return", "post"),
    ],
)
def test_anonymous_is_sent_to_login_from_forms(
    name: str, method: str, dataset: Any, kambu: Any, month: str
) -> None:
    url = reverse(f"databank:{name}", args=form_args(dataset, kambu, month))
    response = getattr(client_for(None), method)(url)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.parametrize(
    "name,method",
    [
        ("entry_form", "get"),
        ("entry_cell", "post"),
        ("entry_submit", "post"),
        ("review_form", "get"),
        ("review_accept", "post"),
        ("review_return", "post"),
    ],
)
def test_other_agency_gets_404(
    name: str, method: str, outsider: Any, dataset: Any, kambu: Any, month: str
) -> None:
    Submission.objects.create(dataset=dataset, region=kambu, period=month, status="submitted")
    url = reverse(f"databank:{name}", args=form_args(dataset, kambu, month))
    assert getattr(client_for(outsider), method)(url).status_code == 404


def test_other_agency_cannot_grant_an_exception(outsider: Any, dataset: Any) -> None:
    url = reverse("databank:lock_exception_create", args=[dataset.pk])
    assert client_for(outsider).post(url, {}).status_code == 404


def test_other_agency_sees_none_of_our_datasets(outsider: Any, dataset: Any) -> None:
    for name in ("entry_home", "completeness"):
        response = client_for(outsider).get(reverse(f"databank:{name}"))
        assert response.status_code == 200
        assert dataset.name not in response.content.decode()


@pytest.mark.parametrize(
    "name,method,status",
    [
        ("entry_form", "get", 403),
        ("entry_cell", "post", 403),
        ("entry_submit", "post", 403),
        ("review_form", "get", 403),
        ("review_accept", "post", 403),
        ("review_return", "post", 403),
    ],
)
def test_read_only_user_is_refused(
    name: str, method: str, status: int, viewer: Any, dataset: Any, kambu: Any, month: str
) -> None:
    Submission.objects.create(dataset=dataset, region=kambu, period=month, status="submitted")
    url = reverse(f"databank:{name}", args=form_args(dataset, kambu, month))
    assert getattr(client_for(viewer), method)(url).status_code == status


def test_read_only_user_sees_completeness_but_no_review_or_exception(
    viewer: Any, dataset: Any
) -> None:
    client = client_for(viewer)
    assert client.get(reverse("databank:completeness")).status_code == 200
    assert client.get(reverse("databank:review_list")).status_code == 403
    url = reverse("databank:lock_exception_create", args=[dataset.pk])
    assert client.post(url, {}).status_code == 403


def test_operator_opens_their_own_form_only(
    village_operator: Any, dataset: Any, kambu: Any, alolama: Any, month: str
) -> None:
    client = client_for(village_operator)
    own = reverse("databank:entry_form", args=form_args(dataset, kambu, month))
    other = reverse("databank:entry_form", args=form_args(dataset, alolama, month))
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 403
    assert client.get(reverse("databank:review_list")).status_code == 403


def test_operator_cannot_save_into_another_village(
    village_operator: Any, dataset: Any, alolama: Any, month: str, cells: dict[str, Any]
) -> None:
    url = reverse("databank:entry_cell", args=form_args(dataset, alolama, month))
    assert post_cell(client_for(village_operator), url, cells["lahir"], "3").status_code == 403
    assert not DataValue.objects.exists()


def test_unknown_region_or_bad_period_is_404(
    data_custodian: Any, dataset: Any, kambu: Any, regions: Any
) -> None:
    client = client_for(data_custodian)
    assert (
        client.get(reverse("databank:entry_form", args=[dataset.pk, "99.99", "202601"])).status_code
        == 404
    )
    assert (
        client.get(
            reverse("databank:entry_form", args=[dataset.pk, kambu.code, "2026Q1"])
        ).status_code
        == 404
    )
    konsel = regions["konsel_district"]
    assert (
        client.get(
            reverse("databank:entry_form", args=[dataset.pk, konsel.code, "202601"])
        ).status_code
        == 404
    )


def test_walidata_opens_every_page(
    data_custodian: Any, dataset: Any, kambu: Any, month: str
) -> None:
    Submission.objects.create(dataset=dataset, region=kambu, period=month, status="submitted")
    client = client_for(data_custodian)
    for name in GET_PAGES:
        assert client.get(reverse(f"databank:{name}")).status_code == 200
    for name in ("entry_form", "review_form"):
        url = reverse(f"databank:{name}", args=form_args(dataset, kambu, month))
        assert client.get(url).status_code == 200


# --- behaviour ------------------------------------------------------------------------------


def test_form_shows_previous_value_and_lock_reason(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    from decimal import Decimal

    from padu.databank import periods
    from padu.databank.services_values import ValueRow, write_values

    previous = periods.parse(month).previous().code
    write_values(
        rows=[ValueRow(*cells["lahir"], kambu.code, previous, Decimal(41))],
        user=None,
        source="test",
    )
    response = client_for(village_operator).get(
        reverse("databank:entry_form", args=form_args(dataset, kambu, month))
    )
    html = response.content.decode()
    assert "41" in html and 'data-testid="lock-reason"' in html
    assert "js/entry.js" in html


def test_form_opens_in_a_bounded_number_of_queries(
    village_operator: Any, dataset: Any, kambu: Any, month: str, django_assert_max_num_queries: Any
) -> None:
    client = client_for(village_operator)
    url = reverse("databank:entry_form", args=form_args(dataset, kambu, month))
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


def test_cell_endpoint_saves_and_answers_json(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    url = reverse("databank:entry_cell", args=form_args(dataset, kambu, month))
    response = post_cell(client_for(village_operator), url, cells["lahir"], "12")
    assert response.status_code == 200
    assert response.json()["ok"] is True and response.json()["value"] == "12"
    assert DataValue.objects.get().value == 12


def test_cell_endpoint_accepts_form_posts(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    url = reverse("databank:entry_cell", args=form_args(dataset, kambu, month))
    element, combo = cells["lahir"]
    response = client_for(village_operator).post(
        url, {"element": element, "combo": combo, "value": "4"}
    )
    assert response.json()["ok"] is True


def test_cell_endpoint_explains_a_bad_value(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    url = reverse("databank:entry_cell", args=form_args(dataset, kambu, month))
    client = client_for(village_operator)
    response = post_cell(client, url, cells["pdd_l"], "-5")
    assert response.status_code == 400 and response.json()["code"] == "needs_comment"
    response = post_cell(client, url, cells["pdd_l"], "-5", comment="pindah domisili")
    assert response.status_code == 200 and response.json()["warnings"]
    assert post_cell(client, url, cells["lahir"], "abc").status_code == 400
    bad = client.post(url, "not json", content_type="application/json")
    assert bad.status_code == 400


def test_cell_endpoint_refuses_a_locked_period_with_the_reason(
    village_operator: Any, dataset: Any, kambu: Any, cells: dict[str, Any]
) -> None:
    url = reverse("databank:entry_cell", args=form_args(dataset, kambu, "202001"))
    response = post_cell(client_for(village_operator), url, cells["lahir"], "1")
    assert response.status_code == 400 and response.json()["code"] == "locked"
    assert response.json()["error"]


def test_submit_from_the_page(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    client = client_for(village_operator)
    post_cell(
        client,
        reverse("databank:entry_cell", args=form_args(dataset, kambu, month)),
        cells["lahir"],
        "2",
    )
    response = client.post(reverse("databank:entry_submit", args=form_args(dataset, kambu, month)))
    assert response.status_code == 302
    assert Submission.objects.get().status == "submitted"


def test_review_return_and_accept_from_the_page(
    village_operator: Any,
    data_custodian: Any,
    dataset: Any,
    kambu: Any,
    month: str,
    cells: dict[str, Any],
) -> None:
    services_entry.save_cell(
        user=village_operator,
        dataset=dataset,
        region=kambu,
        period=month,
        element_id=cells["lahir"][0],
        combo_id=cells["lahir"][1],
        raw="9",
    )
    services_entry.submit_form(user=village_operator, dataset=dataset, region=kambu, period=month)
    client = client_for(data_custodian)
    args = form_args(dataset, kambu, month)
    assert month in client.get(reverse("databank:review_list")).content.decode()
    response = client.post(
        reverse("databank:review_return", args=args),
        {
            "cell": f"{cells['lahir'][0]}-{cells['lahir'][1]}",
            "reason": "implausible",
            "comment": "Terlalu tinggi",
        },
    )
    assert response.status_code == 302
    assert DataValue.objects.get().status == "returned"
    html = (
        client_for(village_operator).get(reverse("databank:entry_form", args=args)).content.decode()
    )
    assert "Terlalu tinggi" in html
    services_entry.save_cell(
        user=village_operator,
        dataset=dataset,
        region=kambu,
        period=month,
        element_id=cells["lahir"][0],
        combo_id=cells["lahir"][1],
        raw="8",
    )
    services_entry.submit_form(user=village_operator, dataset=dataset, region=kambu, period=month)
    assert client.post(reverse("databank:review_accept", args=args)).status_code == 302
    assert Submission.objects.get().status == "accepted"


def test_review_return_without_reason_is_refused(
    village_operator: Any,
    data_custodian: Any,
    dataset: Any,
    kambu: Any,
    month: str,
    cells: dict[str, Any],
) -> None:
    services_entry.save_cell(
        user=village_operator,
        dataset=dataset,
        region=kambu,
        period=month,
        element_id=cells["lahir"][0],
        combo_id=cells["lahir"][1],
        raw="9",
    )
    services_entry.submit_form(user=village_operator, dataset=dataset, region=kambu, period=month)
    args = form_args(dataset, kambu, month)
    client_for(data_custodian).post(
        reverse("databank:review_return", args=args), {"row": cells["lahir"][0]}
    )
    assert Submission.objects.get().status == "submitted"


def test_walidata_grants_an_exception_from_the_page(
    data_custodian: Any, dataset: Any, kambu: Any
) -> None:
    until = (timezone.localtime() + datetime.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client_for(data_custodian).post(
        reverse("databank:lock_exception_create", args=[dataset.pk]),
        {
            "region": kambu.code,
            "period": "202001",
            "until": until,
            "reason": "Terlambat",
            "next": "/data/isian/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/data/isian/"
    assert LockException.objects.get().region_id == kambu.code


def test_completeness_csv_export(data_custodian: Any, dataset: Any, kambu: Any) -> None:
    response = client_for(data_custodian).get(
        reverse("databank:completeness"), {"dataset": dataset.pk, "format": "csv"}
    )
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    assert kambu.code in body


def test_cell_endpoint_keeps_a_json_zero(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    url = reverse("databank:entry_cell", args=form_args(dataset, kambu, month))
    element, combo = cells["lahir"]
    body = json.dumps({"element": element, "combo": combo, "value": 0})
    response = client_for(village_operator).post(url, body, content_type="application/json")
    assert response.json()["value"] == "0"
    assert DataValue.objects.get().value == 0


def test_clearing_a_cell_deletes_the_value(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    url = reverse("databank:entry_cell", args=form_args(dataset, kambu, month))
    client = client_for(village_operator)
    post_cell(client, url, cells["lahir"], "5")
    assert post_cell(client, url, cells["lahir"], "").json()["ok"] is True
    assert not DataValue.objects.exists()


def test_form_marks_a_stored_outlier_on_open(
    village_operator: Any, dataset: Any, kambu: Any, month: str, cells: dict[str, Any]
) -> None:
    from decimal import Decimal

    from padu.databank import periods
    from padu.databank.services_values import ValueRow, write_values

    current, rows = periods.parse(month), []
    for i in range(6):
        current = current.previous()
        rows.append(ValueRow(*cells["lahir"], kambu.code, current.code, Decimal(10 + i % 2)))
    rows.append(ValueRow(*cells["lahir"], kambu.code, month, Decimal(900)))
    write_values(rows=rows, user=None, source="test")
    client = client_for(village_operator)
    html = client.get(reverse("databank:entry_form", args=form_args(dataset, kambu, month)))
    assert "cell-warnings" in html.content.decode()
    text = html.content.decode()
    assert "Unusual" in text or "Tidak biasa" in text
