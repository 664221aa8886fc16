"""The committed OpenAPI description matches the API (regenerate with `make schema`)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

SCHEMA = Path(__file__).resolve().parents[3] / "docs" / "openapi.yaml"


def test_committed_schema_is_current(tmp_path: Path) -> None:
    out = tmp_path / "openapi.yaml"
    with translation.override("en"):
        call_command("spectacular", "--lang", "en", "--file", str(out), stdout=StringIO())
    assert out.read_text() == SCHEMA.read_text(), "docs/openapi.yaml is stale: run make schema"
