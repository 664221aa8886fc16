"""Reading an instrument file strictly: the YAML itself (one document, no aliases, no key given
twice, bounded nesting) and its values with their place. Pure: no ORM."""

from __future__ import annotations

import math
from collections import defaultdict
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from django.utils.translation import gettext as _

from .instrument_spec import (
    MAX_DEPTH,
    SMALL_INT_MAX,
    SYNONYMS,
    UNREADABLE,
    WEIGHT_LIMIT,
    Data,
    InstrumentFormatError,
)

# --- strict YAML ---------------------------------------------------------------------

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """Safe YAML that notes a key given twice instead of silently keeping the last value."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.repeated: list[tuple[int, Any]] = []

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    if key in seen:
                        self.repeated.append((key_node.start_mark.line + 1, key))
                    seen.add(key)
                except TypeError:
                    pass  # an unhashable key: the constructor below refuses it
        return super().construct_mapping(node, deep=deep)


def _line(mark: Any) -> int:
    return mark.line + 1 if mark is not None else 0


def _screen(text: str) -> None:
    """Walk the parser's events (iterative, so safe on any input) before building anything."""
    depth = documents = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        fault = ""
        if isinstance(event, yaml.AliasEvent):
            fault = _("line %(line)s: anchors and aliases (& and *) are not allowed")
        elif isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                fault = _("line %(line)s: the file must hold one YAML document only")
        elif isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                fault = _("line %(line)s: the file is nested more than %(depth)s levels deep")
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1
        if fault:
            line = _line(event.start_mark)
            raise InstrumentFormatError([fault % {"line": line, "depth": MAX_DEPTH}])


def read_yaml(text: str) -> tuple[Any, list[str]]:
    """The document and the faults found while reading it (keys given twice)."""
    try:
        _screen(text)
        loader = _StrictLoader(text)
        try:
            document = loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is None:
            message = _("the file is not valid YAML")
        else:
            message = _("line %(line)s: the file is not valid YAML") % {"line": _line(mark)}
        problem = getattr(exc, "problem", None)
        raise InstrumentFormatError([f"{message} ({problem})" if problem else message]) from exc
    faults = [
        _("line %(line)s: the key '%(key)s' appears more than once") % {"line": line, "key": key}
        for line, key in loader.repeated
    ]
    return document, faults


# --- reading values with their place ------------------------------------------------


class FieldReader:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.keys: dict[str, list[tuple[str, Any]]] = defaultdict(list)  # kind: (place, key)

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}")

    @staticmethod
    def get(data: Data, key: str) -> Any:
        for name in SYNONYMS.get(key, (key,)):
            if data.get(name) is not None:
                return data[name]
        return None

    def text(
        self, data: Data, key: str, where: str, *, limit: int = 0, required: bool = True
    ) -> str:
        value = self.get(data, key)
        if isinstance(value, bool) or (value is not None and not isinstance(value, str | int)):
            self.fail(where, _("'%(key)s' must be text") % {"key": key})
            return ""
        result = "" if value is None else str(value).strip()
        if not result and required:
            self.fail(where, _("the key '%(key)s' is missing") % {"key": key})
        if limit and len(result) > limit:
            self.fail(
                where,
                _("'%(key)s' is longer than %(limit)s characters") % {"key": key, "limit": limit},
            )
        return result

    def number(
        self, data: Data, key: str, where: str, *, limit: Decimal | None = WEIGHT_LIMIT
    ) -> Decimal:
        """A positive number below `limit` with at most three decimals (limit None: any number)."""
        value = data.get(key)
        if value is None:
            self.fail(where, _("the key '%(key)s' is missing") % {"key": key})
            return UNREADABLE
        try:
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise InvalidOperation
            result = Decimal(str(value).strip())
            if not result.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            self.fail(where, _("'%(key)s' must be a number") % {"key": key})
            return UNREADABLE
        if limit is None:
            return result
        if result <= 0:
            self.fail(where, _("'%(key)s' must be greater than zero") % {"key": key})
            return UNREADABLE
        if result >= limit or result.as_tuple().exponent < -3:  # type: ignore[operator]
            self.fail(
                where,
                _("'%(key)s' must be less than %(limit)s with at most three decimals")
                % {"key": key, "limit": limit},
            )
            return UNREADABLE
        return result

    def integer(
        self, data: Data, key: str, where: str, *, default: int = 0, high: int = SMALL_INT_MAX
    ) -> int | None:
        """A whole number from 1 to `high`; None after a fault."""
        value = data.get(key)
        if value is None and default:
            return default
        if value is None:
            self.fail(where, _("the key '%(key)s' is missing") % {"key": key})
        elif isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, _("'%(key)s' must be a whole number") % {"key": key})
        elif not 1 <= value <= high:
            self.fail(
                where,
                _("'%(key)s' must be a whole number from %(low)s to %(high)s")
                % {"key": key, "low": 1, "high": high},
            )
        else:
            return value
        return None

    def flag(self, data: Data, key: str, where: str) -> bool:
        value = data.get(key, False)
        if not isinstance(value, bool):
            self.fail(where, _("'%(key)s' must be true or false") % {"key": key})
            return False
        return value

    def texts(self, data: Data, key: str, where: str) -> list[str]:
        value = self.get(data, key)
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.fail(where, _("'%(key)s' must be a list of texts") % {"key": key})
            return []
        return [str(v).strip() for v in value if str(v).strip()]

    def mapping_list(self, data: Data, key: str, where: str) -> list[Data]:
        value = data.get(key)
        if not isinstance(value, list) or not value or not all(isinstance(v, dict) for v in value):
            self.fail(where, _("'%(key)s' must be a non-empty list") % {"key": key})
            return []
        return value


def is_plain(value: Any) -> bool:
    """Whether `value` can be stored as JSON as it is (text, numbers, lists, mappings)."""
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(is_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str | int) and is_plain(v) for k, v in value.items())
    return False
