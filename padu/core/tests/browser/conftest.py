"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("PADU_REQUIRE_BROWSER") == "1":
            pytest.fail(
                "PADU_REQUIRE_BROWSER=1 but /usr/bin/chromium is missing (apt-get install -y chromium)"
            )
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed; browser tests skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server.url, locale="id-ID", viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.console_errors = []
    tab.on("console", lambda msg: msg.type == "error" and tab.console_errors.append(msg.text))
    yield tab
    context.close()


@pytest.fixture
def demo(transactional_db: None) -> Any:
    from padu.core.demo import seed_demo

    return seed_demo()


def shot(page: Any, name: str) -> None:
    """Save a full-page screenshot into docs/screenshots when PADU_SCREENSHOTS=1."""
    if os.environ.get("PADU_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def login(page: Any, username: str) -> None:
    from padu.core.demo import DEMO_PASSWORD

    page.goto("/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]", timeout=10000)
