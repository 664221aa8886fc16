"""The DCAT catalogue: JSON-LD and Turtle list the datasets in force and their files."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from padu.databank import services_publishing
from padu.databank.dcat import _iri, _lit
from padu.databank.models import Release

pytest_plugins = ["padu.databank.tests.fixtures_publishing"]


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def test_jsonld_catalogue(client: Client, release: Release, school_release: Release) -> None:
    response = client.get("/catalog.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    assert doc["@type"] == "dcat:Catalog"
    assert doc["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    datasets = {d["dct:title"]: d for d in doc["dcat:dataset"]}
    assert set(datasets) == {"Kependudukan", "Pendidikan dasar"}
    ds = datasets["Kependudukan"]
    assert ds["@type"] == "dcat:Dataset"
    assert ds["dct:publisher"]["foaf:name"].startswith("Dinas Kesehatan")
    assert ds["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ds["dct:accrualPeriodicity"]["@id"].endswith("/MONTHLY")
    assert ds["dct:modified"]["@value"]
    assert ds["dcat:keyword"] == ["penduduk", "kelahiran"]
    dists = ds["dcat:distribution"]
    assert [d["dct:format"] for d in dists] == ["CSV", "XLSX", "JSON"]
    assert dists[0]["dcat:mediaType"]["@id"].endswith("text/csv")
    assert dists[0]["spdx:checksum"]["spdx:checksumValue"] == release.checksum
    url = dists[0]["dcat:downloadURL"]["@id"].replace("http://testserver", "")
    assert client.get(url).status_code == 200


def test_turtle_catalogue(client: Client, release: Release) -> None:
    response = client.get("/catalog.ttl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    text = response.content.decode()
    assert "@prefix dcat: <http://www.w3.org/ns/dcat#> ." in text
    assert " a dcat:Catalog ;" in text
    assert " a dcat:Dataset ;" in text
    assert " a dcat:Distribution ;" in text
    assert (
        "dcat:downloadURL <http://testserver/data/terbuka/kota-kendari/KEPENDUDUKAN/v1/csv/>"
        in text
    )
    assert f'spdx:checksumValue "{release.checksum}"' in text
    blocks = [b for b in text.split("\n\n")[1:] if b.strip()]
    assert all(b.rstrip().endswith(".") for b in blocks)


def test_withdrawn_datasets_leave_the_catalogue(
    client: Client, release: Release, data_custodian: Any
) -> None:
    services_publishing.withdraw_release(user=data_custodian, release=release, reason="Salah")
    assert client.get("/catalog.jsonld").json()["dcat:dataset"] == []
    assert "dcat:Dataset" not in client.get("/catalog.ttl").content.decode()


def test_turtle_escapes_literals_and_iris() -> None:
    assert _lit('a "b"\nc\\') == '"a \\"b\\"\\nc\\\\"'
    assert _iri("http://x/a b>") == "<http://x/a%20b%3E>"
