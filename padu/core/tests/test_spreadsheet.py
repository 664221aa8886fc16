"""Exports never hand a spreadsheet a formula: the shared helper and the shared CSV response."""

from __future__ import annotations

import pytest

from padu.core.http import csv_response
from padu.core.spreadsheet import neutralise, safe_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+62 812 000", "'+62 812 000"),
        ("-cmd", "'-cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("-5", "-5"),
        ("+12.5", "+12.5"),
        ("Kambu", "Kambu"),
        (7, 7),
        (None, None),
    ],
)
def test_formula_like_text_is_made_inert_and_numbers_are_kept(value, expected) -> None:
    assert neutralise(value) == expected


def test_every_cell_of_a_csv_download_is_safe() -> None:
    response = csv_response("x.csv", ["nama", "nilai"], [["=1+1", -3], [None, "@A1"]])
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines() == ["nama,nilai", "'=1+1,-3", ",'@A1"]
    assert safe_cell(None) == ""
