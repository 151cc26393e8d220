"""Issue 13: the whole workbook in Chromium, from an empty data folder, desktop and 375 px phone.

Each partner on their own device (two browsers: `tab` slots 0 and 1) creates or opens the
couple's workbook through the start page, chooses who is writing, checks in and answers the
weekly satisfaction check. Partner A then walks steps 1 to 8 through the pages' own links and
fills every exercise that saves something, taken from `workbook.steps` (a new prompt is covered
without touching this file; a new kind of exercise fails here until it is given a way to be
filled). Private exercises are saved privately, the passphrase set in place the first time.
Partner B answers the step-3 perspective questions, and A's open page shows both answers.
Finally A's trends page must draw all five charts from this couple's data.

Along the way, what people do: a Save button pressed twice quickly (one entry), Back once and
forward again through the links, and a reload of the start page after choosing who is writing.

Each run starts its own Voila server on a fresh, empty data folder, so both devices really
begin with no workbook at all. A page whose kernel died at start (a port race of the machine,
see KERNEL_DIED) is reloaded once, and that is printed.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from voila_harness import (
    NOTEBOOKS,
    VoilaServer,
    assert_no_voila_error,
    console_noted,
    rate,
    running_voila,
    screenshot,
)

from workbook.domain import CSI4_ITEMS
from workbook.paths import slugify
from workbook.steps import HEALING_STEPS, Exercise, Step
from workbook.store import open_workbook
from workbook.ui.base import PAGES, step_title

pytestmark = pytest.mark.browser
PlaywrightTimeoutError = pytest.importorskip("playwright.sync_api").TimeoutError

A, B = "Noa", "Eli"
PASS_A = "lanterns along the harbour wall"
#: The answer index chosen for each CSI-4 question, per partner (a total is the sum).
CSI4_CHOICES = {"a": (4, 4, 3, 4), "b": (3, 2, 3, 3)}
#: Exercise kinds that save nothing: shown, read, perhaps used, but never stored.
SAVES_NOTHING = {
    "note",
    "speaker-listener",
    "reveal-guard",
    "therapy-approaches",
    "passphrase",
    "not-advised",
    "safety-check",
    "crisis-resources",
}
PRIVATE = "Private (only me, kept with my passphrase)"


@pytest.fixture
def empty_server(tmp_path: Path) -> Iterator[VoilaServer]:
    """A Voila server of its own on an empty data folder (no workbook at all)."""
    data = tmp_path / "data"
    data.mkdir()
    with running_voila(
        NOTEBOOKS, data, name="voila-full-journey", cull_idle_timeout=30, cull_interval=5
    ) as server:
        _SERVER.clear()
        _SERVER["server"] = server
        try:
            yield server
        finally:
            _SERVER.clear()


# -- small helpers ----------------------------------------------------------------------------


#: In the server log when a page's pre-started kernel died before the page could use it (seen
#: once on this shared machine: "Address already in use" for the kernel's control port, probably
#: taken by another process between being picked and bound; the restarter retried the same port).
#: Voila has then already sent the page's head with status 200: the page stays half-drawn.
KERNEL_DIED = "Kernel died before replying to kernel_info"
#: The server of the running test, and how many such deaths its log showed when last looked at.
_SERVER: dict[str, Any] = {}


def _wait_page(page: Any, text: str = "Writing as") -> None:
    """Wait until the page shows `text`. If, meanwhile, the server log says the page's kernel
    died at start (see KERNEL_DIED: a race of the machine, not of the workbook), reload once,
    as a person would, and print so."""
    server: VoilaServer | None = _SERVER.get("server")
    deadline = time.monotonic() + 60
    reloaded = False
    while True:
        try:
            page.get_by_text(text).first.wait_for(timeout=5_000)
            break
        except PlaywrightTimeoutError:
            died = server.log_text().count(KERNEL_DIED) if server else 0
            if died > _SERVER.get("died", 0) and not reloaded:
                _SERVER["died"] = died
                reloaded = True
                # Not a warning: the suite turns warnings into errors. Shown with -s or -rP.
                print(f"{page.url}: the page's kernel died at start ({KERNEL_DIED}); reloaded once")
                page.reload()
                deadline = time.monotonic() + 60
            elif time.monotonic() > deadline:
                raise
    page.wait_for_timeout(200)
    assert_no_voila_error(page)


def _follow(page: Any, link: str | re.Pattern[str], target: str, text: str = "Writing as") -> None:
    """Click a link of the page (the first with that name) and wait for the page it opens."""
    page.get_by_role("link", name=link, exact=True).first.click()
    page.wait_for_url(re.compile(re.escape(target)))
    _wait_page(page, text)


def _card(page: Any, title: str) -> Any:
    """The card of one exercise, by its heading."""
    return page.locator(".ht-card", has=page.get_by_role("heading", name=title, exact=True)).last


def _answer(step: int, ex: Exercise) -> str:
    return f"JOURNEY {step}/{ex.prompt or ex.kind}: written by {A}"


def _csi4(page: Any, who: str) -> int:
    """Answer the four CSI-4 questions and save them; returns the total."""
    card = page.locator(".ht-csi4")
    items = card.locator(".ht-csi4-item")
    assert items.count() == len(CSI4_ITEMS)
    for i, choice in enumerate(CSI4_CHOICES[who]):
        items.nth(i).get_by_label(CSI4_ITEMS[i][1][choice], exact=True).check()
    card.get_by_role("button", name="Save this week's answers").click()
    total = sum(CSI4_CHOICES[who])
    card.get_by_text(f"Saved: your total is {total} of 21").wait_for()
    return total


def _check_in(page: Any, mood: int, trust: int, note: str) -> None:
    checkin = page.locator(".ht-checkin")
    rate(checkin, mood, trust)
    checkin.get_by_label("Note (optional)").fill(note)
    checkin.get_by_role("button", name="Save check-in").click()
    checkin.get_by_text("Thank you for checking in").wait_for()


class Writer:
    """Partner A filling one page's exercises; remembers whether the passphrase was set."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.passphrase_set = False
        #: (step, prompt) of the exercise whose Save was pressed twice quickly.
        self.double_pressed: tuple[int, str | None] | None = None
        self.at: tuple[int, str | None] = (0, None)
        #: The page's console errors and warnings, for a failure's message.
        self.console = console_noted(page)

    def private_ready(self, card: Any) -> None:
        """Where the page offers private writing: set the passphrase in place the first time."""
        fields = card.get_by_label("Passphrase", exact=True)
        if fields.count() == 0:
            assert self.passphrase_set, "saving privately without ever setting a passphrase?"
            return
        # Once set, one unlock serves every page of the sitting (issue 11): asking again on a
        # later page would be a bug.
        assert not self.passphrase_set, "the passphrase was asked for again on a later page"
        fields.fill(PASS_A)
        card.get_by_label("Type it again").fill(PASS_A)
        card.get_by_role("button", name="Set passphrase").click()
        card.get_by_text("Passphrase set").wait_for()
        self.passphrase_set = True

    def save(self, card: Any, name: str, confirmation: str) -> None:
        """Press the card's button and wait for its confirmation. The first plain shared Save
        of the journey is pressed twice quickly, as people do (it must store one entry)."""
        # Exact for "Save" alone; an icon's glyph is part of some buttons' names ("Save self-care").
        button = card.get_by_role("button", name=name, exact=name == "Save")
        if not self.double_pressed and name == "Save" and "partner" in confirmation:
            self.double_pressed = self.at
            button.dblclick()
            # Let a second press arrive and be handled: the form must still say "saved", not
            # complain about the now empty box (nor save twice: checked in the file below).
            card.locator(".ht-status .ht-msg").first.wait_for()
            self.page.wait_for_timeout(1500)
            said = card.locator(".ht-status").first.inner_text()
            assert confirmation in said, f"{self.at}: Save pressed twice quickly: {said!r}"
        else:
            button.click()
        try:
            card.get_by_text(confirmation).first.wait_for()
        except Exception as error:
            # What the card said instead, and what the page's scripts said, for CI's log.
            said = card.inner_text(timeout=5000)
            heard = "\n".join(self.console[-12:])
            raise AssertionError(
                f"{self.at}: no {confirmation!r} after pressing {name!r} "
                f"({time.monotonic():.1f}); the card shows {said[-600:]!r}; console:\n{heard}"
            ) from error

    # one method per kind of exercise that saves something

    def prompt(self, step: Step, ex: Exercise) -> None:
        card = _card(self.page, ex.title)
        text = _answer(step.number, ex)
        label = "My own question (optional)" if ex.kind == "therapist-questions" else None
        card.get_by_label(label or ex.question_for(B), exact=True).fill(text)
        for item in ex.items[:2]:  # a checklist of questions: tick two
            card.get_by_label(item, exact=True).check()
        if ex.kind == "quality-time":
            card.get_by_label("When (optional)").fill(date.today().isoformat())
        if ex.privacy == "private":
            toggle = card.get_by_role("button", name=PRIVATE)
            assert "mod-active" in (toggle.get_attribute("class") or ""), (
                f"{ex.prompt} is private by default"
            )
            self.private_ready(card)
            self.save(card, "Save", "Saved privately.")
        else:
            self.save(card, "Save", "Saved. Your partner can read it too.")
        card.locator(".ht-entry-text", has_text=text).first.wait_for()

    def checklist(self, ex: Exercise, own_label: str, save: str, confirmation: str) -> None:
        card = _card(self.page, ex.title)
        for item in ex.items[:2]:
            card.get_by_label(item, exact=True).check()
        card.get_by_label(own_label).fill(f"JOURNEY {ex.prompt}: our own")
        self.save(card, save, confirmation)
        card.get_by_text(f"JOURNEY {ex.prompt}: our own").first.wait_for()

    def agreements(self, step: Step, ex: Exercise) -> None:
        self.checklist(
            ex, "An agreement of our own (optional)", "Save our agreements", "Agreements saved."
        )

    def situations(self, step: Step, ex: Exercise) -> None:
        self.checklist(ex, "Something else (optional)", "Save what applies", "Saved.")

    def i_statement(self, step: Step, ex: Exercise) -> None:
        card = _card(self.page, ex.title)
        card.get_by_label("I feel…").fill("unsure")
        card.get_by_label("when…").fill("plans change late")
        card.get_by_label("and I need…").fill("a short message")
        self.save(card, "Save this statement", "Saved. Your partner can read it too.")
        card.get_by_text(
            "I feel unsure when plans change late, and I need a short message."
        ).first.wait_for()

    def perspective(self, step: Step, ex: Exercise) -> None:
        card = _card(self.page, ex.title)
        card.get_by_label(ex.question_for(B), exact=True).fill(_answer(step.number, ex))
        self.save(card, "Save my answer", "Answers are shown side by side")
        card.get_by_text(f"You have answered. Waiting for {B}.").wait_for()

    def promise_ledger(self, step: Step, ex: Exercise) -> None:
        card = _card(self.page, ex.title)
        card.get_by_label("I promise to…").fill("Cook on Fridays")
        self.save(card, "Add promise", "Promise added")
        card.get_by_role("button", name="Kept", exact=True).click()
        card.get_by_text("Marked kept. Well done.").wait_for()
        card.get_by_text(f"{A} kept 1 of 1 promise marked kept or broken").wait_for()

    def self_care_log(self, step: Step, ex: Exercise) -> None:
        card = _card(self.page, ex.title)
        card.get_by_label("What I did").select_option(label="A hobby")
        minutes = card.get_by_label("Minutes", exact=True)
        minutes.fill("25")
        minutes.press("Tab")
        card.get_by_label("Note (optional)").fill("Sketching by the river")
        self.save(card, "Save self-care", "Saved: 25 minutes of a hobby. Well done.")
        card.get_by_text("Last 7 days: 25 minutes of self-care.").wait_for()

    def handler(self, ex: Exercise) -> Callable[[Step, Exercise], None] | None:
        custom: dict[str, Callable[[Step, Exercise], None]] = {
            "prompt": self.prompt,
            "therapist-questions": self.prompt,
            "quality-time": self.prompt,
            "agreements": self.agreements,
            "situations": self.situations,
            "i-statement": self.i_statement,
            "perspective": self.perspective,
            "promise-ledger": self.promise_ledger,
            "self-care-log": self.self_care_log,
        }
        if ex.kind in custom:
            return custom[ex.kind]
        assert ex.kind in SAVES_NOTHING, (
            f"no way to fill exercise kind {ex.kind!r} ({ex.title}) in this journey: add one"
        )
        assert ex.prompt is None, f"{ex.title} saves under {ex.prompt!r} but is skipped here"
        return None

    def mark_done(self, step: int) -> None:
        card = _card(self.page, "Finished this step?")
        card.get_by_label("How did it go?").fill(f"Step {step} went fine")
        card.get_by_role("button", name="Mark this step done").click()
        card.get_by_text("Marked done.").wait_for()
        card.get_by_text(f"{A} finished this step").wait_for()


