"""A workshop room under load: couples check in at once on their own pages.

`make load` fills the room with 20 couples (40 partners, ``--room-couples 20``); `make test`
runs the same journey with 5 couples (``--room-couples``, root conftest.py), which checks every
behaviour below without paying for the full room on each test run.

Starts the workshop server (workshop mode, join codes) on loopback. The partners arrive in
Chromium (a few at a time, as people walk into a room), each joining with its couple's code;
with every page and kernel live, everyone presses Save at the same moment. Then: every entry
is in the right couple's file, none lost or duplicated, and the kernels of the closed pages are
culled. Time and peak memory (server, kernels and browser) are written to
tests/output/workshop-load.json and printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import psutil
import pytest
from voila_harness import (
    CHROMIUM,
    CHROMIUM_ARGS,
    NOTEBOOKS,
    OUTPUT_DIR,
    console_noted,
    kernel_processes,
    running_voila,
    wait_until,
)

from workbook import workshop
from workbook.store import open_workbook
from workbook.ui.base import PAGES

# Heavy with 20 couples (about 3 minutes, 40 kernels at once, `make load`); `make test` runs 5.
pytestmark = [pytest.mark.browser, pytest.mark.load]

# Seconds of quiet before a kernel whose page has gone is stopped (`workbook serve` uses 900).
# A kernel whose page has not connected yet is quiet too: at 60 s, a page in CI (4 test
# processes on 2 cores, 8 pages arriving at once) once took longer than that to run its
# scripts, its kernel was culled first, and the page waited for ever (it now says so).
CULL_IDLE = 120
#: What jupyter_server logs for each kernel its idle culler stops (ids cut to 8 characters).
CULLED = re.compile(r"Culling 'idle' kernel '\w+' \(([\w-]+)…?\)")


class PeakMemory:
    """Samples, in a background thread, the summed RSS of a process tree.

    Also the part under ``server`` (Voila and its kernels) and the number of live kernels.
    """

    def __init__(self, root: int, server: int) -> None:
        self.root = root
        self.server = server
        self.peak = 0
        self.peak_server = 0
        self.peak_kernels = 0
        # The machine's used memory before and at its peak: unlike summed RSS, this counts
        # pages shared between processes (Chromium's, the kernels' libraries) once.
        self.used_before = psutil.virtual_memory().used
        self.used_peak = self.used_before
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _tree(pid: int) -> list[psutil.Process]:
        try:
            root = psutil.Process(pid)
            return [root, *root.children(recursive=True)]
        except psutil.Error:
            return []

    @staticmethod
    def _rss(procs: list[psutil.Process]) -> int:
        total = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total

    def sample(self) -> None:
        server = self._tree(self.server)
        self.peak = max(self.peak, self._rss(self._tree(self.root)))
        self.peak_server = max(self.peak_server, self._rss(server))
        self.peak_kernels = max(self.peak_kernels, len(kernel_processes(self.server)))
        self.used_peak = max(self.used_peak, psutil.virtual_memory().used)

    def _run(self) -> None:
        while not self._stop.wait(0.5):
            self.sample()

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# How many partners may be arriving (page loading, kernel starting) at the same moment. People
# walk into a room over a minute or two, not in the same instant; on 2 cores, 40 kernels and
# 40 Chromium renderers starting in one instant starve each other until pages time out.
ARRIVING_AT_ONCE = 8


class Partner:
    """One partner's phone: a browser context with the start page open, joined by code."""

    def __init__(self, url: str, note: str) -> None:
        self.url = url
        self.note = note
        self.context: Any = None
        self.page: Any = None
        self.arrival_seconds = 0.0
        self.save_seconds = 0.0
        #: What the page's scripts said at the console (errors and warnings), for a failure.
        self.console: list[str] = []

    async def arrive(self, browser: Any, arriving: asyncio.Semaphore) -> None:
        async with arriving:
            self.context = await browser.new_context(viewport={"width": 375, "height": 740})
            self.context.set_default_timeout(240_000)
            self.page = await self.context.new_page()
            self.console = console_noted(self.page)
            start = time.monotonic()
            # Ready means the form is there; the page's "load" event also waits for every
            # script and style, and on two starved cores one stalled subresource held a goto
            # past its 240 s in CI while the page itself was being served.
            await self.page.goto(self.url, wait_until="commit")
            form = self.page.get_by_role("button", name="Save check-in")
            closed = self.page.locator("#ht-closed")  # the page's kernel is gone (healing.js)
            try:
                # (A page whose widgets could not be fetched opens again by itself: healing.js.)
                await form.or_(closed).first.wait_for()
            except Exception as error:
                body = await self.page.locator("body").inner_text()
                said = "\n".join(self.console[-12:])
                raise AssertionError(
                    f"{self.note}: no form; the page shows {body[:400]!r}; its console:\n{said}"
                ) from error
            self.arrival_seconds = time.monotonic() - start
            if await closed.count():
                raise AssertionError(
                    f"{self.note}: the page's kernel was gone {self.arrival_seconds:.0f} s after "
                    f"arriving, before the page had connected (culled after {CULL_IDLE} s quiet?)"
                )

    async def check_in(self) -> None:
        start = time.monotonic()
        ratings = self.page.locator(".ht-checkin .ht-rating")
        for i, value in enumerate(("6", "5")):
            await ratings.nth(i).get_by_role("button", name=value, exact=True).click()
        await self.page.get_by_label("Note (optional)").fill(self.note)
        await self.page.get_by_role("button", name="Save check-in").click()
        await self.page.get_by_text("Thank you for checking in").wait_for()
        self.save_seconds = time.monotonic() - start

    async def leave(self) -> None:
        if self.context is not None:
            await self.context.close()


