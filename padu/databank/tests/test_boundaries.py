"""Boundary upload: content, size and code checks; all or nothing; then the map draws."""

from __future__ import annotations

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from padu.databank import services_analysis as svc
from padu.databank.models import Boundary

pytest_plugins = ["padu.databank.tests.fixtures_analysis"]

ALOLAMA, KAMBU = "74.71.01.1001", "74.71.10.1001"


def square(x: float, y: float) -> dict:
    ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
    return {"type": "Polygon", "coordinates": [ring]}


def collection(*features: tuple[str, dict]) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "properties": {"kode": code}, "geometry": geom}
                for code, geom in features
            ],
        }
    ).encode()


def test_parse_accepts_a_valid_collection(agency) -> None:
    data = collection((ALOLAMA, square(122.5, -3.97)), (KAMBU, square(122.52, -4.0)))
    shapes, errors = svc.parse_boundaries(agency, data, "kode")
    assert errors == [] and set(shapes) == {ALOLAMA, KAMBU}


def test_parse_names_each_bad_feature(agency) -> None:
    data = collection(
        (ALOLAMA, square(122.5, -3.97)),
        ("74.05.01", square(1, 1)),  # another agency's region
        (ALOLAMA, square(1, 1)),  # twice
        ("", square(1, 1)),
        (KAMBU, {"type": "Point", "coordinates": [1, 2]}),
    )
    _shapes, errors = svc.parse_boundaries(agency, data, "kode")
    assert len(errors) == 4
    assert errors[0].startswith("Feature 2") or errors[0].startswith("Fitur 2")


def test_parse_rejects_bad_files(agency) -> None:
    for data in (b"not json", b'{"type": "Feature"}', b'{"type": "FeatureCollection"}'):
        _s, errors = svc.parse_boundaries(agency, data, "kode")
        assert len(errors) == 1
    big = b" " * (svc.MAX_BOUNDARY_BYTES + 1)
    assert svc.parse_boundaries(agency, big, "kode")[1]
    bad_coords = collection((ALOLAMA, {"type": "Polygon", "coordinates": [[[500, 0]] * 4]}))
    assert svc.parse_boundaries(agency, bad_coords, "kode")[1]


def test_upload_is_all_or_nothing_and_map_draws(client, analysis_data, data_custodian) -> None:
    client.force_login(data_custodian)
    url = reverse("databank:boundary_upload")
    bad = collection((ALOLAMA, square(122.5, -3.97)), ("99.99", square(1, 1)))
    response = client.post(
        url, {"file": SimpleUploadedFile("b.geojson", bad), "code_property": "kode"}
    )
    assert response.status_code == 400 and Boundary.objects.count() == 0
    good = collection((ALOLAMA, square(122.5, -3.97)), (KAMBU, square(122.52, -4.0)))
    response = client.post(
        url, {"file": SimpleUploadedFile("b.geojson", good), "code_property": "kode"}
    )
    assert response.status_code == 302 and Boundary.objects.count() == 2
    births = analysis_data["births"]
    q = f"?elements={births.pk}&level=4&period_type=quarterly&start=2025Q1&end=2025Q1"
    page = client.get(reverse("databank:map") + q).content.decode()
    assert 'data-testid="region-map"' in page and f'data-code="{KAMBU}"' in page
    assert 'data-testid="map-legend"' in page
