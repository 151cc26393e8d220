"""No one can block the room: one phone typing wrong join codes, served by the real pages.

A workshop server (workshop mode, join codes, production settings) on loopback. The room's
count of wrong codes is already past its budget (the guessing phone's earlier ten minutes,
one wrong code a second), and the guessing phone keeps typing wrong codes
in its start page until its own page makes it wait. Meanwhile a second phone joins with its
couple's right code, and a partner who joined earlier opens the next step page with the code in
its address: neither is refused or told to wait.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
import voila_harness as harness
from voila_harness import VoilaServer

from workbook import workshop
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser
PlaywrightTimeout = pytest.importorskip("playwright.sync_api").TimeoutError

PAGE_TIMEOUT_MS = 120_000


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[VoilaServer, list[Any]]]:
    data = tmp_path_factory.mktemp("room")
    codes = workshop.create_couples(data, 3)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKBOOK_WORKSHOP", "1")  # the server and its kernels inherit it
        with harness.running_voila(
            harness.NOTEBOOKS, data, name="voila-workshop-join", preheat=False, startup_timeout=120
        ) as server:
            yield server, codes


def _device(browser: Any, options: dict[str, Any] = harness.PHONE) -> Any:
    context = browser.new_context(**options)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    return context


def _type_code(page: Any, code: str) -> None:
    page.get_by_label("Your couple's code").fill(code)
    page.get_by_role("button", name="Join").click()


def test_a_phone_typing_wrong_codes_blocks_no_one(
    browser: Any, room: tuple[VoilaServer, list[Any]]
) -> None:
    server, codes = room
    taken = {c.code for c in codes}
    # The guessing phone has typed one wrong code a second for the last ten minutes (on pages
    # it reloaded): the workshop's record of wrong codes, as `resolve_code` keeps it.
    now = time.time()
    workshop._write_failures(
        server.data_dir / workshop.ATTEMPTS_FILE, [now - 600 + i for i in range(600)]
    )

    guessing, joining = _device(browser), _device(browser)
    moving = _device(browser, harness.DESKTOP)  # a couple who joined earlier, on a laptop
    try:
        guesser = guessing.new_page()
        joiner = joining.new_page()
        guesser.goto(server.page_url(PAGES[0]))
        joiner.goto(server.page_url(PAGES[0]))
        guesser.get_by_label("Your couple's code").wait_for()
        joiner.get_by_label("Your couple's code").wait_for()

        # The guessing phone types wrong codes without pause until its own page says to wait.
        for _ in range(10):
            _type_code(guesser, workshop.format_code(workshop.new_code(taken)))
            with contextlib.suppress(PlaywrightTimeout):
                guesser.get_by_text("Please wait").wait_for(timeout=3_000)
                break
        guesser.get_by_text("Please wait").wait_for(timeout=1_000)
        harness.screenshot(guesser, "workshop-join-guessing-phone")

        # Right now, with the guessing page waiting, another phone joins with its right code.
        _type_code(joiner, workshop.format_code(codes[1].code).lower())
        joiner.get_by_role("button", name="I am Partner A").wait_for(timeout=60_000)
        assert joiner.get_by_text("Please wait").count() == 0
        harness.assert_no_voila_error(joiner.content())
        harness.screenshot(joiner, "workshop-join-right-code-during-guessing")

        # And a partner who joined before moves to step 1 (a new page, the code in its address).
        mover = moving.new_page()
        mover.goto(server.page_url(PAGES[1], code=codes[2].code, who="a"))
        mover.get_by_text("Partner A").first.wait_for()
        content = mover.content()
        harness.assert_no_voila_error(content)
        assert "Please wait" not in content
        assert "open your workbook with your couple" not in content
        harness.screenshot(mover, "workshop-join-next-page-during-guessing")

    finally:
        for context in (guessing, joining, moving):
            context.close()
