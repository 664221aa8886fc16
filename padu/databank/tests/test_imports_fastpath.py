"""The PostgreSQL set-based write path gives the same results as the portable one: the
write-path tests run again here with the fast path switched on for every size (on SQLite
they simply run the portable path a second time)."""

from __future__ import annotations

import pytest

from padu.databank import services_values

from .test_services_values import *  # noqa: F403


@pytest.fixture(autouse=True)
def _fast_path_for_every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services_values, "PG_FAST_MIN", 0)
