"""Fixtures for browser tests: a Voila server on the real notebooks, Chromium, two viewports.

Mark browser tests with ``@pytest.mark.browser``. Playwright's own browser download does not
work here, so Debian's Chromium (/usr/bin/chromium) is launched instead; set
``WORKBOOK_CHROMIUM`` to use another binary.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_harness import (
    CHROMIUM,
    DESKTOP,
    DEVICES,
    FACILITATOR_TEST_KEY,
    NOTEBOOKS,
    PHONE,
    VoilaServer,
    launched_chromium,
    new_context,
    running_voila,
)

from workbook.demo import write_demo
from workbook.settings import FACILITATOR_KEY


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VoilaServer]:
    """The app's Voila server on notebooks/, with an empty temporary WORKBOOK_DATA, shared by
    the browser test files that need no setting of their own.

    Production settings, except that kernels with no open page are culled after 30 s
    (not 15 min): pages fetched with plain HTTP would otherwise pile up ~100 MB kernels; and
    the facilitator page opens with FACILITATOR_TEST_KEY.
    """
    data_dir = tmp_path_factory.mktemp("workbook-data")
    with running_voila(
        NOTEBOOKS,
        data_dir,
        name="voila-session",
        cull_idle_timeout=30,
        cull_interval=5,
        values={FACILITATOR_KEY: FACILITATOR_TEST_KEY},
    ) as server:
        yield server


@pytest.fixture(scope="session")
def demo_server(voila_server: VoilaServer) -> VoilaServer:
    """The session server with the made-up demo couple ("demo") in its data folder too."""
    if not (voila_server.data_dir / "demo.workbook.sqlite3").exists():
        write_demo(data_dir=voila_server.data_dir).close()
    return voila_server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """A headless Chromium shared by the session."""
    pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        # In CI a missing browser is a broken setup, not a reason to pass quietly.
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}; .ci/run should have installed it")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    with launched_chromium() as chromium:
        yield chromium


@pytest.fixture
def contexts(browser: Any) -> Iterator[Callable[..., Any]]:
    """Makes browser contexts (`voila_harness.new_context`: a device's options, own cookies,
    the page timeout); each is closed after the test."""
    made: list[Any] = []

    def make(options: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        made.append(new_context(browser, options, **kwargs))
        return made[-1]

    yield make
    for context in made:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()


def _page(browser: Any, options: dict[str, Any]) -> Iterator[Any]:
    context = new_context(browser, options)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture(params=list(DEVICES))
def device(request: pytest.FixtureRequest) -> str:
    """Runs a test once on a 1280x900 desktop and once on a 375-pixel phone."""
    return str(request.param)


@pytest.fixture
def context(contexts: Callable[..., Any], device: str) -> Any:
    """A fresh browser context (own cookies) on the `device` of this run; the quick exit's
    neutral site answers locally."""
    return contexts(DEVICES[device], neutral_exit=True)


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
