"""Issue 13 without a browser: the check-in and the weekly satisfaction check, from an empty
workbook, as a person uses them (set values, press, read the page)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from widget_utils import html_of, walk

from workbook import charts
from workbook.store import Workbook
from workbook.ui import pages
from workbook.ui import start as start_ui
from workbook.ui.base import OnePressButton, Session
from workbook.ui.checkin import CheckInForm, checked_in_today
from workbook.ui.satisfaction import SatisfactionCheck
from workbook.ui.trends import TrendsPage


@pytest.fixture
def book(new_book: Callable[[str, str, str], Workbook]) -> Workbook:
    """A new workbook for Noa (a) and Eli (b)."""
    return new_book("noa-and-eli", "Noa", "Eli")


def press(button: OnePressButton) -> None:
    """What the browser sends for one press."""
    button._handle_button_msg(None, {"event": "click"}, [])


def test_a_double_press_saves_one_checkin(book: Workbook) -> None:
    """Regression: a double click on Save check-in stored two check-ins 14 ms apart."""
    form = CheckInForm(Session(wb=book, who="a"))
    form.mood.value, form.trust.value = 6, 7
    press(form.save)
    press(form.save)
    assert [(c.mood, c.trust) for c in book.checkins()] == [(6, 7)]
    assert form.status.kind == "ok", "the second press is dropped, not reported as an error"


def test_ratings_start_unset_and_a_quick_save_records_nothing(book: Workbook) -> None:
    form = CheckInForm(Session(wb=book, who="a"))
    assert form.mood.value is None
    assert form.trust.value is None
    form.save.click()
    assert form.status.kind == "error"
    assert "Choose your mood and trust (1 to 10)" in form.status.message
    form.mood.value = 4
    form.save.click()
    assert "Choose your trust" in form.status.message
    assert book.checkins() == []


def test_the_form_says_when_you_checked_in_today(book: Workbook) -> None:
    form = CheckInForm(Session(wb=book, who="a"))
    assert "checked in today" not in html_of(form)
    form.mood.value, form.trust.value = 5, 5
    form.save.click()
    at = book.checkins()[0].at.astimezone().strftime("%H:%M")
    assert f"You checked in today at {at}." in form.today.value
    assert form.mood.value is None, "ready for another check-in later, unset again"
    book.add_checkin("a", 7, 7)
    form.refresh()
    assert "2 check-ins today; the day counts their mean" in form.today.value
    assert checked_in_today(book.checkins(), today=date.today() - timedelta(days=1)) == ""


def test_step_pages_no_longer_carry_a_checkin(book: Workbook) -> None:
    s = Session(wb=book, who="a")
    for step in range(1, 9):
        assert not any(isinstance(w, CheckInForm) for w in walk(pages.StepPage(s, step)))
    start = start_ui.StartPage("noa-and-eli", "a")
    assert any(isinstance(w, CheckInForm) for w in walk(start))
    assert any(isinstance(w, CheckInForm) for w in walk(TrendsPage(s, background=False)))


def test_weekly_satisfaction_check_from_an_empty_workbook_fills_the_chart(book: Workbook) -> None:
    start = start_ui.StartPage("noa-and-eli", "a")
    [check] = [w for w in walk(start) if isinstance(w, SatisfactionCheck)]
    assert "due now" in check.due.value
    assert "Funk &amp; Rogge, 2007" in html_of(check), "the source is cited on the page"
    check.questions[0].value = 4
    check.save.click()
    assert check.status.kind == "error"
    assert "Answer question 2, 3, 4 too" in check.status.message
    assert book.csi4() == []
    for q, v in zip(check.questions, (4, 3, 3, 4), strict=True):
        q.value = v
    check.save.click()
    assert check.status.message == "Saved: your total is 14 of 21. Thank you."
    [answer] = book.csi4("a")
    assert answer.items == (4, 3, 3, 4)
    due = (date.today() + timedelta(days=7)).strftime("%A %d %b")
    assert f"The next one is due on {due}." in check.due.value
    assert check.form.children == (), "not offered again before it is due"
    # And the trends chart is this couple's, not an empty invitation.
    fig = charts.csi4_chart(book.csi4(), book.names())
    assert [t.get_text() for t in fig.texts if "No CSI-4" in t.get_text()] == []
    assert list(next(a for a in fig.axes[0].lines if a.get_gid() == "csi4-a").get_ydata()) == [14]


def test_the_check_is_weekly_in_the_store_too(book: Workbook) -> None:
    book.add_csi4("b", (3, 3, 3, 3), day=date(2026, 3, 2))
    with pytest.raises(ValueError, match="next one is due on 09 Mar 2026"):
        book.add_csi4("b", (3, 3, 3, 3), day=date(2026, 3, 8))
    assert book.add_csi4("b", (4, 3, 3, 3), day=date(2026, 3, 9)).total == 13
    assert [a.total for a in book.csi4("b")] == [12, 13]


def test_partners_change_their_own_names_and_a_workshop_join_asks_for_one(data_dir: Path) -> None:
    from workbook.workshop import create_couples

    [couple] = create_couples(data_dir, 1)
    start = start_ui.StartPage(code=couple.code)
    start.choose("a")
    [form] = [w for w in walk(start) if isinstance(w, start_ui.NameForm)]
    assert start.body.children.index(form) < 6, "asked near the top on a first visit"
    assert "What should we call you?" in html_of(form)
    form.name.value = "Rosa"
    form.save.click()
    assert "Hello, Rosa" in html_of(start)
    [form] = [w for w in walk(start) if isinstance(w, start_ui.NameForm)]
    assert "Your name" in html_of(form), "afterwards a quiet card lower down"
    form.name.value = "Partner B"
    form.save.click()
    assert form.status.kind == "error", "the two partners keep different names"
    assert start.session is not None
    assert start.session.wb.names() == {"a": "Rosa", "b": "Partner B"}


def test_choosing_who_puts_it_in_the_address(book: Workbook) -> None:
    start = start_ui.StartPage("noa-and-eli", None)
    start.choose("b")
    assert start.session is not None
    bridge = start.session.privacy.bridge.value
    assert "data-op='address'" in bridge
    assert "data-value='wb=noa-and-eli&amp;who=b'" in bridge


def test_a_right_code_after_a_wrong_one_clears_the_old_error(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbook.workshop import create_couples

    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")
    [couple] = create_couples(data_dir, 1)
    start = start_ui.StartPage()
    start.join_code.value = "AAAA-AAAA-AAAA"
    start.join_button.click()
    assert start.status.kind == "error"
    start.join_code.value = couple.code
    start.join_button.click()
    assert start.status.message == "", "the old error is gone"
    assert start.status.value == ""


@pytest.mark.usefixtures("low_dpi_charts")
def test_a_checkin_can_be_corrected_and_deleted_and_the_charts_follow(book: Workbook) -> None:
    s = Session(wb=book, who="a")
    page = TrendsPage(s, background=False)
    form = page.checkin
    assert form.corrections.children == (), "nothing to correct yet"
    form.mood.value, form.trust.value, form.note.value = 3, 4, "TYPO-NOTE"
    form.save.click()
    calendar = page.dashboard.panels["calendar"].summary
    assert "checked in on 1 day" in calendar.value, "the charts follow a new check-in"
    assert "streak" not in html_of(page).lower(), "no streaks to compare (issue 22)"
    form.corrections.open_editor()
    c = form.corrections
    assert (c.mood.value, c.trust.value, c.note.value) == (3, 4, "TYPO-NOTE")
    c.mood.value, c.note.value = 8, "fixed note"
    c.save_button.click()
    assert c.status.kind == "ok", c.status.message
    [saved] = book.checkins()
    assert (saved.mood, saved.trust, saved.note, saved.version) == (8, 4, "fixed note", 2)
    assert "TYPO-NOTE" not in html_of(page)
    # The other partner's form offers nothing to correct of Noa's.
    other = CheckInForm(Session(wb=book, who="b"))
    assert other.corrections.children == ()
    # Delete asks once, then the check-in is gone from the file and from the charts.
    c.delete_button.click()
    assert book.checkins() != [], "asked first"
    c.yes_button.click()
    assert book.checkins() == []
    assert "fixed note" not in book.export_json()
    assert "checked in on 1 day" not in calendar.value


def test_a_waiting_page_shows_the_partners_news_without_a_reload(book: Workbook) -> None:
    """The step-3 reveal and both partners' progress follow the partner's saves."""
    from workbook.steps import healing_step
    from workbook.store import open_workbook
    from workbook.ui import empathy

    mine = Session(wb=open_workbook(book.path), who="a")
    feel = empathy.PerspectiveTaking(mine, healing_step(3).exercise("perspective-feel"))
    feel.answer.value = "NOA-ANSWER"
    feel.save.click()
    done = pages.StepPage(mine, 3).done
    start_map = start_ui.StepMap(mine)
    assert "Eli has answered" not in feel.reveal.value
    assert mine.live.check() is False, "nothing new yet"

    # Eli, on their own phone (another connection to the same file), answers and finishes.
    book.add_reflection("b", 3, "perspective-feel", "ELI-ANSWER", visibility="paired")
    book.mark_step("b", 3)
    assert "ELI-ANSWER" not in feel.reveal.value
    assert mine.live.check() is True
    assert "ELI-ANSWER" in feel.reveal.value, "revealed without a reload"
    assert "Eli finished this step" in done.state.value
    assert "✓ Eli" in start_map.html.value


@pytest.mark.parametrize("prompt", ["i-statement", "agreements", "situations", "perspective-feel"])
def test_every_list_of_answers_can_be_corrected_by_its_author(book: Workbook, prompt: str) -> None:
    """Steps 1 to 3's own lists (statements, checklists, answers for two) offer the editor."""
    from workbook.steps import HEALING_STEPS
    from workbook.ui.corrections import Corrections

    step = next(
        st for st in HEALING_STEPS.values() if any(e.prompt == prompt for e in st.exercises)
    )
    vis = "paired" if prompt.startswith("perspective") else "shared"
    book.add_reflection("a", step.number, prompt, "FIRST WORDS", visibility=vis)
    mine, theirs = Session(wb=book, who="a"), Session(wb=book, who="b")

    def editor(session: Session) -> Corrections:  # type: ignore[type-arg]
        found = [
            w
            for w in walk(pages.StepPage(session, step.number))
            if isinstance(w, Corrections) and getattr(w, "prompt", None) == prompt
        ]
        assert len(found) == 1, prompt
        return found[0]

    c = editor(mine)
    assert c.children != (), "the author is offered the editor"
    c.open_editor()
    c.fields[0].value = "CORRECTED WORDS"
    c.save_button.click()
    assert c.status.kind == "ok", c.status.message
    assert [r.text for r in book.reflections(step.number, prompt, viewer="a")] == [
        "CORRECTED WORDS"
    ]
    assert editor(theirs).children == (), "the partner is offered nothing to change"


def test_a_press_right_after_a_correction_counts(book: Workbook) -> None:
    """Regression: a join code corrected within a second of its error was dropped silently.

    A second press with nothing changed is a double tap and is dropped; a press after the page
    sent a change (a value typed or chosen) is a new press and counts at once.
    """
    form = CheckInForm(Session(wb=book, who="a"))
    press(form.save)
    assert "Choose your mood and trust" in form.status.message
    for rating, value in ((form.mood, 6), (form.trust, 7)):
        # What the browser sends when a rating is chosen: an update of that widget's state.
        index = list(rating.options).index(next(o for o in rating.options if o[1] == value))
        update = {"method": "update", "state": {"index": index}, "buffer_paths": []}
        rating._handle_msg({"content": {"data": update}, "buffers": []})
    assert (form.mood.value, form.trust.value) == (6, 7)
    press(form.save)  # at once, well inside the double-tap window
    assert [(c.mood, c.trust) for c in book.checkins()] == [(6, 7)]
    press(form.save)  # nothing changed since: a double tap
    assert len(book.checkins()) == 1
