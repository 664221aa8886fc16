"""Validation-rule expressions: `#{CODE}` and `#{CODE.CELL}` joined with + and - and numbers.

Pure: no ORM. Grammar (spaces are ignored)::

    expression := ["+" | "-"] term (("+" | "-") term)*
    term       := number | "#{" reference "}"
    reference  := CODE | CODE "." CELL

`#{PDD}` is the element's total over all its disaggregation cells, `#{PDD.P}` one cell
(the option combination's code). Element codes may contain dots themselves: a reference is
split at its last dot, unless the whole text is one of the `codes` given to `parse`.

Evaluation (`Expression.evaluate(values, missing=...)`):

- `values` maps `(code, cell)` to a Decimal or None (None = no value). `(code, None)`
  is the element's total; when that key is absent, the total is the sum of the present
  `(code, cell)` values, and missing when none of them is present.
- `missing="none"` (default): any missing reference makes the result None;
  `missing="zero"`: a missing reference counts as zero.

A rule (`check_rule`) compares two sides with an operator under a missing-value strategy:

- `skip_if_any`: skipped when any reference on either side is missing;
- `skip_if_all`: skipped when every reference on both sides is missing, otherwise
  missing counts as zero;
- `never_skip`: missing counts as zero, never skipped.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

Key = tuple[str, str | None]
Values = Mapping[Key, Decimal | None]

OPERATORS = ("==", "!=", "<", "<=", ">", ">=")
STRATEGIES = ("skip_if_any", "skip_if_all", "never_skip")
_TOKEN = re.compile(r"\s*(?:(?P<ref>#\{(?P<body>[^{}]*)\})|(?P<num>\d+(?:\.\d+)?)|(?P<op>[+-]))")
_REF_BODY = re.compile(r"^[A-Za-z0-9_.-]+$")


class ExpressionError(ValueError):
    """The expression cannot be read; the message says where and why (translated)."""


@dataclass(frozen=True)
class Reference:
    code: str
    cell: str | None = None

    def __str__(self) -> str:
        return f"#{{{self.code}.{self.cell}}}" if self.cell else f"#{{{self.code}}}"


@dataclass(frozen=True)
class Term:
    sign: int  # +1 or -1
    reference: Reference | None = None
    number: Decimal | None = None


@dataclass(frozen=True)
class Expression:
    text: str
    terms: tuple[Term, ...]

    @property
    def references(self) -> tuple[Reference, ...]:
        """The referenced element cells, in order of appearance, each once."""
        seen: dict[Reference, None] = {}
        for term in self.terms:
            if term.reference is not None:
                seen.setdefault(term.reference, None)
        return tuple(seen)

    def lookup(self, values: Values, ref: Reference) -> Decimal | None:
        return lookup(values, ref)

    def missing_count(self, values: Values) -> int:
        return sum(1 for ref in self.references if lookup(values, ref) is None)

    def evaluate(self, values: Values, missing: str = "none") -> Decimal | None:
        """The value of the expression; see the module docstring for `missing`."""
        total = Decimal(0)
        for term in self.terms:
            if term.number is not None:
                value: Decimal | None = term.number
            else:
                assert term.reference is not None
                value = lookup(values, term.reference)
            if value is None:
                if missing == "zero":
                    continue
                return None
            total += term.sign * value
        return total


def lookup(values: Values, ref: Reference) -> Decimal | None:
    """One reference's value: the cell, or the element total (given or summed)."""
    if ref.cell is not None or (ref.code, None) in values:
        return values.get((ref.code, ref.cell))
    found = [v for (code, cell), v in values.items() if code == ref.code and v is not None]
    return sum(found, Decimal(0)) if found else None


