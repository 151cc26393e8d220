"""Views that wait for the partner show the partner's new entries without a reload.

Each page kernel has its own connection to the couple's file; the partner saves through
another. `LiveRefresh` polls the workbook's `data_version` (a cheap SQLite counter that moves
only when another connection commits) every few seconds on the kernel's event loop, once a
view asked for it (`start`), and only when it moved publishes on the page's bus
(`ui.events.EVERYTHING`: the counter does not say what changed), the same way a save on
this page announces itself. Nothing runs on a page that has no such view.
"""

from __future__ import annotations

import asyncio
import contextlib

from ..store import Workbook
from .events import EVERYTHING, Bus

#: How often a waiting page looks for the partner's news.
POLL_SECONDS = 4.0


class LiveRefresh:
    """The page's watcher of the couple's file: announces the partner's saves on the bus."""

    def __init__(self, wb: Workbook, bus: Bus, *, every: float = POLL_SECONDS) -> None:
        self.wb = wb
        self.bus = bus
        self.every = every
        self._seen = wb.data_version()
        self._started = False
        self._scheduled = False

    def start(self) -> None:
        """Watch the file from now on (a view that shows the partner's news asks for this)."""
        self._started = True
        self._schedule()

    def check(self) -> bool:
        """Publish if the file moved since the last look; True if it did."""
        if self.bus.closed:
            return False
        try:
            now = self.wb.data_version()
        except Exception:  # a closed workbook (the page is gone): stop quietly
            self._started = False
            return False
        if now == self._seen:
            return False
        self._seen = now
        self.bus.publish(EVERYTHING)
        return True

    def _schedule(self) -> None:
        if self._scheduled or not self._started or self.bus.closed:
            return
        with contextlib.suppress(RuntimeError):  # no running loop: a test or a script
            asyncio.get_running_loop().call_later(self.every, self._tick)
            self._scheduled = True

    def _tick(self) -> None:
        self._scheduled = False
        try:
            self.check()
        finally:
            self._schedule()
