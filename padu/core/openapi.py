"""OpenAPI post-processing: the schema must not depend on the database it was built on."""

from __future__ import annotations

from typing import Any

# Integer bounds that only reflect the database's column types (they differ between
# SQLite and PostgreSQL for the same field).
STORAGE_BOUNDS = {32767, 2147483647, 9223372036854775807, -32768, -2147483648, -9223372036854775808}


def _strip(node: Any) -> None:
    if isinstance(node, dict):
        for key in ("maximum", "minimum"):
            if node.get(key) in STORAGE_BOUNDS:
                del node[key]
        if node.get("type") == "integer" and node.get("format") == "int64":
            del node["format"]
        for value in node.values():
            _strip(value)
    elif isinstance(node, list):
        for value in node:
            _strip(value)


def strip_storage_bounds(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular hook: drop integer bounds that come from column types."""
    _strip(result)
    return result
