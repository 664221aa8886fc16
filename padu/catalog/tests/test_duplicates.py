"""The duplicate check on a labelled set: precision and recall of the flagged pairs, and the
reasons it gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from padu.catalog.duplicates import Index, Item, Match, stem, terms

DATA = Path(__file__).parent / "data" / "duplicate_eval.yaml"


def item(raw: dict[str, Any]) -> Item:
    return Item(
        key=raw["key"],
        name=raw["name"],
        acronym=raw.get("acronym", ""),
        text=raw.get("text", ""),
        ral=frozenset(raw.get("ral", [])),
        rab=frozenset(raw.get("rab", [])),
        data=frozenset(raw.get("data", [])),
        national=raw.get("national", False),
    )


PARTS = ("proposals", "heldout", "heldout2")


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    return yaml.safe_load(DATA.read_text("utf-8"))


@pytest.fixture(scope="module")
def labelled(raw: dict[str, Any]) -> tuple[Index, list[tuple[Item, set[str]]]]:
    index = Index(item(r) for r in raw["register"])
    proposals = [(item(r), set(r["duplicates"])) for part in PARTS for r in raw[part]]
    return index, proposals


def flagged(matches: list[Match]) -> set[str]:
    return {m.key for m in matches if m.flagged}


def precision_recall(index: Index, proposals: list[tuple[Item, set[str]]]) -> tuple[float, float]:
    true_pos = false_pos = false_neg = 0
    for proposal, expected in proposals:
        got = flagged(index.check(proposal, top=5))
        true_pos += len(got & expected)
        false_pos += len(got - expected)
        false_neg += len(expected - got)
    return true_pos / (true_pos + false_pos), true_pos / (true_pos + false_neg)


def test_precision_and_recall_on_the_whole_labelled_set(labelled) -> None:
    # 36 proposals against 39 applications: precision 0.86, recall 0.95 when last measured.
    precision, recall = precision_recall(*labelled)
    assert precision >= 0.8
    assert recall >= 0.9


def test_precision_and_recall_on_the_part_written_after_calibration(raw) -> None:
    index = Index(item(r) for r in raw["register"])
    proposals = [(item(r), set(r["duplicates"])) for r in raw["heldout2"]]
    precision, recall = precision_recall(index, proposals)  # 0.89 and 1.00 at its first run
    assert precision >= 0.8
    assert recall >= 0.8


def test_each_duplicate_proposal_finds_one_of_its_duplicates_first(labelled) -> None:
    index, proposals = labelled
    misses = [
        p.key
        for p, expected in proposals
        if expected and index.check(p, top=1)[0].key not in expected
    ]
    assert len(misses) <= 1, misses  # none when last measured


def test_most_new_needs_are_not_flagged(labelled) -> None:
    index, proposals = labelled
    new = [p for p, expected in proposals if not expected]
    wrongly = [p.key for p in new if flagged(index.check(p))]
    assert len(wrongly) <= 2, wrongly


def test_a_match_says_why(labelled) -> None:
    index, proposals = labelled
    p01 = next(p for p, _e in proposals if p.key == "P01")
    best = index.check(p01)[0]
    kinds = {r.kind for r in best.reasons}
    assert {"ral", "text"} <= kinds
    ral = next(r for r in best.reasons if r.kind == "ral")
    assert ral.detail == ("RAL.02.04.01",)
    text = next(r for r in best.reasons if r.kind == "text")
    assert "pegawai" in text.detail
    assert best.band == "high"


def test_stemming_and_the_thesaurus_join_word_forms_and_synonyms() -> None:
    assert stem("pengaduan") == stem("aduan") == stem("keluhan") == "adu"
    assert stem("kepegawaian") == "pegawai"
    assert stem("presensi") == stem("absensi") == "absen"
    assert "sistem" not in terms("Sistem Informasi Kepegawaian Online")


def test_acronym_spelling_variants_match_by_name() -> None:
    index = Index([Item("SIMPEG", "SIMPEG", "SIMPEG")])
    match = index.check(Item("X", "SI-MPEG Kota", "SIMPEG"))[0]
    assert any(r.kind == "name" for r in match.reasons)
