"""Views that wait for the partner show the partner's new entries without a reload.

Each page kernel has its own connection to the couple's file; the partner saves through
another. `LiveRefresh` polls the workbook's `data_version` (a cheap SQLite counter that moves
only when another connection commits) every few seconds on the kernel's event loop, and only
when it moved asks the views that subscribed (the step-3 reveal, both partners' progress) to
read the workbook again. Nothing runs on a page that has no such view.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable

from ..store import Workbook

#: How often a waiting page looks for the partner's news.
POLL_SECONDS = 4.0


class LiveRefresh:
    """The page's watcher of the couple's file: refreshes subscribed views when it changes."""

    def __init__(self, wb: Workbook, *, every: float = POLL_SECONDS) -> None:
        self.wb = wb
        self.every = every
        self._views: list[Callable[[], None]] = []
        self._seen = wb.data_version()
        self._scheduled = False

    def subscribe(self, refresh: Callable[[], None]) -> None:
        """Call `refresh` whenever someone else saved to the workbook."""
        self._views.append(refresh)
        self._schedule()

    def check(self) -> bool:
        """Refresh the views if the file moved since the last look; True if it did."""
        try:
            now = self.wb.data_version()
        except Exception:  # a closed workbook (the page is gone): stop quietly
            self._views.clear()
            return False
        if now == self._seen:
            return False
        self._seen = now
        for refresh in list(self._views):
            refresh()
        return True

    def _schedule(self) -> None:
        if self._scheduled or not self._views:
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
