"""The facilitator's page opens again after a reload or Back, and the quick exit closes it.

The page's script takes the key out of the address bar once the page is open (a projector
shows the address), so before this a reload or Back showed the locked page, which wrongly
told the facilitator to set WORKBOOK_FACILITATOR_KEY. Now the page asks the browser to keep a
session cookie (a digest of the key, never the key) that opens it again in the same browser;
the quick exit forgets it with the sittings.
"""

from __future__ import annotations

from typing import Any

import pytest
from voila_harness import FACILITATOR_TEST_KEY, VoilaServer, open_page, screenshot

from workbook.ui.base import PAGES
from workbook.ui.facilitator_access import PAGE_COOKIE

pytestmark = pytest.mark.browser

OPEN = "Create couples"
LOCKED = "the one the server printed when it started"


def test_a_reload_and_back_keep_the_facilitator_page_open_the_quick_exit_closes_it(
    voila_server: VoilaServer, tab: Any
) -> None:
    page = tab("desktop")
    open_page(page, voila_server.page_url(PAGES["facilitator"], key=FACILITATOR_TEST_KEY), OPEN)
    assert "key=" not in page.url, "the key left the address bar"
    # The room's address, to show on the projector: the server's own, never the key.
    room = page.locator(".ht-room-address").inner_text()
    assert room.strip() == f"{voila_server}/"
    kept = {c["name"]: c for c in page.context.cookies()}
    assert PAGE_COOKIE in kept
    cookie = kept[PAGE_COOKIE]
    assert FACILITATOR_TEST_KEY not in cookie["value"], "a digest, never the key"
    assert cookie["expires"] == -1, "a session cookie: gone when the browser closes"
    assert cookie["sameSite"] == "Strict"

    page.reload()
    page.get_by_text(OPEN).first.wait_for()
    assert page.get_by_text(LOCKED).count() == 0

    open_page(page, voila_server.page_url(PAGES[0]), "Healing Together")
    page.go_back()
    page.get_by_text(OPEN).first.wait_for()
    screenshot(page, "facilitator-after-back-desktop", full_page=False)

    page.locator("#ht-exit").click()
    page.wait_for_url(lambda url: not url.startswith(str(voila_server)))
    assert PAGE_COOKIE not in {c["name"] for c in page.context.cookies()}
    open_page(page, voila_server.page_url(PAGES["facilitator"]), LOCKED)
    assert page.get_by_text(OPEN).count() == 0