def _reference(body: str, codes: Collection[str], position: int) -> Reference:
    body = body.strip()
    if not body or not _REF_BODY.match(body):
        raise ExpressionError(
            _("Invalid reference #{%(body)s} at position %(pos)d.")
            % {"body": body, "pos": position}
        )
    if body in codes or "." not in body:
        return Reference(body)
    code, cell = body.rsplit(".", 1)
    if not code or not cell:
        raise ExpressionError(
            _("Invalid reference #{%(body)s} at position %(pos)d.")
            % {"body": body, "pos": position}
        )
    return Reference(code, cell)


def parse(text: str, codes: Collection[str] = ()) -> Expression:
    """Read an expression; raises ExpressionError with a translated message."""
    terms: list[Term] = []
    pos, sign, expect_term, signed = 0, 1, True, False
    source = text or ""
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if match is None:
            shown = source[pos:].strip()[:10]
            raise ExpressionError(
                _("Unexpected '%(text)s' at position %(pos)d.") % {"text": shown, "pos": pos + 1}
            )
        start = match.start(match.lastgroup or 0) + 1
        if match.group("op"):
            if expect_term and (terms or signed):
                raise ExpressionError(
                    _("Two operators in a row at position %(pos)d.") % {"pos": start}
                )
            sign = -1 if match.group("op") == "-" else 1
            expect_term, signed = True, True
        else:
            if not expect_term:
                raise ExpressionError(_("Missing + or - before position %(pos)d.") % {"pos": start})
            if match.group("ref"):
                terms.append(Term(sign, reference=_reference(match.group("body"), codes, start)))
            else:
                try:
                    terms.append(Term(sign, number=Decimal(match.group("num"))))
                except InvalidOperation as exc:  # pragma: no cover - the regex admits digits only
                    raise ExpressionError(_("Invalid number.")) from exc
            sign, expect_term, signed = 1, False, False
        pos = match.end()
    if not terms:
        raise ExpressionError(_("The expression is empty."))
    if expect_term:
        raise ExpressionError(_("The expression ends with an operator."))
    return Expression(text=source.strip(), terms=tuple(terms))


def check_references(
    expression: Expression, cells_by_code: Mapping[str, Collection[str]]
) -> list[str]:
    """Messages for references to elements (or cells) not in `cells_by_code`."""
    problems: list[str] = []
    for ref in expression.references:
        if ref.code not in cells_by_code:
            problems.append(
                _("%(ref)s: element %(code)s is not in this dataset.")
                % {"ref": str(ref), "code": ref.code}
            )
        elif ref.cell is not None and ref.cell not in cells_by_code[ref.code]:
            problems.append(
                _("%(ref)s: element %(code)s has no cell %(cell)s.")
                % {"ref": str(ref), "code": ref.code, "cell": ref.cell}
            )
    return problems


def compare(left: Decimal, operator: str, right: Decimal) -> bool:
    if operator == "==":
        return left == right
    if operator == "!=":
        return left != right
    if operator == "<":
        return left < right
    if operator == "<=":
        return left <= right
    if operator == ">":
        return left > right
    if operator == ">=":
        return left >= right
    raise ExpressionError(_("Unknown operator %(op)s.") % {"op": operator})


@dataclass(frozen=True)
class RuleOutcome:
    skipped: bool
    passed: bool
    left: Decimal | None
    right: Decimal | None


def check_rule(
    left: Expression, operator: str, right: Expression, values: Values, strategy: str
) -> RuleOutcome:
    """Evaluate `left operator right` under a missing-value strategy (see module doc)."""
    refs = set(left.references) | set(right.references)
    missing = sum(1 for ref in refs if lookup(values, ref) is None)
    if strategy == "skip_if_any" and missing:
        return RuleOutcome(True, True, None, None)
    if strategy == "skip_if_all" and refs and missing == len(refs):
        return RuleOutcome(True, True, None, None)
    lv, rv = left.evaluate(values, missing="zero"), right.evaluate(values, missing="zero")
    assert lv is not None and rv is not None
    return RuleOutcome(False, compare(lv, operator, rv), lv, rv)
