"""Helpers for the bulk-upload tests."""

from __future__ import annotations

from padu.databank.imports import TEMPLATE_COLUMNS

ALOLAMA, KAMBU = "74.71.01.1001", "74.71.10.1001"


def csv_bytes(*rows: list[str], header: list[str] | None = None, bom: bool = False) -> bytes:
    lines = [",".join(header or TEMPLATE_COLUMNS)] + [",".join(r) for r in rows]
    text = "\r\n".join(lines) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def row(
    region: str, element: str, cell: str, period: str, value: str, comment: str = ""
) -> list[str]:
    return [region, "", element, "", cell, "", period, value, comment]
