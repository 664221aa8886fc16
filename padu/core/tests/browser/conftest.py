"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

One browser for all of them, a fresh context per test, against pytest-django's live server.
The demo (``seed_demo``) takes about 5 s, so the first test seeds it and copies every table
into snapshot tables, which the flush after each test leaves alone; later tests copy the rows
back in a fraction of a second.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, connections, transaction
from django.utils import translation

from padu.core.demo import DEMO_PASSWORD, DemoLogin, seed_demo

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[4] / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 10_000


def t(text: str) -> str:
    """The Indonesian the user sees for an English source string."""
    with translation.override("id"):
        return str(translation.gettext(text))


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for all the browser tests.

    Playwright's sync API marks its event loop as running in the main thread while it is
    started, so Django keeps that thread's database connections apart (asgiref's
    thread-critical Local) and other code sees a running loop. The browser therefore lives
    only as long as this package, and closes the connections it caused before it goes.
    """
    if not CHROMIUM.exists():
        if os.environ.get("PADU_REQUIRE_BROWSER") == "1":
            pytest.fail(
                f"PADU_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install -y chromium)",
                pytrace=False,
            )
        pytest.skip(f"Debian's Chromium ({CHROMIUM}) is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield instance
        instance.close()
        connections.close_all()


@dataclass
class Problems:
    """What went wrong in the browser while a test ran."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    bad_responses: list[tuple[int, str]] = field(default_factory=list)

    def watch(self, page: Any, origin: str) -> None:
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on(
            "response",
            lambda r: (
                r.status >= 400
                and r.url.startswith(origin)
                and self.bad_responses.append((r.status, r.url))
            ),
        )

    def assert_none(self) -> None:
        assert self.bad_responses == [], self.bad_responses
        assert self.page_errors == [], self.page_errors
        assert self.console_errors == [], self.console_errors


@pytest.fixture
def problems() -> Problems:
    return Problems()


@pytest.fixture
def new_page(browser: Any, live_server: Any, problems: Problems) -> Iterator[Callable[[], Any]]:
    """Open a page in a fresh context (its own cookies), as Indonesian users do."""
    contexts: list[Any] = []

    def open_page() -> Any:
        context = browser.new_context(
            base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        problems.watch(page, live_server.url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[[], Any]) -> Any:
    return new_page()


@dataclass(frozen=True)
class _Snapshot:
    tables: list[tuple[str, str, list[str]]]  # (table, snapshot table, columns)
    media: Path
    logins: list[DemoLogin]


_snapshots: dict[str, _Snapshot] = {}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _take_snapshot(logins: list[DemoLogin], media: Path, saved: Path) -> _Snapshot:
    tables = []
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.django_table_names(only_existing=True))
        for index, table in enumerate(names):
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone() is None:
                continue
            copy = f"padu_browser_snapshot_{index}"
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            cursor.execute(f"DROP TABLE IF EXISTS {_quote(copy)}")
            cursor.execute(f"CREATE TABLE {_quote(copy)} AS SELECT * FROM {_quote(table)}")
            tables.append((table, copy, columns))
    if media.exists():
        shutil.copytree(media, saved, dirs_exist_ok=True)
    return _Snapshot(tables, saved, logins)


def _restore(snapshot: _Snapshot, media: Path) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table, copy, columns in snapshot.tables:
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")
            if cursor.fetchone() is not None:  # content types and permissions, after the flush
                cursor.execute(f"DELETE FROM {_quote(table)}")
            listed = ", ".join(_quote(c) for c in columns)
            cursor.execute(
                f"INSERT INTO {_quote(table)} ({listed}) SELECT {listed} FROM {_quote(copy)}"
            )
        models = apps.get_models(include_auto_created=True)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    if snapshot.media.exists():
        shutil.copytree(snapshot.media, media, dirs_exist_ok=True)


@pytest.fixture
def demo(transactional_db: None, tmp_path_factory: pytest.TempPathFactory) -> list[DemoLogin]:
    """The demo agencies, units and users (``seed_demo``), seeded once and copied back after."""
    media = Path(settings.MEDIA_ROOT)
    snapshot = _snapshots.get(connection.alias)
    if snapshot is None:
        snapshot = _snapshots[connection.alias] = _take_snapshot(
            seed_demo(), media, tmp_path_factory.mktemp("demo-media")
        )
    else:
        _restore(snapshot, media)
    return snapshot.logins


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot into docs/screenshots when PADU_SCREENSHOTS=1."""
    if os.environ.get("PADU_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page: Any, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form and wait for the dashboard."""
    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.get_by_role("button", name=t("Sign in"), exact=True).click()
    assert page.locator("[data-testid=user-menu]").is_visible(), username


def logout(page: Any) -> None:
    """Sign out through the user menu."""
    page.click("[data-testid=user-menu]")
    with page.expect_navigation():
        page.locator(".user-menu").get_by_role("button", name=t("Sign out")).click()