async def _room(partners: list[Partner]) -> None:
    """Everyone arrives (a few at a time), then all press Save at once, then all leave."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            arriving = asyncio.Semaphore(ARRIVING_AT_ONCE)
            await asyncio.gather(*(p.arrive(browser, arriving) for p in partners))
            # Every page and kernel is live now; the saves race each other.
            await asyncio.gather(*(p.check_in() for p in partners))
        finally:
            await asyncio.gather(*(p.leave() for p in partners), return_exceptions=True)
            await browser.close()


def _run_in_own_thread(partners: list[Partner]) -> None:
    """Run the room on an event loop of its own thread.

    In `make test` the session's sync Playwright browser already runs an event loop in this
    thread, where `asyncio.run` is refused.
    """
    errors: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(_room(partners))
        except BaseException as err:  # handed to the test thread below
            errors.append(err)

    thread = threading.Thread(target=run, name="workshop-room")
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def test_a_room_of_couples_checks_in_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pytestconfig: pytest.Config
) -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    couples = int(pytestconfig.getoption("room_couples"))
    assert couples >= 1, "--room-couples must be at least 1"
    data = tmp_path / "room"
    codes = workshop.create_couples(data, couples)
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")  # the server and its kernels inherit it
    with running_voila(
        NOTEBOOKS,
        data,
        name="voila-workshop-load",
        preheat=False,
        # Long enough that a kernel still rendering its page on two busy cores (no browser
        # connected yet) is not taken for an abandoned one; short enough for a test.
        cull_idle_timeout=CULL_IDLE,
        cull_interval=5,
        startup_timeout=120,
    ) as server:
        partners = [
            Partner(server.page_url(PAGES[0], code=c.code, who=who), f"{c.name}/{who}")
            for c in codes
            for who in ("a", "b")
        ]
        started = time.monotonic()
        # The test process's children: the server (and its kernels) and, once launched, the
        # Playwright driver and Chromium. PeakMemory re-reads the trees on every sample.
        with PeakMemory(os.getpid(), server.process.pid) as mem:
            _run_in_own_thread(partners)
        elapsed = time.monotonic() - started
        peak_kernels = mem.peak_kernels
        assert peak_kernels == len(partners), f"{peak_kernels} kernels were live at once"

        # The closed pages' kernels are culled once idle (Voila has no kernel list in its
        # REST API, so the kernel processes under the server are counted).
        left = time.monotonic()
        pid = server.process.pid
        wait_until(lambda: not kernel_processes(pid), timeout=CULL_IDLE + 120, step=2)
        culled_after = time.monotonic() - left
        live = len(kernel_processes(pid))
        assert live == 0, f"{live} kernels still running after the pages closed"
        # Stopped by the idle culler, one log line each, not by closing the pages.
        culled = len(set(CULLED.findall(server.log_text())))
        assert culled == len(partners), f"the culler stopped {culled} of {len(partners)} kernels"

    for c in codes:
        book = open_workbook(c.name, data_dir=data)
        got = sorted((x.author, x.note) for x in book.checkins())
        book.close()
        assert got == [("a", f"{c.name}/a"), ("b", f"{c.name}/b")], f"{c.name}: {got}"

    arrivals = [p.arrival_seconds for p in partners]
    saves = [p.save_seconds for p in partners]
    report = {
        "couples": couples,
        "partners": len(partners),
        "arriving_at_once": ARRIVING_AT_ONCE,
        "wall_seconds": round(elapsed, 1),
        "page_ready_seconds": {
            "median": round(_percentile(arrivals, 0.5), 1),
            "max": round(max(arrivals), 1),
        },
        "save_seconds_all_at_once": {
            "median": round(_percentile(saves, 0.5), 2),
            "p95": round(_percentile(saves, 0.95), 2),
            "max": round(max(saves), 2),
        },
        # Voila and its kernels: what the facilitator's machine needs for the room.
        "peak_rss_mib_server_and_kernels": round(mem.peak_server / 2**20),
        # Everything this test ran, the simulated phones (Chromium) included.
        "peak_machine_memory_increase_mib": round((mem.used_peak - mem.used_before) / 2**20),
        "peak_rss_mib_summed_all_processes": round(mem.peak / 2**20),
        "peak_live_kernels": peak_kernels,
        "kernels_after_culling": live,
        "all_culled_after_seconds": round(culled_after),
        "cull_idle_timeout_seconds": CULL_IDLE,
    }
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUTPUT_DIR / "workshop-load.json").write_text(json.dumps(report, indent=1))
    print("\nworkshop load:", json.dumps(report))
