"""Issue 22: two partners, desktop and phone, from an empty workbook: the question of the day
answered by both and revealed on both pages; Alex answers Sam's appreciation; Sam sees the
answer under it and "New since your last visit" on the start page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from voila_harness import AXE, VoilaServer, screenshot

from workbook.store import create, open_workbook
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser


def _axe_problems(page: Any) -> list[str]:
    """Serious or critical axe-core violations on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}; run `make node_modules/axe-core/axe.min.js`")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(re.sub(r"\s+", " ", n["html"])[:120] for n in v["nodes"][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _card(page: Any, title: str) -> Any:
    return page.locator(".ht-card").filter(has=page.get_by_role("heading", name=title)).first


def test_question_of_the_day_and_answering_each_other(
    voila_server: VoilaServer, tab: Callable[..., Any]
) -> None:
    name = "daily-two-devices"
    create(name, "Sam", "Alex", data_dir=voila_server.data_dir).close()
    with open_workbook(name, data_dir=voila_server.data_dir) as wb:
        question = wb.question_of_the_day().text
    sam, alex = tab("desktop"), tab("phone")  # two browsers, two devices
    sam.goto(voila_server.page_url(PAGES[0], wb=name, who="a"))
    daily = _card(sam, "Question of the day")
    daily.get_by_text(question).wait_for()
    daily.get_by_label("Your answer").fill("SAM-DAILY a slow walk")
    daily.get_by_role("button", name="Save my answer").click()
    daily.get_by_text("You have answered. Waiting for Alex.").wait_for()

    alex.goto(voila_server.page_url(PAGES[0], wb=name, who="b"))
    daily_b = _card(alex, "Question of the day")
    daily_b.get_by_text("Sam has answered. Answer too to see both.").wait_for()
    assert alex.get_by_text("SAM-DAILY").count() == 0  # hidden until Alex answers
    daily_b.get_by_label("Your answer").fill("ALEX-DAILY coffee in the sun")
    daily_b.get_by_role("button", name="Save my answer").click()
    daily_b.get_by_text("SAM-DAILY a slow walk").first.wait_for()
    screenshot(alex, "daily-revealed-phone")
    assert not _axe_problems(alex)  # the reveal and the answer controls, on a phone
    # Sam's open page shows the reveal without a reload.
    daily.get_by_text("ALEX-DAILY coffee in the sun").first.wait_for(timeout=20_000)
    screenshot(sam, "daily-revealed-desktop")

    # Sam shares an appreciation on step 7.
    sam.goto(voila_server.page_url(PAGES[7], wb=name, who="a"))
    thanks = _card(sam, "Appreciations")
    thanks.get_by_label("Something I appreciated about you this week").fill(
        "SAM-THANKS for cooking on Friday"
    )
    thanks.get_by_role("button", name="Save", exact=True).click()
    thanks.get_by_text("Saved. Your partner can read it too.").wait_for()

    # Alex answers it with one press, on the phone.
    alex.goto(voila_server.page_url(PAGES[7], wb=name, who="b"))
    card_b = _card(alex, "Appreciations")
    card_b.get_by_text("SAM-THANKS for cooking on Friday").first.wait_for()
    card_b.get_by_role("button", name="Thank you").click()
    card_b.get_by_text("Sent. Sam sees it under that entry.").wait_for()
    card_b.get_by_text("You answered “SAM-THANKS for cooking on").wait_for()
    screenshot(alex, "reply-sent-phone")

    # Sam sees the answer under the entry, and the news on the start page.
    sam.reload()
    _card(sam, "Appreciations").get_by_text("Alex answered “SAM-THANKS").wait_for()
    sam.goto(voila_server.page_url(PAGES[0], wb=name, who="a"))
    news = _card(sam, "New since your last visit")
    news.get_by_text("Alex answered your appreciation: “Thank you”").wait_for()
    news.get_by_text("Alex answered today's question.").wait_for()
    screenshot(sam, "whats-new-desktop")
    assert not _axe_problems(sam)
    with open_workbook(name, data_dir=voila_server.data_dir) as wb:
        assert [(r.author, r.text) for r in wb.replies(viewer="a")] == [("b", "Thank you")]
