"""Issue 18, items 1 and 7 in Chromium, from an empty workbook, desktop and 375-pixel phone.

1. Maya uses step 8 (the safety check, a country, the page itself); then Jordan, in his own
   browser, opens everything he can (start map, step 8, trends) and the library's exports, the
   step-8 worksheet and the facilitator's progress table: nothing differs from before, and
   step 8 offers no done mark to leave.
2. The first tap-to-call link on step 8 is inside the first screen (375x740 on the phone), and
   choosing a country shows that country's help without writing it anywhere (workbook,
   address, browser storage).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from voila_harness import VoilaServer, new_workbook, open_page, screenshot

from workbook.aggregates import progress_table
from workbook.resources import COUNTRIES
from workbook.store import create, open_workbook
from workbook.ui.base import PAGES
from workbook.ui.facilitator import progress_html
from workbook.worksheets import worksheet_html

pytestmark = pytest.mark.browser


@pytest.fixture
def two(tab: Callable[..., Any], device: str) -> tuple[Any, Any]:
    """Two tabs in browsers of their own (own cookies, `tab` slots 0 and 1), one per partner,
    on the device of this run."""
    return tab(device), tab(device, 1)


def _first_call_link(page: Any) -> dict[str, Any]:
    """Where the first tap-to-call or tap-to-text link is, with the page at its top."""
    return page.evaluate(
        """() => {
          const a = document.querySelector("a[href^='tel:'], a[href^='sms:']");
          const r = a.getBoundingClientRect();
          return {href: a.getAttribute('href'), top: r.top, bottom: r.bottom,
                  height: window.innerHeight, inHelp: !!a.closest('.ht-help-first')};
        }"""
    )


def _storage(page: Any) -> list[Any]:
    return page.evaluate(
        "() => [Object.entries(localStorage), Object.entries(sessionStorage), document.cookie]"
    )


def _help_text(page: Any) -> str:
    return page.locator(".ht-help-first").inner_html()


def test_help_is_first_on_step_8_and_follows_the_chosen_country(
    voila_server: VoilaServer, two: tuple[Any, Any], device: str
) -> None:
    name = new_workbook(voila_server, f"help-first-{device}", "Maya", "Jordan")
    maya, _ = two
    url = voila_server.page_url(PAGES[8], wb=name, who="a")
    open_page(maya, url, "Help in the U.S.")
    maya.evaluate(
        "() => { const c = document.querySelector('#rendered_cells');"
        " if (c) c.scrollTop = 0; window.scrollTo(0, 0); }"
    )
    first = _first_call_link(maya)
    screenshot(maya, f"step8-help-first-{device}", full_page=False)
    assert first["inHelp"], first
    assert first["href"] == "tel:911", first
    assert first["top"] >= 0, f"the first hotline is above the screen: {first}"
    assert first["bottom"] <= first["height"], f"the first hotline is below the screen: {first}"
    # The help card comes before the page's header ("Writing as …").
    assert maya.evaluate(
        """() => {
          const help = document.querySelector('.ht-help-first');
          const head = document.querySelector('.ht-header');
          return !!(help.compareDocumentPosition(head) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )

    stored = _storage(maya)
    before = open_workbook(name, data_dir=voila_server.data_dir)
    try:
        file_before = before.export_json()
    finally:
        before.close()
    for code in ("es", "ca", "uk", "ie", "mx"):
        country = COUNTRIES[code]
        maya.locator(".ht-country select").select_option(label=country.name)
        maya.locator(".ht-help-first").get_by_text(country.title).wait_for()
        html = _help_text(maya)
        for r in country.resources:
            for c in r.contacts:
                assert f'href="{c.href}"' in html, (code, c)
        assert 'href="tel:+18007997233"' not in html, code
        if country.short:
            assert "This list is short" in html, code
    maya.locator(".ht-country select").select_option(label="Spain")
    maya.locator(".ht-help-first").get_by_text("016").first.wait_for()
    screenshot(maya, f"step8-help-spain-{device}", full_page=False)
    assert maya.url == url, "the country is not put in the address"
    assert _storage(maya) == stored, "the country is not put in the browser's storage"
    after = open_workbook(name, data_dir=voila_server.data_dir)
    try:
        assert after.export_json() == file_before, "the country is not saved in the workbook"
    finally:
        after.close()
    # A reload starts with the U.S. again: nothing remembered the choice.
    open_page(maya, url, "Help in the U.S.")
    assert 'href="tel:016"' not in _help_text(maya)


def test_step_8_leaves_no_trace_the_partner_can_see(
    voila_server: VoilaServer, two: tuple[Any, Any], device: str
) -> None:
    name = f"no-trace-{device}"
    data = voila_server.data_dir
    create(name, "Maya", "Jordan", data_dir=data).close()
    maya, jordan = two

    def jordans_views() -> dict[str, str]:
        views = {}
        for key, text in ((0, "Hello, Jordan"), (8, "Writing as"), ("trends", "Writing as")):
            open_page(jordan, voila_server.page_url(PAGES[key], wb=name, who="b"), text)
            if key == 0:
                views["map"] = jordan.locator(".ht-steps li").nth(7).inner_text()
                views["summary"] = jordan.locator(".ht-summary").first.inner_text()
            if key == 8:
                views["step8"] = jordan.locator(".ht-page").first.inner_text()
            if key == "trends":
                jordan.wait_for_function(
                    "() => document.querySelectorAll('.ht-chart-pending').length === 0"
                )
                views["trends"] = jordan.locator(".ht-summary").all_inner_texts().__str__()
        book = open_workbook(name, data_dir=data)
        try:
            views["export"] = book.export_json()
            views["records"] = str(book.records(viewer="b"))
            views["milestones"] = str(book.milestones())
            views["worksheet"] = worksheet_html(8, book).split("<footer>")[0]
        finally:
            book.close()
        views["facilitator"] = progress_html(progress_table(data))
        return views

    before = jordans_views()
    # Maya on step 8: the page offers nothing to mark, takes the safety check, picks a country.
    open_page(maya, voila_server.page_url(PAGES[8], wb=name, who="a"), "When it is not safe")
    offered = maya.get_by_role("button", name="Mark this step done").count()
    if offered:  # what older versions offered here, used as a person would
        maya.get_by_label("How did it go?").fill("Read it. Not sure yet.")
        maya.get_by_role("button", name="Mark this step done").click()
        maya.get_by_text("Marked done.").wait_for()
    maya.locator(".ht-country select").select_option(label="United Kingdom")
    check = maya.locator(".ht-safety")
    check.get_by_text("I am afraid of my partner.").click()
    check.get_by_role("button", name="Check").click()
    check.get_by_text("Your safety comes first").wait_for()
    check.get_by_text("0808 2000 247").wait_for()  # the answer names the chosen country's help
    screenshot(maya, f"step8-no-trace-maya-{device}")
    maya.reload()
    maya.get_by_text("Help in the U.S.").first.wait_for()

    after = jordans_views()
    screenshot(jordan, f"step8-no-trace-jordan-trends-{device}")
    for key, seen in before.items():
        assert after[key] == seen, f"{key} changed after Maya used step 8"
    assert "finished this step" not in after["step8"]
    assert "Nothing you do on this page is saved" in after["step8"]
    assert offered == 0, "step 8 offers a done mark"
    assert "(nothing here is saved)" in after["map"]
    assert "Maya" not in after["map"]
    assert "0 of 7 steps done" in after["summary"]
    open_page(jordan, voila_server.page_url(PAGES[0], wb=name, who="b"), "Hello, Jordan")
    screenshot(jordan, f"step8-no-trace-jordan-start-{device}")


def test_private_check_ins_are_told_the_same_true_way_to_each_partner(
    voila_server: VoilaServer, two: tuple[Any, Any], device: str
) -> None:
    """Issue 18, item 6: Maya's trends never say Jordan has not checked in when he has,
    privately; Jordan, locked, is told his private check-in is waiting, not "No check-ins"."""
    name = f"told-{device}"
    book = create(name, "Maya", "Jordan", data_dir=voila_server.data_dir)
    try:
        book.set_passphrase("b", "jordan's long passphrase")
        book.add_checkin("b", 3, 4, "JORDAN-PRIVATE-NOTE", visibility="private")
        book.lock("b")
    finally:
        book.close()
    maya, jordan = two
    open_page(maya, voila_server.page_url(PAGES["trends"], wb=name, who="a"), "Writing as")
    said = "Jordan has 1 private check-in in this period; the charts leave it out."
    maya.get_by_text(said).first.wait_for()
    html = maya.content()
    assert "Jordan has not checked in" not in html
    assert "No check-ins from Jordan" not in html
    assert "JORDAN-PRIVATE-NOTE" not in html
    screenshot(maya, f"told-maya-trends-{device}")
    open_page(jordan, voila_server.page_url(PAGES[0], wb=name, who="b"), "Hello, Jordan")
    checkin = jordan.locator(".ht-checkin")
    checkin.get_by_text("You have 1 private check-in; unlock to see it.").wait_for()
    assert checkin.get_by_text("No check-ins yet.").count() == 0
    screenshot(jordan, f"told-jordan-start-{device}", full_page=False)
