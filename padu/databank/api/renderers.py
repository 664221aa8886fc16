"""CSV output for the API and the pivot export, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.http import HttpResponse
from rest_framework.renderers import BaseRenderer

from padu.core.spreadsheet import safe_cell


def csv_text(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def csv_download(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(
        "\ufeff" + csv_text(header, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _flat(item: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in item.items():
        if isinstance(value, Mapping):
            for sub, inner in _flat(value).items():
                out[f"{key}.{sub}"] = inner
        elif isinstance(value, list):
            out[key] = "|".join(
                str(v.get("code", v)) if isinstance(v, Mapping) else str(v) for v in value
            )
        else:
            out[key] = value
    return out


class CSVRenderer(BaseRenderer):
    """`?format=csv` or `Accept: text/csv`: the page's rows; the next page in a Link header."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        response = (renderer_context or {}).get("response")
        rows = data
        if isinstance(data, Mapping) and "results" in data:
            rows = data["results"]
            if response is not None and data.get("next"):
                response["Link"] = f'<{data["next"]}>; rel="next"'
        elif isinstance(data, Mapping):
            rows = [data]
        flat = [_flat(r) for r in rows if isinstance(r, Mapping)]
        header: list[str] = []
        for row in flat:
            header.extend(k for k in row if k not in header)
        return csv_text(header, [[row.get(k) for k in header] for row in flat]).encode()
