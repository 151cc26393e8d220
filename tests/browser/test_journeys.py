"""End-to-end journeys as a person makes them, in Chromium, with screenshots.

1. A new couple: each partner checks in on their own device; both see both on the trends page.
2. Steps 1 to 8 in order for one partner: an exercise saved and found again after reload,
   each step marked done, progress shown on the start page.
3. A private reflection of one partner never appears in any page opened as the other.
4. Keyboard only: a form filled and saved with Tab and Enter, focus visible.
(The axe-core accessibility check of every page is in test_every_page.py.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from voila_harness import (
    COUPLE_PAGES,
    VoilaServer,
    assert_no_voila_error,
    new_workbook,
    rate,
    screenshot,
)

from workbook.serving import CELL_ERROR_MESSAGE
from workbook.store import create, open_workbook
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

JOURNAL = "Private: I still flinch when the phone buzzes."


def _ready(page: Any, url: str, text: str = "Writing as") -> None:
    page.goto(url)
    page.get_by_text(text).first.wait_for()
    page.wait_for_timeout(250)


def _clean(page: Any) -> None:
    html = page.content()
    assert_no_voila_error(html)
    assert CELL_ERROR_MESSAGE not in html


def _save_and_see(page: Any, button: str, confirmation: str, field: str | None = None) -> None:
    """Click the button (in the same card as `field`, when given) and wait for its message."""
    scope = page.locator(".ht-card", has=page.get_by_label(field)).last if field else page
    # "Save" alone would also match "Save what applies"; other names are unique.
    scope.get_by_role("button", name=button, exact=button == "Save").first.click()
    scope.get_by_text(confirmation).first.wait_for()


def test_new_couple_two_devices_both_on_the_dashboard(
    voila_server: VoilaServer, tab: Callable[..., Any], device: str
) -> None:
    name = new_workbook(voila_server, f"river-and-sky-{device}", "River", "Sky")
    pages = [tab(device), tab(device, 1)]  # two browsers: cookies of their own
    for page, who in zip(pages, ("a", "b"), strict=True):
        _ready(page, voila_server.page_url(PAGES[0], wb=name, who=who), "Hello")
    for page, note in zip(pages, ("Calmer today", "Tired but hopeful"), strict=True):
        rate(page)
        page.get_by_label("Note (optional)").fill(note)
        page.get_by_role("button", name="Save check-in").click()
    for page in pages:
        page.get_by_text("Thank you for checking in").wait_for()
    for page, who in zip(pages, ("a", "b"), strict=True):
        _ready(page, voila_server.page_url(PAGES["trends"], wb=name, who=who))
        page.get_by_text(re.compile("River's (mood|trends)")).first.wait_for()
        page.get_by_text(re.compile("Sky's (mood|trends)")).first.wait_for()
        # Both lines are on the mood and trust chart: its picture arrives once drawn, and
        # its alternative text (the summary) names both partners.
        chart = page.locator("img.ht-chart").first
        chart.wait_for()
        alt = chart.get_attribute("alt") or ""
        assert alt.startswith("Mood and trust:"), alt
        assert "River" in alt, alt
        assert "Sky" in alt, alt
        _clean(page)
    pages[1].wait_for_function("() => document.querySelectorAll('.ht-chart-pending').length === 0")
    screenshot(pages[1], f"journey1-trends-{device}")
    book = open_workbook(name, data_dir=voila_server.data_dir)
    assert sorted(c.author for c in book.checkins()) == ["a", "b"]
    book.close()


# (step, label of the field, text, save button, confirmation, text found after reload)
EXERCISES: list[tuple[int, str, str, str, str]] = [
    (2, "In your own words, what happened?", "We stopped talking in March.", "Save", "Saved."),
    (
        3,
        "What might Kai be feeling about what happened?",
        "Kai may feel left out.",
        "Save my answer",
        "Saved.",
    ),
    (5, "What stood out for me in our last session?", "Slow down when I'm upset.", "Save", "Saved"),
    (
        7,
        "Something I appreciated about you this week",
        "Thank you for the soup.",
        "Save",
        "Saved",
    ),
]


def test_steps_one_to_eight_in_order(voila_server: VoilaServer, page_any: Any, device: str) -> None:
    page = page_any
    name = new_workbook(voila_server, f"lee-and-kai-{device}", "Lee", "Kai")

    def url(step: int | str, who: str = "a") -> str:
        return voila_server.page_url(PAGES[step], wb=name, who=who)

    for step in range(1, 9):
        _ready(page, url(step))
        found: str | None = None
        if step == 1:
            page.get_by_label("I feel…").fill("lonely")
            page.get_by_label("when…").fill("evenings go quiet")
            _save_and_see(page, "Save this statement", "Saved. Your partner can read it too.")
            found = "I feel lonely when evenings go quiet."
        elif step == 4:
            page.get_by_label("I promise to…").fill("Cook on Fridays")
            _save_and_see(page, "Add promise", "Promise added")
            found = "Cook on Fridays"
        elif step == 6:
            # Step 6's own passphrase card: the page's one panel (private choices point to it).
            card = page.locator(
                ".ht-card", has=page.get_by_role("heading", name="Your private entries")
            ).first
            card.get_by_label("Passphrase", exact=True).fill("lee's long passphrase")
            card.get_by_label("Type it again").fill("lee's long passphrase")
            card.get_by_role("button", name="Set passphrase").click()
            card.get_by_text("Passphrase set").wait_for()
            page.get_by_label("What is on my mind today?").fill(JOURNAL)
            _save_and_see(page, "Save", "Saved privately.", field="What is on my mind today?")
            found = JOURNAL
        elif step == 8:
            page.get_by_text("Couples exercises are not advised").first.wait_for()
        else:
            _, label, text, button, confirmation = next(e for e in EXERCISES if e[0] == step)
            page.get_by_label(label).fill(text)
            _save_and_see(page, button, confirmation, field=label)
            found = text
        if step == 8:
            # Step 8 leaves no trace: no done mark, and the page says so (issue 18).
            page.get_by_text("Nothing you do on this page is saved").wait_for()
            assert page.get_by_role("button", name="Mark this step done").count() == 0
            screenshot(page, f"journey2-step{step}-{device}", full_page=False)
            continue
        page.get_by_label("How did it go?").fill(f"Step {step} went fine")
        _save_and_see(page, "Mark this step done", "Marked done.")
        _clean(page)
        page.reload()
        page.get_by_text("Writing as").first.wait_for()
        page.get_by_text("Lee finished this step").first.wait_for()
        if found and step != 6:  # the journal is private: locked again after a reload
            page.get_by_text(found).first.wait_for()
        screenshot(page, f"journey2-step{step}-{device}", full_page=False)

    _ready(page, url(0), "Hello, Lee")
    page.get_by_text("Lee: 7 of 7 steps done.").wait_for()
    screenshot(page, f"journey2-start-{device}")
    book = open_workbook(name, data_dir=voila_server.data_dir)
    assert book.steps_done("a") == set(range(1, 8))  # step 8 is never recorded
    assert book.locked_count("a") == 1
    book.close()


def test_private_reflection_never_shown_to_the_partner(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = f"pat-and-jo-{device}"
    book = create(name, "Pat", "Jo", data_dir=voila_server.data_dir)
    book.set_passphrase("a", "pat's long passphrase")
    for step, prompt in ((6, "journal"), (2, "unshared-pain"), (5, "session-notes")):
        book.add_reflection("a", step, prompt, JOURNAL, visibility="private")
    book.add_checkin("a", 3, 3, JOURNAL, visibility="private")
    book.close()
    for notebook in COUPLE_PAGES:
        _ready(
            page_any,
            voila_server.page_url(notebook, wb=name, who="b"),
            "Hello, Jo" if notebook == PAGES[0] else "Writing as",
        )
        # Everything the page fills in later (the trends charts and their alt text) included.
        page_any.wait_for_function(
            "() => document.querySelectorAll('.ht-chart-pending').length === 0"
        )
        assert JOURNAL not in page_any.content(), f"private text shown on {notebook}"
        _clean(page_any)


def test_keyboard_only(voila_server: VoilaServer, page_any: Any, device: str) -> None:
    page = page_any
    name = new_workbook(voila_server, f"kb-couple-{device}", "Ash", "Bo")
    _ready(page, voila_server.page_url(PAGES[1], wb=name, who="a"))
    page.get_by_label("I feel…").focus()
    page.keyboard.type("unheard")
    page.keyboard.press("Tab")
    page.keyboard.type("we talk over each other")
    page.keyboard.press("Tab")
    page.keyboard.type("one turn each")
    # Tab on until the save button has focus, then press Enter.
    for _ in range(6):
        page.keyboard.press("Tab")
        label = page.evaluate("() => document.activeElement && document.activeElement.innerText")
        if label and "Save this statement" in label:
            break
    else:
        pytest.fail("Tab never reached the 'Save this statement' button")
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; }"
    )
    assert outline[0] != "none" or outline[2] != "none", f"no visible focus: {outline}"
    screenshot(page, f"journey4-focus-{device}", full_page=False)
    page.keyboard.press("Enter")
    page.get_by_text("Saved. Your partner can read it too.").first.wait_for()
    book = open_workbook(name, data_dir=voila_server.data_dir)
    assert [r.text for r in book.reflections(1, "i-statement")] == [
        "I feel unheard when we talk over each other, and I need one turn each."
    ]
    book.close()
