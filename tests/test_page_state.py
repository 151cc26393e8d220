"""One owner of each page's state (issue 20): the session's bus, replaced views, and the
contradictions a page must not show."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
import pytest
from widget_utils import html_of, walk

from workbook.store import Workbook, open_workbook
from workbook.ui import pages
from workbook.ui import start as start_ui
from workbook.ui.base import Session
from workbook.ui.events import EVERYTHING, Bus
from workbook.ui.forms import PromptForm
from workbook.ui.passphrase import PassphrasePanel
from workbook.ui.sitting import ELSEWHERE_NOTE

# -- the bus -------------------------------------------------------------------------------


def test_publish_reaches_only_the_views_of_that_topic_once_each() -> None:
    bus = Bus()
    calls: Counter[str] = Counter()
    bus.subscribe(lambda: calls.update(["all reflections"]), "reflections")
    bus.subscribe(lambda: calls.update(["feelings"]), "reflections:2:feelings")
    bus.subscribe(lambda: calls.update(["what"]), "reflections:2:what-happened")
    bus.subscribe(lambda: calls.update(["promises"]), "promises", "reflections:2:feelings")
    bus.subscribe(lambda: calls.update(["privacy"]), "privacy")

    assert bus.publish("reflections:2:feelings") == 3
    assert calls == Counter({"all reflections": 1, "feelings": 1, "promises": 1})
    calls.clear()
    assert bus.publish("reflections") == 4, "a change somewhere among them reaches every view"
    calls.clear()
    # The partner's news (what changed is unknown) reaches every data view, not the page's own
    # unlock state.
    assert bus.publish(EVERYTHING) == 4
    assert "privacy" not in calls


def test_a_cancelled_or_released_view_hears_nothing() -> None:
    bus = Bus()
    calls: list[str] = []
    sub = bus.subscribe(lambda: calls.append("one"), "checkins")
    with bus.collect() as group:
        bus.subscribe(lambda: calls.append("two"), "checkins")
        bus.subscribe(lambda: calls.append("three"), "privacy")
    bus.subscribe(lambda: calls.append("four"), "checkins")
    assert bus.count == 4
    sub.cancel()
    sub.cancel()  # twice is harmless
    group.release()
    assert bus.count == 1
    bus.publish("checkins", "privacy")
    assert calls == ["four"]
    bus.close()
    assert bus.publish("checkins") == 0
    assert bus.subscribe(lambda: calls.append("late"), "checkins").active is False
    with pytest.raises(ValueError, match="names the topics"):
        bus.subscribe(lambda: None)


# -- a replaced view stops listening ---------------------------------------------------------


@pytest.fixture
def book(new_book: Callable[[str, str, str], Workbook]) -> Workbook:
    """A new workbook for Noa (a) and Eli (b)."""
    return new_book("noa-and-eli", "Noa", "Eli")


def counting(monkeypatch: pytest.MonkeyPatch, cls: type, name: str = "refresh") -> Counter[int]:
    """Count calls of `cls.name` per instance (patched before the views are built)."""
    calls: Counter[int] = Counter()
    original: Callable[..., Any] = getattr(cls, name)

    def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        calls[id(self)] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, name, counted)
    return calls


def test_a_rename_on_the_start_page_releases_the_views_it_replaces(
    book: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: every rename rebuilt the step map, check-in and header lock, and the old ones
    stayed subscribed: the partner's news then refreshed every map ever built."""
    calls = counting(monkeypatch, start_ui.StepMap)
    page = start_ui.StartPage("noa-and-eli", "a")
    assert page.session is not None
    session = page.session
    first_map = page.map
    subscriptions = session.bus.count
    for name in ("Noa R", "Noa S"):
        page.names.name.value = name
        page.names.save.click()
        assert session.name == name
    assert page.map is not first_map
    assert session.bus.count == subscriptions, "the replaced views let go"

    # Eli, on another phone, finishes a step: the page's watcher finds it.
    before = Counter(calls)
    eli = open_workbook(book.path)
    eli.mark_step("b", 1)
    eli.close()
    assert session.live.check() is True
    assert calls[id(first_map)] == before[id(first_map)], "the replaced map is not refreshed"
    assert calls[id(page.map)] == before[id(page.map)] + 1
    assert "✓ Eli" in page.map.html.value


# -- a save refreshes only the views of that data --------------------------------------------