def _check_trends(page: Any, total_a: int, total_b: int) -> None:
    """Every chart of A's trends page is drawn, and its summary (its alternative text) speaks
    of this couple's data: both partners, the kept promise, both CSI-4 totals, today."""
    page.wait_for_function("() => document.querySelectorAll('.ht-chart-pending').length === 0")
    assert page.locator("img.ht-chart").count() == 5
    assert page.locator(".ht-chart-failed").count() == 0
    assert "could not be drawn" not in page.content()
    year = date.today().year
    expected = {
        "Mood and trust": [A, B],
        "The gap between you": [A, B, "(so far 1)"],
        "Promises kept": ["Of 1 promise kept or broken, 1 was kept (100%)."],
        "Relationship satisfaction (CSI-4)": [
            f"{A}'s latest CSI-4 total is {total_a} of 21",
            f"{B}'s latest CSI-4 total is {total_b} of 21",
        ],
        "A year in pixels": [
            f"{A} checked in on 1 day in {year}; mood averaged 7.0.",
            f"{B} checked in on 1 day in {year}; mood averaged 4.0.",
        ],
    }
    empty = ("No check-ins", "No promises yet", "No CSI-4 answers yet", "has not answered")
    for title, wanted in expected.items():
        card = _card(page, title)
        image = card.locator("img.ht-chart")
        assert image.count() == 1, f"{title}: no chart"
        assert image.evaluate("img => img.complete && img.naturalWidth > 100"), f"{title}: blank"
        alt = image.get_attribute("alt") or ""
        summary = card.locator(".ht-summary").inner_text()
        assert alt == f"{title}: {summary}", (alt, summary)
        for text in wanted:
            assert text in alt, f"{title}: {text!r} not in {alt!r}"
        for text in empty:
            assert text not in alt, f"{title}: {alt!r}"


