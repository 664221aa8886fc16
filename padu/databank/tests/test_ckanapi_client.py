"""The real `ckanapi` client (from PyPI) against a running Padu: package_search,
package_show, datastore_search and its typed errors."""

from __future__ import annotations

from typing import Any

import ckanapi
import pytest
from django.core.cache import cache

from padu.databank import services_publishing
from padu.databank.models import CategoryCombo, OptionCombo, Release

pytest_plugins = ["padu.databank.tests.fixtures_publishing"]


@pytest.fixture(autouse=True)
def _fresh_throttle(transactional_db: None) -> None:
    """Also puts back the shared "default" disaggregation that the flush of the previous
    live-server test removed (migration 0002 created it)."""
    cache.clear()
    combo, _ = CategoryCombo.objects.get_or_create(
        agency=None, code="default", defaults={"name": "default"}
    )
    OptionCombo.objects.get_or_create(combo=combo, code="default", defaults={"name": "default"})


@pytest.fixture
def remote(live_server: Any, release: Release, school_release: Release) -> Any:
    return ckanapi.RemoteCKAN(live_server.url, user_agent="padu-tests/1.0")


def test_ckanapi_package_search(remote: Any) -> None:
    result = remote.action.package_search(q="*:*", rows=1, start=0, sort="name asc")
    assert result["count"] == 2
    assert [p["name"] for p in result["results"]] == ["kota-kendari-kependudukan"]
    result = remote.action.package_search(
        fq="organization:kota-kendari-disdikbud", **{"facet.field": ["groups"]}
    )
    assert [p["name"] for p in result["results"]] == ["kota-kendari-pendidikan"]
    assert result["search_facets"]["groups"]["items"][0]["name"] == "pendidikan"


def test_ckanapi_package_show(remote: Any, release: Release) -> None:
    package = remote.action.package_show(id="kota-kendari-kependudukan")
    assert package["title"] == "Kependudukan"
    assert package["resources"][0]["hash"] == f"sha256:{release.checksum}"
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="tidak-ada")
    with pytest.raises(ckanapi.ValidationError):
        remote.action.package_show()


def test_ckanapi_datastore_search(remote: Any, release: Release) -> None:
    package = remote.action.package_show(id="kota-kendari-kependudukan")
    resource = next(r for r in package["resources"] if r["url_type"] == "datastore")
    result = remote.action.datastore_search(
        resource_id=resource["id"], filters={"kode_elemen": "LAHIR"}, sort="kode_wilayah asc"
    )
    assert result["total"] == 2
    assert [r["nilai"] for r in result["records"]] == ["<5", "12"]
    page = remote.action.datastore_search(resource_id=resource["id"], limit=4, offset=4)
    assert len(page["records"]) == release.row_count - 4


def test_ckanapi_sees_a_withdrawal(remote: Any, release: Release, data_custodian: Any) -> None:
    services_publishing.withdraw_release(user=data_custodian, release=release, reason="Salah")
    assert remote.action.package_show(id="kota-kendari-kependudukan")["state"] == "deleted"
    assert remote.action.package_search()["count"] == 1
    assert remote.action.package_search(include_deleted=True)["count"] == 2


def test_ckanapi_get_only_mode(live_server: Any, release: Release) -> None:
    remote = ckanapi.RemoteCKAN(live_server.url, get_only=True)
    assert remote.action.package_list() == ["kota-kendari-kependudukan"]
    assert remote.action.status_show()["api_version"] == 3
