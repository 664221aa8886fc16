"""The CKAN-compatible API: envelope and errors, each action, fq, sort, paging, facets,
deletions, datastore_search, throttling and CORS."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from padu.databank import services_publishing
from padu.databank.ckan import make_id
from padu.databank.models import Release

pytest_plugins = ["padu.databank.tests.fixtures_publishing"]

API = "/api/3/action/"


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def call(client: Client, name: str, status: int = 200, **params: Any) -> dict[str, Any]:
    response = client.get(API + name, params)
    assert response.status_code == status, response.content
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["help"].endswith(f"help_show?name={name}")
    return body


def ok(client: Client, name: str, **params: Any) -> Any:
    body = call(client, name, **params)
    assert body["success"] is True
    return body["result"]


@pytest.fixture
def published(release: Release, school_release: Release) -> list[Release]:
    return [release, school_release]


def test_status_show_says_api_version_3(client: Client, db: None) -> None:
    result = ok(client, "status_show")
    assert result["api_version"] == 3
    assert "datastore" in result["extensions"]


def test_post_json_to_the_unversioned_path_works(client: Client, published: Any) -> None:
    response = client.post(
        "/api/action/package_search",
        data=json.dumps({"q": "penduduk", "rows": 5}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["result"]["count"] == 1


def test_help_show_documents_an_action(client: Client, db: None) -> None:
    response = client.get(API + "help_show", {"name": "package_search"})
    assert "fq" in response.json()["result"]
    response = client.get(API + "help_show", {"name": "x"})
    assert response.status_code == 404 and response.json()["success"] is False


def test_unknown_action_is_a_bad_request(client: Client, db: None) -> None:
    body = call(client, "package_create", status=400)
    assert body["success"] is False
    assert body["error"]["__type"] == "Bad Request"


def test_package_list_names_the_active_datasets(client: Client, published: Any) -> None:
    assert ok(client, "package_list") == ["kota-kendari-kependudukan", "kota-kendari-pendidikan"]
    assert ok(client, "package_list", limit=1, offset=1) == ["kota-kendari-pendidikan"]


def test_package_show_by_name_and_by_id(client: Client, release: Release) -> None:
    by_name = ok(client, "package_show", id="kota-kendari-kependudukan")
    by_id = ok(client, "package_show", id=by_name["id"])
    assert by_id == by_name
    assert by_name["id"] == make_id("dataset", release.dataset.pk)
    assert by_name["state"] == "active" and by_name["type"] == "dataset"
    assert by_name["organization"]["name"] == "kota-kendari-dinkes"
    assert by_name["owner_org"] == by_name["organization"]["id"]
    assert [t["name"] for t in by_name["tags"]] == ["penduduk", "kelahiran"]
    assert by_name["groups"][0]["name"] == "kesehatan"
    assert by_name["license_id"] == "cc-by" and by_name["isopen"] is True
    extras = {e["key"]: e["value"] for e in by_name["extras"]}
    assert extras["checksum_sha256"] == release.checksum
    assert extras["produsen"] == "Dinas Kesehatan"
    assert all(isinstance(v, str) for v in extras.values())
    formats = [r["format"] for r in by_name["resources"]]
    assert formats == ["CSV", "XLSX", "JSON", "CSV"]
    assert by_name["resources"][0]["hash"] == f"sha256:{release.checksum}"
    assert by_name["resources"][3]["datastore_active"] is True
    assert by_name["metadata_modified"] >= by_name["metadata_created"]


def test_package_show_resource_urls_download(client: Client, release: Release) -> None:
    package = ok(client, "package_show", id="kota-kendari-kependudukan")
    url = package["resources"][0]["url"]
    response = client.get(url.replace("http://testserver", ""))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == release.csv_file.open("rb").read()


def test_package_show_errors(client: Client, release: Release) -> None:
    body = call(client, "package_show", status=404, id="nope")
    assert body["success"] is False
    assert body["error"]["__type"] == "Not Found Error"
    body = call(client, "package_show", status=409)
    assert body["error"]["__type"] == "Validation Error"
    assert body["error"]["name_or_id"] == ["Missing value"]


def test_package_search_pages_and_sorts(client: Client, published: Any) -> None:
    result = ok(client, "package_search", rows=1, start=0, sort="name asc")
    assert result["count"] == 2
    assert [p["name"] for p in result["results"]] == ["kota-kendari-kependudukan"]
    result = ok(client, "package_search", rows=1, start=1, sort="name asc")
    assert [p["name"] for p in result["results"]] == ["kota-kendari-pendidikan"]
    result = ok(client, "package_search", sort="metadata_modified desc")
    assert result["results"][0]["name"] == "kota-kendari-pendidikan"
    result = ok(client, "package_search", sort="name desc", rows=0)
    assert result["count"] == 2 and result["results"] == []


@pytest.mark.parametrize(
    ("fq", "names"),
    [
        ("organization:kota-kendari-dinkes", ["kota-kendari-kependudukan"]),
        ("-organization:kota-kendari-dinkes", ["kota-kendari-pendidikan"]),
        ("groups:pendidikan", ["kota-kendari-pendidikan"]),
        ('tags:"penduduk"', ["kota-kendari-kependudukan"]),
        ("tags:(sekolah OR kelahiran)", ["kota-kendari-kependudukan", "kota-kendari-pendidikan"]),
        ("res_format:CSV", ["kota-kendari-kependudukan", "kota-kendari-pendidikan"]),
        ("metadata_modified:[2000-01-01T00:00:00Z TO *]", ["kota-kendari-kependudukan", "kota-kendari-pendidikan"]),
        ("metadata_modified:[2999-01-01T00:00:00Z TO *]", []),
        ("metadata_modified:[* TO 2000-01-01T00:00:00Z]", []),
        ("name:kota-kendari-pendidikan", ["kota-kendari-pendidikan"]),
    ],
)  # fmt: skip
def test_package_search_fq(client: Client, published: Any, fq: str, names: list[str]) -> None:
    result = ok(client, "package_search", fq=fq, sort="name asc")
    assert [p["name"] for p in result["results"]] == names
    assert result["count"] == len(names)


def test_package_search_q_matches_words_and_element_names(client: Client, published: Any) -> None:
    assert ok(client, "package_search", q="sekolah")["count"] == 1
    assert ok(client, "package_search", q="jumlah")["count"] == 2
    assert ok(client, "package_search", q="*:*")["count"] == 2
    assert ok(client, "package_search", q="tidakada")["count"] == 0
    assert ok(client, "package_search", q="groups:kesehatan")["count"] == 1


def test_package_search_facets(client: Client, published: Any) -> None:
    result = ok(
        client, "package_search", **{"facet.field": '["organization","groups","tags"]', "rows": 0}
    )
    assert result["facets"]["groups"] == {"kesehatan": 1, "pendidikan": 1}
    items = result["search_facets"]["organization"]["items"]
    assert {i["name"] for i in items} == {"kota-kendari-dinkes", "kota-kendari-disdikbud"}
    assert items[0]["display_name"].startswith("Dinas")
    assert ok(client, "package_search")["search_facets"] == {}


def test_package_search_bad_input(client: Client, published: Any) -> None:
    body = call(client, "package_search", status=400, fq="colour:red")
    assert body["error"]["__type"] == "Search Query Error"
    body = call(client, "package_search", status=400, sort="colour asc")
    assert body["error"]["__type"] == "Search Query Error"
    body = call(client, "package_search", status=409, rows="many")
    assert body["error"]["__type"] == "Validation Error"
    assert ok(client, "package_search", rows=5000)["count"] == 2  # capped at 1000


def test_withdrawn_dataset_is_deleted_for_ckan_clients(
    client: Client, published: Any, release: Release, data_custodian: Any
) -> None:
    services_publishing.withdraw_release(user=data_custodian, release=release, reason="Salah")
    package = ok(client, "package_show", id="kota-kendari-kependudukan")
    assert package["state"] == "deleted"
    assert package["resources"] == []
    assert ok(client, "package_list") == ["kota-kendari-pendidikan"]
    assert ok(client, "package_search")["count"] == 1
    result = ok(client, "package_search", include_deleted="true", sort="name asc")
    assert [(p["name"], p["state"]) for p in result["results"]] == [
        ("kota-kendari-kependudukan", "deleted"),
        ("kota-kendari-pendidikan", "active"),
    ]
    since = package["metadata_modified"][:19] + "Z"
    result = ok(
        client, "package_search", include_deleted="true", fq=f"metadata_modified:[{since} TO *]"
    )
    assert "kota-kendari-kependudukan" in [p["name"] for p in result["results"]]


def test_a_later_release_brings_the_dataset_back(
    client: Client, release: Release, data_custodian: Any
) -> None:
    services_publishing.withdraw_release(user=data_custodian, release=release, reason="Salah")
    services_publishing.publish_release(
        user=data_custodian, dataset=release.dataset, periods=["202501"]
    )
    package = ok(client, "package_show", id="kota-kendari-kependudukan")
    assert package["state"] == "active" and package["version"] == "2"


def test_organization_list_and_show(client: Client, published: Any) -> None:
    assert ok(client, "organization_list") == ["kota-kendari-dinkes", "kota-kendari-disdikbud"]
    rich = ok(client, "organization_list", all_fields="true")
    assert rich[0]["package_count"] == 1 and rich[0]["is_organization"] is True
    assert ok(client, "organization_list", limit=1, offset=1) == ["kota-kendari-disdikbud"]
    assert ok(client, "organization_list", sort="name desc")[0] == "kota-kendari-disdikbud"
    org = ok(client, "organization_show", id="kota-kendari-dinkes", include_datasets="true")
    assert org["package_count"] == 1
    assert [p["name"] for p in org["packages"]] == ["kota-kendari-kependudukan"]
    assert ok(client, "organization_show", id=org["id"])["name"] == "kota-kendari-dinkes"
    assert call(client, "organization_show", status=404, id="x")["error"]["__type"] == (
        "Not Found Error"
    )


def test_group_list_and_show(client: Client, published: Any) -> None:
    assert ok(client, "group_list") == ["kesehatan", "pendidikan"]
    rich = ok(client, "group_list", all_fields=True)
    assert rich[1]["title"] == "Pendidikan" and rich[1]["package_count"] == 1
    group = ok(client, "group_show", id="pendidikan", include_datasets="true")
    assert [p["name"] for p in group["packages"]] == ["kota-kendari-pendidikan"]
    assert call(client, "group_show", status=404, id="x")["success"] is False


def test_tag_list_and_resource_show(client: Client, published: Any) -> None:
    assert "sekolah" in ok(client, "tag_list")
    package = ok(client, "package_show", id="kota-kendari-pendidikan")
    resource = ok(client, "resource_show", id=package["resources"][1]["id"])
    assert resource["format"] == "XLSX"


def _datastore_id(client: Client, name: str = "kota-kendari-kependudukan") -> str:
    package = ok(client, "package_show", id=name)
    return str(package["resources"][3]["id"])


def test_datastore_search_reads_the_latest_release(client: Client, release: Release) -> None:
    rid = _datastore_id(client)
    result = ok(client, "datastore_search", resource_id=rid)
    assert result["total"] == release.row_count == len(result["records"])
    assert [f["id"] for f in result["fields"]][:3] == ["_id", "kode_wilayah", "nama_wilayah"]
    assert result["_links"]["next"].endswith("offset=100")
    first = result["records"][0]
    assert set(first) >= {"_id", "kode_wilayah", "periode", "nilai"}


def test_datastore_search_filters_q_fields_sort_and_paging(
    client: Client, release: Release
) -> None:
    rid = _datastore_id(client)
    result = ok(
        client,
        "datastore_search",
        resource_id=rid,
        filters=json.dumps({"kode_elemen": "PDD", "kode_wilayah": ["74.71.10.1001"]}),
        fields="kode_wilayah,kategori,nilai",
        sort="nilai desc",
    )
    assert result["records"] == [
        {"kode_wilayah": "74.71.10.1001", "kategori": "Perempuan", "nilai": "2005"},
        {"kode_wilayah": "74.71.10.1001", "kategori": "Laki-laki", "nilai": "2000"},
    ]
    assert result["total"] == 2
    result = ok(client, "datastore_search", resource_id=rid, q="Alolama kelahiran")
    assert [r["nilai"] for r in result["records"]] == ["<5"]
    paged = ok(client, "datastore_search", resource_id=rid, limit=2, offset=2, sort="_id")
    assert len(paged["records"]) == 2 and paged["total"] == release.row_count
    lists = ok(client, "datastore_search", resource_id=rid, records_format="lists", limit=1)
    assert isinstance(lists["records"][0], list)


def test_datastore_search_on_a_release_csv_resource(client: Client, release: Release) -> None:
    package = ok(client, "package_show", id="kota-kendari-kependudukan")
    result = ok(client, "datastore_search", resource_id=package["resources"][0]["id"])
    assert result["total"] == release.row_count


def test_datastore_search_errors(client: Client, release: Release, data_custodian: Any) -> None:
    rid = _datastore_id(client)
    assert call(client, "datastore_search", status=409)["error"]["__type"] == "Validation Error"
    body = call(client, "datastore_search", status=404, resource_id="nope")
    assert body["error"]["__type"] == "Not Found Error"
    body = call(
        client, "datastore_search", status=409, resource_id=rid, filters='{"warna": "merah"}'
    )
    assert "filters" in body["error"]
    body = call(client, "datastore_search", status=409, resource_id=rid, fields="warna")
    assert "fields" in body["error"]
    services_publishing.withdraw_release(user=data_custodian, release=release, reason="Salah")
    assert call(client, "datastore_search", status=404, resource_id=rid)["success"] is False


def test_the_api_is_throttled_per_address(client: Client, settings: Any, db: None) -> None:
    settings.OPEN_DATA_RATE_PER_MINUTE = 2
    ok(client, "status_show")
    ok(client, "status_show")
    response = client.get(API + "status_show")
    assert response.status_code == 429
    assert response.json()["success"] is False


def test_cors_preflight(client: Client, db: None) -> None:
    response = client.options(API + "package_search")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_package_search_query_count_does_not_grow_with_results(
    client: Client, published: Any, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8):
        ok(client, "package_search", rows=100)
