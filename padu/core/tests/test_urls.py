"""A guard: every named page of the project's own apps has view tests that name it.

STYLE.md asks each view test file to start with the permission cases. This test reads the
apps' ``tests/test_views.py`` and fails when a URL name (``"accounts:user_list"``) appears
in none of its test functions, so a new view cannot land without them. The read-only API
(un-namespaced router names) is covered by ``padu/organizations/tests/test_api.py``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

PADU_DIR = Path(__file__).resolve().parents[2]
OWN_APPS = ("core", "accounts", "organizations", "audit")


def _names(patterns: list[URLPattern | URLResolver]) -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _names(pattern.url_patterns)
        elif pattern.name:
            yield pattern.name


def named_urls() -> dict[str, set[str]]:
    """{app namespace: {qualified URL names}} for the project's own apps."""
    found: dict[str, set[str]] = {}
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace in OWN_APPS:
            names = {f"{entry.namespace}:{name}" for name in _names(entry.url_patterns)}
            found.setdefault(entry.namespace, set()).update(names)
    return found


def strings_in_tests(path: Path) -> set[str]:
    """Every string literal inside the test functions of `path` (decorators included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    strings: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
            strings.update(
                inner.value
                for inner in ast.walk(node)
                if isinstance(inner, ast.Constant) and isinstance(inner.value, str)
            )
    return strings


def test_guard_sees_the_pages_of_every_own_app() -> None:
    found = named_urls()
    assert set(found) == set(OWN_APPS)
    everything = set().union(*found.values())
    for name in (
        "core:home",
        "core:healthz",
        "accounts:login",
        "accounts:user_list",
        "accounts:membership_remove",
        "organizations:unit_edit",
        "organizations:agency_logo",
        "audit:event_detail",
    ):
        assert name in everything


def test_every_named_url_of_own_apps_is_named_in_a_view_test() -> None:
    missing = []
    for app, names in sorted(named_urls().items()):
        test_file = PADU_DIR / app / "tests" / "test_views.py"
        assert test_file.exists(), f"{test_file} is missing"
        referenced = strings_in_tests(test_file)
        missing += [
            f"{name} (expected in {test_file.relative_to(PADU_DIR.parent)})"
            for name in sorted(names)
            if name not in referenced
        ]
    assert missing == [], "URL names without view tests:\n" + "\n".join(missing)
