"""Fixtures for browser tests: a Voila server on the real notebooks, Chromium, two viewports.

Mark browser tests with ``@pytest.mark.browser``. Playwright's own browser download does not
work here, so Debian's Chromium (/usr/bin/chromium) is launched instead; set
``WORKBOOK_CHROMIUM`` to use another binary.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    DEVICES,
    PHONE,
    VoilaServer,
    running_voila,
)

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
#: Playwright's default of 30 s is tight for a first page on 2 busy cores.
PAGE_TIMEOUT_MS = 60_000


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """The app's Voila server on notebooks/, with an empty temporary WORKBOOK_DATA.

    Production settings, except that kernels with no open page are culled after 30 s
    (not 15 min): pages fetched with plain HTTP would otherwise pile up ~100 MB kernels.
    """
    data_dir = tmp_path_factory.mktemp("workbook-data")
    with running_voila(
        NOTEBOOKS, data_dir, name="voila-session", cull_idle_timeout=30, cull_interval=5
    ) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium shared by the session."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        # In CI a missing browser is a broken setup, not a reason to pass quietly.
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}; .ci/run should have installed it")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _page(browser: Any, options: dict[str, Any]) -> Iterator[Any]:
    context = browser.new_context(**options)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(params=list(DEVICES))
def device(request: pytest.FixtureRequest) -> str:
    """Runs a test once on a 1280x900 desktop and once on a 375-pixel phone."""
    return str(request.param)


@pytest.fixture
def page_any(browser: Any, device: str) -> Iterator[Any]:
    """A fresh page on the `device` of this run (own cookies)."""
    yield from _page(browser, DEVICES[device])


@pytest.fixture
def page_desktop(browser: Any) -> Iterator[Any]:
    """A fresh 1280x900 page (own cookies)."""
    yield from _page(browser, DESKTOP)


@pytest.fixture
def page_phone(browser: Any) -> Iterator[Any]:
    """A fresh phone-sized page: 375x740, touch, device scale factor 2 (own cookies)."""
    yield from _page(browser, PHONE)
