"""When a browser has loaded a page's widgets (`PageShown`), for work shown after it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as widgets


class PageShown:
    """Tells the kernel when a browser has loaded this page's widgets.

    A widget the kernel changes while the page's browser is still loading the widgets can lose
    that change (the update reaches the browser before it listens; see voila-dashboards/voila
    #1101). Work whose result is shown by changing widgets later, such as charts drawn in the
    background, waits for this signal instead.

    It uses only standard widgets: two hidden numbers joined by `jslink`. The link lives in the
    browser; when the browser creates it (after every widget of the page is there) it copies
    the first number onto the second and sends that back, and the kernel sees the change.
    """

    def __init__(self, on_shown: Callable[[], None]) -> None:
        self._on_shown = on_shown
        self.shown = False
        hidden = {"layout": widgets.Layout(display="none")}
        self._source = widgets.IntText(value=1, **hidden)
        self._target = widgets.IntText(value=0, **hidden)
        self._link = widgets.jslink((self._source, "value"), (self._target, "value"))
        self._target.observe(self._changed, names="value")

    def _changed(self, change: dict[str, Any]) -> None:
        if change["new"] == self._source.value and not self.shown:
            self.shown = True
            self._on_shown()

    def signal(self) -> None:
        """What the browser does: mark the page as shown (for tests and scripts)."""
        self._target.value = self._source.value