# -- the journey ------------------------------------------------------------------------------


def test_every_exercise_through_the_pages_then_every_chart_shows_the_couple(
    empty_server: VoilaServer, tab: Callable[..., Any], device: str
) -> None:
    # (The server comes first among the fixtures, so it stops after the tabs are emptied.)
    server = empty_server
    started = time.monotonic()
    page, page_b = tab(device), tab(device, 1)  # two browsers: cookies of their own

    # Partner A creates the workbook on an empty server and chooses who is writing.
    page.goto(server.page_url(PAGES[0]))
    _wait_page(page, "Start your workbook")
    assert page.get_by_text("Open your workbook").count() == 0, "the data folder is empty"
    page.get_by_label("Partner one's name").fill(A)
    page.get_by_label("Partner two's name").fill(B)
    page.get_by_role("button", name="Create our workbook").click()
    name = slugify(f"{A} and {B}")
    page.get_by_text(f"Created the workbook “{name}”.").wait_for()
    page.get_by_role("button", name=f"I am {A}").click()
    _wait_page(page, f"Hello, {A}")
    # The address now keeps who is writing: a reload says hello without asking again.
    page.wait_for_url(re.compile(r"[?&]who=a\b"))
    page.reload()
    _wait_page(page, f"Hello, {A}")
    assert page.get_by_text("Who is writing?").count() == 0
    assert page.get_by_role("button", name=f"I am {A}").count() == 0
    page.get_by_label("Yes", exact=True).check()  # the safety question (never saved)
    page.get_by_text("Good. If that ever changes").wait_for()
    _check_in(page, 7, 6, "A calmer morning")
    total_a = _csi4(page, "a")

    # Partner B opens the same workbook on their own device.
    page_b.goto(server.page_url(PAGES[0]))
    _wait_page(page_b, "Open your workbook")
    page_b.get_by_role("button", name="Open", exact=True).click()
    page_b.get_by_role("button", name=f"I am {B}").click()
    _wait_page(page_b, f"Hello, {B}")
    _check_in(page_b, 4, 3, "Tired but hopeful")
    total_b = _csi4(page_b, "b")

    # Partner A: steps 1 to 8 through the pages' own links.
    writer = Writer(page)
    _follow(page, step_title(1), PAGES[1])
    for number, step in HEALING_STEPS.items():
        for ex in step.on_page:
            fill = writer.handler(ex)
            writer.at = (number, ex.prompt)
            if fill is not None:
                fill(step, ex)
        if number == 3:
            # B answers the perspective questions on their phone or laptop; A's open page
            # shows both answers side by side without a reload.
            _follow(page_b, step_title(3), PAGES[3])
            for ex in step.on_page:
                if ex.kind == "perspective":
                    card = _card(page_b, ex.title)
                    card.get_by_label(ex.question_for(A), exact=True).fill(f"{B} on {ex.prompt}")
                    card.get_by_role("button", name="Save my answer").click()
                    card.locator(".ht-revealed").get_by_text(_answer(3, ex)).wait_for()
                    _card(page, ex.title).locator(".ht-revealed").get_by_text(
                        f"{B} on {ex.prompt}"
                    ).wait_for(timeout=20_000)
        if number == 6:
            _card(page, "Your private entries").get_by_text(
                "Your private entries are open"
            ).wait_for()
        if step.stores:
            writer.mark_done(number)
        else:  # step 8 leaves no trace: nothing to mark, and the page says so (issue 18)
            page.get_by_text("Nothing you do on this page is saved").wait_for()
        assert_no_voila_error(page)
        if number == 5:
            # Back once, then on again through the page's link: nothing is saved twice.
            page.go_back()
            page.wait_for_url(re.compile(re.escape(PAGES[4])))
            _wait_page(page)
            _card(page, "Promise ledger").get_by_text("Cook on Fridays").wait_for()
            _follow(page, "Step 5 →", PAGES[5])
            _card(page, "Finished this step?").get_by_text(f"{A} finished this step").wait_for()
        if number < 8:
            _follow(page, f"Step {number + 1} →", PAGES[number + 1])
    assert writer.passphrase_set, "no exercise was saved privately"
    assert writer.double_pressed, "no Save was pressed twice"

    _follow(page, "Trends", PAGES["trends"])
    _check_trends(page, total_a, total_b)
    assert_no_voila_error(page)
    screenshot(page, f"full-journey-trends-{device}")
    # And back on the start page, through the link, all seven recorded steps are done.
    _follow(page, "All steps", PAGES[0], f"Hello, {A}")
    page.get_by_text(f"{A}: 7 of 7 steps done.").wait_for()
    elapsed = time.monotonic() - started
    print(f"full journey on {device}: {elapsed:.0f} s")

    # What the file holds: one entry per exercise (the double press saved once), all of A's.
    book = open_workbook(name, data_dir=server.data_dir)
    try:
        book.unlock("a", PASS_A)
        for number, step in HEALING_STEPS.items():
            for ex in step.on_page:
                if ex.prompt is None:
                    continue
                mine = book.reflections(number, ex.prompt, viewer="a", author="a")
                pressed = (
                    " (its Save was pressed twice)"
                    if writer.double_pressed
                    == (
                        number,
                        ex.prompt,
                    )
                    else ""
                )
                assert len(mine) == 1, (
                    f"step {number} {ex.prompt}{pressed}: {[r.text for r in mine]}"
                )
                want = {"private": "private", "paired": "paired"}.get(ex.privacy, "shared")
                assert mine[0].visibility == want, (ex.prompt, mine[0].visibility)
        assert book.locked_count("a") == sum(
            ex.privacy == "private" for s in HEALING_STEPS.values() for ex in s.on_page
        )
        assert [(p.text, p.status) for p in book.promises("a")] == [("Cook on Fridays", "kept")]
        assert [(s.kind, s.minutes) for s in book.selfcare("a")] == [("hobby", 25)]
        assert sorted(c.author for c in book.checkins()) == ["a", "b"]
        assert sorted(a.author for a in book.csi4()) == ["a", "b"]
        assert book.steps_done("a") == set(range(1, 8))  # step 8 is never recorded
    finally:
        book.close()
