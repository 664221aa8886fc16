"""Test support: transactional tests must empty the audit table between tests."""

from __future__ import annotations

import importlib
from typing import Any

_migration = importlib.import_module("padu.audit.migrations.0002_append_only_triggers")


def _run(connection: Any, statements: dict[str, list[str]]) -> None:
    with connection.cursor() as cursor:
        for sql in statements.get(connection.vendor, []):
            cursor.execute(sql)


def install_append_only_triggers(connection: Any) -> None:
    _run(
        connection, {"sqlite": _migration.SQLITE_REVERSE, "postgresql": _migration.POSTGRES_REVERSE}
    )
    _run(connection, {"sqlite": _migration.SQLITE, "postgresql": _migration.POSTGRES})


def drop_append_only_triggers(connection: Any) -> None:
    _run(
        connection, {"sqlite": _migration.SQLITE_REVERSE, "postgresql": _migration.POSTGRES_REVERSE}
    )
