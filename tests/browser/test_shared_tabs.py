"""The shared tab (tests/browser/conftest.py, `Tabs`) reaches each test as a fresh context
would: nothing open, no cookies, the device's size, even when the test before left a page
of the app open, a cookie and another size.

The two tests run in this order (pytest keeps a file's order; the file runs whole in one
process): the first leaves the tab dirty, the second looks at what it finds.
"""

from __future__ import annotations

from typing import Any

import pytest
from voila_harness import DEVICES, VoilaServer, open_page

from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser


def test_a_test_leaves_the_tab_on_a_page_with_a_cookie_and_another_size(
    voila_server: VoilaServer, page_phone: Any
) -> None:
    page = page_phone
    open_page(page, voila_server.page_url(PAGES[1]), "Go to the start page")
    page.evaluate("() => { document.cookie = 'left_behind=1; path=/'; }")
    page.set_viewport_size({"width": 600, "height": 400})
    assert any(c["name"] == "left_behind" for c in page.context.cookies())


def test_the_next_test_finds_the_tab_as_a_fresh_context_would(page_phone: Any) -> None:
    page = page_phone
    assert page.url == "about:blank"
    assert page.context.cookies() == []
    assert page.viewport_size == DEVICES["phone"]["viewport"]
