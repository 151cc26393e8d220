"""Fixtures for browser tests: a Voila server on the real notebooks, Chromium, two viewports.

Mark browser tests with ``@pytest.mark.browser``. Playwright's own browser download does not
work here, so Debian's Chromium is launched instead: its headless shell when installed, else
/usr/bin/chromium (`voila_harness.chromium_binary`); set ``WORKBOOK_CHROMIUM`` to use another
binary.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from voila_harness import (
    CHROMIUM,
    DEVICES,
    FACILITATOR_TEST_KEY,
    NOTEBOOKS,
    OUTPUT_DIR,
    VoilaServer,
    forget_console,
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


class Tabs:
    """Open tabs shared by the tests of a test process, each test finding its tab as a fresh
    browser would show it: an empty page at the device's size, alone, with no history, no
    cookies and nothing stored by a site.

    A tab is a device and a slot: slot 0 is "the" browser of a test, slot 1 a second browser
    with cookies of its own (the other partner, somebody borrowing the address). Each slot is
    a browser context of its own, so two slots never share a cookie or a tab-to-tab message.

    A page opened in the tab that showed the app's last page is served by the same renderer
    process, which has the app's scripts compiled already: a walk of four pages costs about
    1.7-1.9 CPU-seconds of Chromium there, 2.6-2.8 in a new tab of a used context and 2.7-3.2 in
    a new context (several measurements; the suite opens some 450 pages, on two cores). Between
    tests the tab leaves for about:blank, as a closed tab would (the page's kernel is shut down,
    words left unsaved are let go); its other tabs are closed; its history, what the sites it
    showed stored (the tab's sessionStorage, localStorage, IndexedDB, caches, service workers)
    and the context's cookies and routes are cleared. A test that closes the tab or its context
    gets a new one next time. Tests that need other options (a JupyterLab window, a room of
    phones) or that close their browser on purpose make their own contexts
    (`voila_harness.new_context`).
    """

    def __init__(self, browser: Any) -> None:
        self.browser = browser
        self._open: dict[tuple[str, int], Any] = {}

    def current(self, device: str, slot: int = 0) -> Any | None:
        """The device's tab in ``slot`` if it is open."""
        page = self._open.get((device, slot))
        return None if page is None or page.is_closed() else page

    def get(self, device: str, slot: int = 0) -> Any:
        """The device's tab in ``slot``, opened (in a context of its own) when there is none."""
        page = self.current(device, slot)
        if page is None:
            context = new_context(self.browser, DEVICES[device])
            page = self._open[(device, slot)] = context.new_page()
        return page

    def reset(self, device: str, slot: int = 0) -> None:
        """Make the tab as a fresh context's: off the app, alone, no history, nothing stored
        by the sites it showed, no cookies or routes, the device's size."""
        page = self._open.get((device, slot))
        if page is None:
            return
        try:
            sites = set().union(*(_sites_shown(tab) for tab in page.context.pages))
            for other in page.context.pages:
                if other is not page:
                    other.close()
            page.on("dialog", _leave)
            try:
                page.goto("about:blank")
            finally:
                page.remove_listener("dialog", _leave)
            cdp = page.context.new_cdp_session(page)
            try:
                cdp.send("Page.resetNavigationHistory")
                for site in sites:
                    cdp.send("Storage.clearDataForOrigin", {"origin": site, "storageTypes": _KEPT})
            finally:
                cdp.detach()
            forget_console(page)
            page.unroute_all(behavior="ignoreErrors")
            page.context.unroute_all(behavior="ignoreErrors")
            page.context.clear_cookies()
            page.set_viewport_size(DEVICES[device]["viewport"])
        except Exception:  # closed by the test, or stuck: the next test gets a new tab
            self.discard(device, slot)

    def discard(self, device: str, slot: int = 0) -> None:
        page = self._open.pop((device, slot), None)
        if page is not None:
            with contextlib.suppress(Exception):
                page.context.close()

    def close(self) -> None:
        for device, slot in list(self._open):
            self.discard(device, slot)


#: What a site keeps in the browser besides cookies, cleared for each site the tab showed:
#: "local_storage" takes this tab's sessionStorage of the site too (the quick exit's flag
#: lives there, and stays when the tab goes on to the neutral site; checked in
#: test_shared_tabs.py). The app keeps nothing else; Voila's scripts may.
_KEPT = "local_storage,indexeddb,cache_storage,service_workers"


def _sites_shown(page: Any) -> set[str]:
    """The sites (scheme, host and port) of the tab's history; about:blank and the like are
    none."""
    cdp = page.context.new_cdp_session(page)
    try:
        entries = cdp.send("Page.getNavigationHistory")["entries"]
    finally:
        cdp.detach()
    sites = set()
    for entry in entries:
        parts = urlsplit(entry["url"])
        if parts.scheme in ("http", "https"):
            sites.add(f"{parts.scheme}://{parts.netloc}")
    return sites


def _leave(dialog: Any) -> None:
    """While the tab is reset: a page asking before it is left ("beforeunload") is left, and
    any other dialog is dismissed (as Playwright does when nobody listens)."""
    if dialog.type == "beforeunload":
        dialog.accept()
    else:
        dialog.dismiss()


@pytest.fixture(scope="session")
def tabs(browser: Any) -> Iterator[Tabs]:
    """The shared tabs (`Tabs`) of this test process."""
    shared = Tabs(browser)
    yield shared
    shared.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test, so a fixture can tell that its test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _keep_what_it_showed(page: Any, test: str, device: str) -> None:
    """After a failed test: the tab's screenshot and text in tests/output/failed/."""
    folder = OUTPUT_DIR / "failed"
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "-", test)[-120:] + f"-{device}"
    with contextlib.suppress(Exception):
        page.screenshot(path=str(folder / f"{stem}.png"), full_page=True, timeout=10_000)
        (folder / f"{stem}.txt").write_text(
            f"{page.url}\n\n{page.inner_text('body', timeout=10_000)}", encoding="utf-8"
        )


@pytest.fixture
def tab(tabs: Tabs, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """``tab(device, slot=0)``: the shared tab of a device ("desktop", "phone") in a slot (1:
    a second browser, with cookies of its own), made fresh for this test and reset after it
    (after a failure, what it showed is kept in tests/output/failed/)."""
    used: list[tuple[str, int]] = []

    def get(device: str, slot: int = 0) -> Any:
        if (device, slot) not in used:
            used.append((device, slot))
        return tabs.get(device, slot)

    yield get
    report = getattr(request.node, "report_call", None)
    for device, slot in used:
        page = tabs.current(device, slot)
        if page is not None and report is not None and report.failed:
            _keep_what_it_showed(page, request.node.nodeid, f"{device}-{slot}")
        tabs.reset(device, slot)


@pytest.fixture(params=list(DEVICES))
def device(request: pytest.FixtureRequest) -> str:
    """Runs a test once on a 1280x900 desktop and once on a 375-pixel phone."""
    return str(request.param)


@pytest.fixture
def page_any(tab: Callable[..., Any], device: str) -> Any:
    """The `device` of this run's shared tab (`Tabs`): no cookies, nothing open."""
    return tab(device)


@pytest.fixture
def page_desktop(tab: Callable[..., Any]) -> Any:
    """The shared 1280x900 tab (`Tabs`): no cookies, nothing open."""
    return tab("desktop")


@pytest.fixture
def page_phone(tab: Callable[..., Any]) -> Any:
    """The shared phone-sized tab (`Tabs`): 375x740, touch, device scale factor 2."""
    return tab("phone")
