"""The shared tabs (tests/browser/conftest.py, `Tabs`) reach each test as a fresh browser
would: nothing open, no other tab, no history, nothing stored by a site, no cookies or
routes, the device's size, even when the test before left a page of the app open, a second
tab, a cookie, something in localStorage, the quick exit's flag (then went on to the
neutral site, as the exit does), a route and another size. Slot 1 is another browser: it
never shares a cookie with slot 0.

The tests run in this order (pytest keeps a file's order; the file runs whole in one
process): the first leaves the tabs dirty, the second looks at what it finds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from voila_harness import DEVICES, NEUTRAL_HOST, VoilaServer, open_page

from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

#: What the tab holds that a fresh browser would not: its history's length, its storage of
#: the app's site (the quick exit leaves "ht-exited" in sessionStorage), the cookies the page
#: can read.
_HELD_JS = """() => [history.length, Object.keys(sessionStorage), Object.keys(localStorage),
                     document.cookie]"""
#: The tests of the file that left the tabs dirty (the second one means nothing alone).
_LEFT_DIRTY: list[str] = []
NEUTRAL_SITE = f"https://{NEUTRAL_HOST}"


def test_a_test_leaves_the_tabs_on_pages_with_cookies_storage_tabs_and_routes(
    voila_server: VoilaServer, tab: Callable[..., Any]
) -> None:
    page, other = tab("phone"), tab("phone", 1)
    assert page.context is not other.context, "slot 1 is another browser"
    open_page(page, voila_server.page_url(PAGES[2]), "Go to the start page")
    open_page(page, voila_server.page_url(PAGES[1]), "Go to the start page")
    page.evaluate(
        "() => { document.cookie = 'left_behind=1; path=/';"
        " sessionStorage.setItem('ht-exited', '1'); localStorage.setItem('kept', '1'); }"
    )
    page.set_viewport_size({"width": 600, "height": 400})
    page.route("**/never-asked", lambda route: route.abort())
    page.context.route("**/never-asked-either", lambda route: route.abort())
    page.context.new_page().goto(voila_server.page_url(PAGES[3]))
    assert any(c["name"] == "left_behind" for c in page.context.cookies())
    assert other.context.cookies() == [], "slot 1 does not share slot 0's cookies"
    assert page.evaluate(_HELD_JS)[0] >= 3
    other.goto(f"{voila_server}/voila/static/voila.js")
    other.evaluate(
        "() => { document.cookie = 'partners_own=1; path=/';"
        " sessionStorage.setItem('ht-exited', '1'); }"
    )
    other.goto(f"{NEUTRAL_SITE}/")  # where the quick exit goes: the flag stays in the tab
    _LEFT_DIRTY.append("tabs")


def test_the_next_test_finds_the_tabs_as_a_fresh_browser_would(
    voila_server: VoilaServer, tab: Callable[..., Any]
) -> None:
    assert _LEFT_DIRTY, "run the file whole: the test before leaves the tabs dirty"
    for slot in (0, 1):
        page = tab("phone", slot)
        assert page.url == "about:blank", slot
        assert page.context.pages == [page], f"slot {slot}: another tab was left open"
        assert page.context.cookies() == [], slot
        assert page.viewport_size == DEVICES["phone"]["viewport"], slot
        # Back has nowhere to go, and the app's site finds nothing of the test before.
        assert page.go_back() is None, slot
        assert page.url == "about:blank", slot
        page.goto(f"{voila_server}/voila/static/voila.js")
        # (Two entries, as in a new tab: the empty page it opened with, then this one.)
        assert page.evaluate(_HELD_JS) == [2, [], [], ""], slot
        for path in ("never-asked", "never-asked-either"):  # the tab's route, the browser's
            with page.expect_response(f"**/{path}", timeout=10_000) as answered:
                page.evaluate("p => fetch('/' + p).catch(() => null)", path)
            assert answered.value.status == 404, f"slot {slot}: a route was left behind"
