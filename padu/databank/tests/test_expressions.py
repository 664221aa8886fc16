"""Validation-rule expressions: parsing, references, evaluation and missing-value strategies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from padu.databank.expressions import (
    ExpressionError,
    Reference,
    check_references,
    check_rule,
    parse,
)

D = Decimal


def test_parse_reads_references_and_numbers() -> None:
    expr = parse("#{PDD.L} + #{PDD.P} - 2 + #{KK}")
    assert expr.references == (Reference("PDD", "L"), Reference("PDD", "P"), Reference("KK"))
    assert [t.sign for t in expr.terms] == [1, 1, -1, 1]
    assert expr.terms[2].number == D(2)


def test_parse_accepts_a_leading_sign_and_decimals() -> None:
    expr = parse("-#{A} + 1.5")
    assert expr.evaluate({("A", None): D(1)}) == D("0.5")


def test_references_are_listed_once() -> None:
    assert parse("#{A} + #{A}").references == (Reference("A"),)


def test_a_dotted_code_known_to_the_parser_is_not_split() -> None:
    assert parse("#{IPM.2}", codes={"IPM.2"}).references == (Reference("IPM.2"),)
    assert parse("#{IPM.2}").references == (Reference("IPM", "2"),)
    assert parse("#{IPM.2.L}", codes={"IPM.2"}).references == (Reference("IPM.2", "L"),)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "#{A} +",
        "#{A} #{B}",
        "#{A} + + #{B}",
        "#{}",
        "#{A B}",
        "A + 1",
        "#{A} * 2",
        "#{.L}",
        "#{A.}",
        "--1",
    ],
)
def test_invalid_expressions_raise(text: str) -> None:
    with pytest.raises(ExpressionError):
        parse(text)


def test_error_names_the_position() -> None:
    with pytest.raises(ExpressionError, match="5"):
        parse("#{A} * 2")


def test_evaluate_sums_cells_for_an_element_total() -> None:
    values = {("PDD", "L"): D(10), ("PDD", "P"): D(12), ("X", None): D(1)}
    assert parse("#{PDD}").evaluate(values) == D(22)
    assert parse("#{PDD.P} - #{PDD.L}").evaluate(values) == D(2)


def test_a_given_total_wins_over_the_sum_of_cells() -> None:
    values = {("PDD", None): D(30), ("PDD", "L"): D(10)}
    assert parse("#{PDD}").evaluate(values) == D(30)


def test_missing_gives_none_or_counts_as_zero() -> None:
    values = {("A", None): D(5), ("B", None): None}
    expr = parse("#{A} + #{B} + #{C}")
    assert expr.evaluate(values) is None
    assert expr.evaluate(values, missing="zero") == D(5)
    assert expr.missing_count(values) == 2


def test_check_references_names_unknown_elements_and_cells() -> None:
    cells = {"PDD": {"L", "P"}, "KK": {"default"}}
    assert check_references(parse("#{PDD.L} + #{KK}"), cells) == []
    problems = check_references(parse("#{PDD.X} + #{NOPE}"), cells)
    assert len(problems) == 2
    assert "PDD" in problems[0] and "X" in problems[0]
    assert "NOPE" in problems[1]


@pytest.mark.parametrize(
    ("op", "expected"),
    [("==", True), ("!=", False), ("<", False), ("<=", True), (">", False), (">=", True)],
)
def test_check_rule_operators(op: str, expected: bool) -> None:
    values = {("T", None): D(22), ("PDD", "L"): D(10), ("PDD", "P"): D(12)}
    out = check_rule(parse("#{PDD.L} + #{PDD.P}"), op, parse("#{T}"), values, "never_skip")
    assert not out.skipped
    assert out.passed is expected
    assert (out.left, out.right) == (D(22), D(22))


def test_skip_if_any_skips_when_one_value_is_missing() -> None:
    values = {("A", None): D(3)}
    out = check_rule(parse("#{A}"), "==", parse("#{B}"), values, "skip_if_any")
    assert out.skipped and out.passed


def test_skip_if_all_checks_with_zero_when_some_are_present() -> None:
    values = {("A", None): D(3)}
    out = check_rule(parse("#{A}"), "<=", parse("#{B}"), values, "skip_if_all")
    assert not out.skipped and not out.passed
    assert check_rule(parse("#{A}"), "<=", parse("#{B}"), {}, "skip_if_all").skipped


def test_never_skip_counts_missing_as_zero() -> None:
    out = check_rule(parse("#{A}"), "==", parse("0"), {}, "never_skip")
    assert not out.skipped and out.passed