def test_a_save_on_step_2_refreshes_only_that_prompt(
    sam: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: one save on step 2 re-read every prompt of the page (about 20 SELECTs)."""
    calls = counting(monkeypatch, PromptForm)
    page = pages.StepPage(sam, 2)
    forms = [w for w in walk(page) if isinstance(w, PromptForm)]
    assert len(forms) >= 3
    form = forms[0]
    selects: list[str] = []
    sam.wb._con.set_trace_callback(
        lambda sql: selects.append(sql) if sql.lstrip().upper().startswith("SELECT") else None
    )
    before = Counter(calls)
    form.answer.value = "We argued about the holidays"
    form.save.click()
    sam.wb._con.set_trace_callback(None)
    assert form.status.kind == "ok", form.status.message
    assert "We argued about the holidays" in form.saved.value
    refreshed = {id(f): calls[id(f)] - before[id(f)] for f in forms}
    assert refreshed == {id(f): int(f is form) for f in forms}
    # The save and one re-read of one prompt (its list and its corrections): a handful of
    # SELECTs, not one round per prompt of the page.
    # 16 before (every prompt re-read); one more since a locked writer is told how many
    # private answers to the prompt wait for the passphrase.
    assert len(selects) <= 6, selects


# -- the contradictions ----------------------------------------------------------------------


def test_an_old_error_clears_when_the_passphrase_is_set(sam: Session) -> None:
    """Issue 20: a red "nothing was saved" stayed under the green "Passphrase set" (step 2)."""
    page = pages.StepPage(sam, 2)
    form = next(w for w in walk(page) if isinstance(w, PromptForm) and w.prompt == "what-happened")
    form.visibility.value = "private"
    form.answer.value = "Only for me"
    form.save.click()
    assert form.status.kind == "error"
    assert "nothing was saved" in form.status.message.lower()

    panel = next(w for w in walk(page) if isinstance(w, PassphrasePanel))
    panel.password.value = panel.confirm.value = "correct horse battery"
    panel.set_button.click()
    assert panel.status.kind == "ok"
    assert "Passphrase set" in panel.status.message
    assert form.status.kind == "", "no red under the green"
    assert form.status.value == ""
    assert form.answer.value == "Only for me", "what was typed stays to be saved now"
    form.save.click()
    assert form.status.kind == "ok", form.status.message


def _set_passphrase_buttons(page: widgets.Widget) -> list[widgets.Button]:
    return [
        w for w in walk(page) if isinstance(w, widgets.Button) and w.description == "Set passphrase"
    ]


def test_step_6_shows_one_passphrase_panel(sam: Session) -> None:
    """Issue 20: step 6 showed three identical "Set passphrase" forms for one partner."""
    page = pages.StepPage(sam, 6)
    private_forms = [
        w for w in walk(page) if isinstance(w, PromptForm) and w.visibility.value == "private"
    ]
    assert len(private_forms) >= 2
    assert len(_set_passphrase_buttons(page)) == 1
    # The forms that need it say where it is.
    assert html_of(page).count("passphrase panel on this page") == len(private_forms)

    panel = next(w for w in walk(page) if isinstance(w, PassphrasePanel))
    panel.password.value = panel.confirm.value = "correct horse battery"
    panel.set_button.click()
    assert _set_passphrase_buttons(page) == []
    assert "passphrase panel on this page" not in html_of(page), "open now: no pointers"


def test_the_panel_moves_to_the_next_form_that_needs_it(sam: Session) -> None:
    """With no page panel, the first private form holds the one panel; when it is set back
    to shared, the next private form shows it."""
    page = pages.StepPage(sam, 2)
    forms = [w for w in walk(page) if isinstance(w, PromptForm) and w.corrections.allow_private]
    first = next(f for f in forms if f.visibility.value == "private")  # private by default
    second = next(f for f in forms if f is not first)
    assert second.visibility.value == "shared"
    assert ELSEWHERE_NOTE not in html_of(page)
    second.visibility.value = "private"
    assert len(_set_passphrase_buttons(page)) == 1
    assert any(isinstance(w, PassphrasePanel) for w in walk(first))
    assert ELSEWHERE_NOTE in html_of(second)
    first.visibility.value = "shared"
    assert len(_set_passphrase_buttons(page)) == 1
    assert any(isinstance(w, PassphrasePanel) for w in walk(second))
    assert ELSEWHERE_NOTE not in html_of(page)
