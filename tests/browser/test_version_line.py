"""The start page ends with the app's name and version, on a desktop and on a phone."""

from __future__ import annotations

from typing import Any

import pytest
from voila_harness import VoilaServer, assert_no_voila_error, screenshot

import workbook
from workbook.demo import write_demo

pytestmark = pytest.mark.browser


def test_start_page_shows_the_version(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    if not (voila_server.data_dir / "demo.workbook.sqlite3").exists():
        write_demo(data_dir=voila_server.data_dir).close()
    for query, name in (({}, "open"), ({"wb": "demo", "who": "a"}, "chosen")):
        page_any.goto(voila_server.page_url("00_start.ipynb", **query))
        line = page_any.locator(".ht-version")
        line.wait_for()
        assert line.inner_text().strip() == f"Healing Together {workbook.__version__}"
        assert_no_voila_error(page_any)
        box = line.bounding_box()
        width = page_any.viewport_size["width"]
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width + 1, "the version line fits the screen"
        screenshot(page_any, f"start-version-{name}-{device}")
        # Last on the page: below every other part of it that shows text.
        below = page_any.evaluate(
            "(top) => [...document.querySelectorAll('.ht-page *')]"
            ".filter(e => !e.closest('.ht-version') && e.offsetParent !== null"
            " && !e.contains(document.querySelector('.ht-version'))"
            " && e.innerText && e.innerText.trim()"
            " && e.getBoundingClientRect().bottom > top + 1)"
            ".map(e => e.className + ': ' + e.innerText.slice(0, 40))",
            box["y"],
        )
        assert not below, f"shown below the version line: {below}"
