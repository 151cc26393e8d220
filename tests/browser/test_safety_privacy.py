"""Issue 11 in Chromium, from an empty workbook, desktop and 375-pixel phone.

1. The quick exit leaves at a tap and at Escape twice (that it is on screen, under a tap at its
   centre at the top and at the bottom of every page, and the first control reached with Tab,
   is checked on every page in test_every_page.py).
2. After a quick exit, Back (once or many times) never shows the workbook again in that tab.
3. A partner writes privately wherever private is offered, setting the passphrase right there,
   and one unlock serves the next pages (and a second tab) of the sitting.
4. Lock hides every private text from the page at once.
5. The other partner sees none of it, and is told how many private check-ins the charts leave out.
6. Opening step 3 as the other partner does not show their answer without their passphrase.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from voila_harness import (
    VoilaServer,
    exit_is_under_a_tap,
    new_workbook,
    open_page,
    rate,
    screenshot,
    scroll_to_bottom,
)

from workbook.settings import EXIT_URL
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

PASS = "slow rain on a tin roof"
PASS_B = "bright moon over the hill"


def test_quick_exit_leaves_at_a_tap_and_at_escape_twice(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    """(That the exit is on screen, under a tap and first in keyboard order on every page, at
    the top and at the bottom, is checked on every page in test_every_page.py.)"""
    name = new_workbook(voila_server, f"exit-{device}", "Noor", "Elias")
    page = page_any
    open_page(page, voila_server.page_url(PAGES["trends"], wb=name, who="a"), "Writing as")
    assert scroll_to_bottom(page) > 0
    page.wait_for_timeout(150)
    assert exit_is_under_a_tap(page) == "", "trends after scrolling to the bottom"
    screenshot(page, f"exit-bottom-trends-{device}", full_page=False)
    # A tap on it leaves at once for the neutral site.
    page.locator("#ht-exit").click()
    page.wait_for_url(EXIT_URL.default + "**")
    assert "Noor" not in page.content()

    # Escape twice does the same.
    open_page(page, voila_server.page_url(PAGES[4], wb=name, who="a"), "Writing as")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(EXIT_URL.default + "**")


def test_back_never_brings_the_workbook_back_after_an_exit(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = new_workbook(voila_server, f"back-{device}", "Ines", "Tomas")
    page = page_any
    open_page(page, voila_server.page_url(PAGES[0], wb=name, who="a"), "Hello, Ines")
    page.get_by_label("Note (optional)").fill("BACK-TEST-NOTE")
    rate(page)
    page.get_by_role("button", name="Save check-in").click()
    page.get_by_text("Thank you for checking in").wait_for()
    # Step 1, then step 2, through the page's own links, as a person does.
    page.get_by_role("link", name=re.compile("A safe space")).first.click()
    page.get_by_text("Writing as").first.wait_for()
    page.get_by_role("link", name="Step 2 →").first.click()
    page.get_by_text("Writing as").first.wait_for()
    page.locator("#ht-exit").click()
    page.wait_for_url(EXIT_URL.default + "**")
    seen = []
    for _ in range(4):
        page.go_back()
        page.wait_for_timeout(1500)
        html = page.content()
        seen.append(page.url)
        for word in ("Ines", "Tomas", "BACK-TEST-NOTE", "Writing as", name):
            assert word not in html, f"Back showed {word!r} at {page.url}"
    screenshot(page, f"back-after-exit-{device}", full_page=False)
    assert any(u.startswith(EXIT_URL.default) for u in seen), seen
    # Opening the app anew in the same tab works again (the flag only blocks Back).
    open_page(page, voila_server.page_url(PAGES[0], wb=name, who="a"), "Hello, Ines")


def _set_passphrase_here(scope: Any, passphrase: str) -> None:
    scope.get_by_label("Passphrase", exact=True).fill(passphrase)
    scope.get_by_label("Type it again").fill(passphrase)
    scope.get_by_role("button", name="Set passphrase").click()


def _save_private(page: Any, card_title: str, text: str) -> None:
    card = page.locator(".ht-card", has=page.get_by_role("heading", name=card_title)).first
    card.scroll_into_view_if_needed()
    card.locator("textarea").first.fill(text)
    card.get_by_role("button", name="Private (only me, kept with my passphrase)").click()
    card.get_by_role("button", name="Save", exact=True).click()
    card.get_by_text("Saved privately.").wait_for()


def test_private_writing_on_every_page_one_unlock_lock_hides_partner_never_sees(
    voila_server: VoilaServer, tab: Callable[..., Any], device: str
) -> None:
    name = new_workbook(voila_server, f"private-{device}", "Mara", "Jonas")
    page = tab(device)
    secrets = {
        "checkin": f"CHECKIN-SECRET-{device}",
        "pain": f"PAIN-SECRET-{device}",
        "patience": f"PATIENCE-SECRET-{device}",
        "journal": f"JOURNAL-SECRET-{device}",
    }
    # Start page: a private check-in; the passphrase is set right there.
    open_page(page, voila_server.page_url(PAGES[0], wb=name, who="a"), "Hello, Mara")
    checkin = page.locator(".ht-checkin")
    rate(checkin, 3, 4)
    checkin.get_by_label("Note (optional)").fill(secrets["checkin"])
    checkin.get_by_text(re.compile("Keep this check-in private")).click()
    checkin.get_by_text("nobody can open your private entries").wait_for()
    _set_passphrase_here(checkin, PASS)
    checkin.get_by_text("Passphrase set").wait_for()
    checkin.get_by_role("button", name="Save check-in").click()
    checkin.get_by_text("Only you can see it").wait_for()

    # Step 2: "pain I have not shared" is private by default; no passphrase asked again.
    open_page(page, voila_server.page_url(PAGES[2], wb=name, who="a"), "Writing as")
    assert page.get_by_label("Passphrase", exact=True).count() == 0, "unlock carried over"
    _save_private(page, "Pain I have not shared", secrets["pain"])
    # Step 3 and step 6, in a second tab of the same browser.
    second = page.context.new_page()
    open_page(second, voila_server.page_url(PAGES[3], wb=name, who="a"), "Writing as")
    _save_private(second, "Patience with myself", secrets["patience"])
    open_page(second, voila_server.page_url(PAGES[6], wb=name, who="a"), "Writing as")
    _save_private(second, "Journal", secrets["journal"])
    second.get_by_text(secrets["journal"]).first.wait_for()
    screenshot(second, f"private-step6-unlocked-{device}")

    # Lock from the header: every private text leaves the page at once.
    lock = second.locator(".ht-header-lock")
    lock.get_by_role("button", name="Lock my private entries").click()
    second.get_by_text("Locked. Your private entries are hidden.").first.wait_for()
    second.wait_for_timeout(500)
    html = second.content()
    assert secrets["journal"] not in html
    screenshot(second, f"private-step6-locked-{device}")
    # And every other page of the sitting is locked too: reopened, nothing private shows.
    open_page(page, voila_server.page_url(PAGES[0], wb=name, who="a"), "Hello, Mara")
    html = page.content()
    assert all(s not in html for s in secrets.values()), "locked everywhere"

    # The other partner, on their own phone or laptop, never sees any of it.
    jonas = tab(device, 1)
    for key in (0, 2, 3, 6, "trends"):
        text = "Hello, Jonas" if key == 0 else "Writing as"
        open_page(jonas, voila_server.page_url(PAGES[key], wb=name, who="b"), text)
        if key == "trends":
            # Said the same way wherever the page speaks of Mara's check-ins (issue 18).
            jonas.get_by_text(
                "Mara has 1 private check-in in this period; the charts leave it out."
            ).first.wait_for()
            assert "Mara has not checked in" not in jonas.content()
        html = jonas.content()
        assert all(s not in html for s in secrets.values()), f"leak on {PAGES[key]}"


def test_step3_reveal_cannot_be_borrowed_through_the_address(
    voila_server: VoilaServer, tab: Callable[..., Any], device: str
) -> None:
    name = new_workbook(voila_server, f"reveal-{device}", "Ada", "Ben")
    answer = f"BEN-PERSPECTIVE-{device}"
    page = tab(device)
    open_page(page, voila_server.page_url(PAGES[3], wb=name, who="b"), "Writing as")
    guard = page.locator(".ht-card", has=page.get_by_role("heading", name="Answers for two"))
    guard.get_by_text("rests on trust").wait_for()
    _set_passphrase_here(guard, PASS_B)
    guard.get_by_text("Open for Ben").wait_for()
    page.get_by_label("What might Ada be feeling about what happened?").fill(answer)
    page.get_by_role("button", name="Save my answer").first.click()
    page.get_by_text("Answers are shown side by side").first.wait_for()

    # Someone else on another device opens step 3 "as Ben" by editing the address.
    borrowed = tab(device, 1)
    open_page(borrowed, voila_server.page_url(PAGES[3], wb=name, who="b"), "Writing as")
    borrowed.get_by_text("type your passphrase").first.wait_for()
    assert answer not in borrowed.content()
    screenshot(borrowed, f"reveal-borrowed-{device}")
    # Ada has not answered: she sees neither Ben's answer nor a way around it.
    open_page(borrowed, voila_server.page_url(PAGES[3], wb=name, who="a"), "Writing as")
    borrowed.get_by_text("Ben has answered").first.wait_for()
    assert answer not in borrowed.content()
