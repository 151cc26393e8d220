"""Issue 11 without a browser: one unlock per sitting, lock hides at once, private says what it
hides, and "who is writing" cannot be borrowed to read what only one partner may see."""

from __future__ import annotations

import base64
import sqlite3
from collections.abc import Callable

import pytest
from widget_utils import html_of, walk

from workbook import privacy
from workbook.store import QUIET_SECONDS, Workbook, open_workbook
from workbook.ui import empathy, pages
from workbook.ui.base import Session
from workbook.ui.checkin import PRIVATE_CHECKIN_LABEL, CheckInForm
from workbook.ui.exercises import step_exercises
from workbook.ui.forms import PromptForm
from workbook.ui.passphrase import InlinePrivacy, PassphrasePanel
from workbook.ui.sitting import PrivateState, cookie_name
from workbook.ui.trends import TrendsDashboard

PASS = "blue kettle on a quiet morning"
PASS_B = "green lantern by the river"


@pytest.fixture
def book(new_book: Callable[[str, str, str], Workbook]) -> Workbook:
    """A new workbook for River (a) and Sky (b)."""
    return new_book("river-and-sky", "River", "Sky")


def page_book(wb: Workbook) -> Workbook:
    """The same workbook as another page's kernel sees it: its own connection, no keys."""
    return open_workbook(wb.path)


def session(wb: Workbook, who: str, cookies: dict[str, str] | None = None) -> Session:
    return Session(wb=wb, who=who, cookies=cookies)  # type: ignore[arg-type]


# -- the store's sittings --------------------------------------------------------------------


def test_a_sitting_carries_the_unlock_to_another_page_and_nothing_else_can(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    token = book.open_sitting("a")
    other_page = page_book(book)
    assert not other_page.is_unlocked("a")
    assert other_page.resume_sitting("a", token)
    assert other_page.is_unlocked("a")
    # Not for the other partner, not with a changed secret, not with nonsense.
    third = page_book(book)
    assert not third.resume_sitting("b", token)
    sid, secret = token.split(".")
    forged = sid + "." + ("A" if secret[0] != "A" else "B") + secret[1:]
    assert not third.resume_sitting("a", forged)
    for junk in ("", "x", "a.b.c", None, 42, "." * 300):
        assert not third.resume_sitting("a", junk)
    assert not third.is_unlocked("a")
    other_page.close()
    third.close()


def test_nothing_that_opens_private_text_is_on_disk(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    key = book._keys["a"]
    token = book.open_sitting("a")
    secret = token.split(".")[1]
    raw = b"".join(p.read_bytes() for p in book.path.parent.glob(book.path.name + "*"))
    assert key not in raw, "the key itself is never written"
    assert secret.encode() not in raw, "the browser's half is never written"
    assert PASS.encode() not in raw


def test_lock_ends_every_sitting_and_a_quiet_sitting_ends_itself(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    first, second = book.open_sitting("a"), book.open_sitting("a")
    assert book.end_sittings("a") == 2
    assert not book.is_unlocked("a")
    assert not page_book(book).resume_sitting("a", first)
    assert not page_book(book).resume_sitting("a", second)

    book.unlock("a", PASS)
    token = book.open_sitting("a")
    assert not page_book(book).resume_sitting("a", token, quiet=-1), "quiet too long"
    assert not page_book(book).resume_sitting("a", token), "and it is gone for good"


def test_a_new_passphrase_ends_the_sittings_of_the_old_one(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    token = book.open_sitting("a")
    book.set_passphrase("a", PASS + " again", old=PASS)
    assert not page_book(book).resume_sitting("a", token)


def test_sittings_are_never_exported(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    sid = book.open_sitting("a").split(".")[0]
    assert sid not in book.export_json()
    con = sqlite3.connect(book.path)
    assert con.execute("SELECT COUNT(*) FROM sittings").fetchone()[0] == 1
    con.close()


# -- one owner of the page's private state ---------------------------------------------------


def test_unlocking_on_one_page_serves_the_next_through_its_cookie(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    book.lock("a")
    first = session(book, "a", cookies={})
    first.privacy.unlock(PASS)
    token = book.open_sitting("a")  # what the page does when served (the cookie's value)
    nxt = session(page_book(book), "a", cookies={cookie_name(book.name, "a"): token})
    assert nxt.privacy.unlocked
    wrong_cookie = {cookie_name("another-book", "a"): token}
    assert not session(page_book(book), "a", cookies=wrong_cookie).privacy.unlocked


def test_lock_removes_every_private_text_from_the_page_at_once(book: Workbook) -> None:
    """Regression: 'Your last check-ins' still showed the private note after locking."""
    s = session(book, "a")
    checkin = CheckInForm(s)
    checkin.private.value = True
    [inline] = [w for w in walk(checkin) if isinstance(w, InlinePrivacy)]
    panel = inline.panel
    assert panel is not None, "a passphrase is offered right there"
    assert panel.mode == "set"
    assert "nobody can open your private entries" in panel.info.value
    panel.password.value = panel.confirm.value = PASS
    panel.set_button.click()
    assert panel.status.kind == "ok", panel.status.message
    checkin.mood.value, checkin.trust.value = 4, 6
    checkin.note.value = "SECRET-NOTE-17"
    checkin.save.click()
    assert checkin.status.kind == "ok", checkin.status.message
    journal = next(w for w in step_exercises(s, 6) if isinstance(w, PromptForm))
    journal.answer.value = "SECRET-JOURNAL-9"
    journal.save.click()
    assert journal.status.message == "Saved privately."
    page = pages.StepPage(s, 6)
    assert "SECRET-JOURNAL-9" in html_of(page)
    assert "SECRET-NOTE-17" in html_of(checkin)

    s.privacy.lock()
    for view in (page, checkin, journal):
        assert "SECRET" not in html_of(view), "lock hides private text from every view"
    assert not book.is_unlocked("a")


def test_a_page_left_quiet_locks_itself(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    book.lock("a")
    now = [1000.0]
    s = Session(wb=book, who="a")
    s._privacy = PrivateState(s, cookies={}, quiet=600, clock=lambda: now[0])
    form = PromptForm(
        s, 6, "journal", "Journal", "What is on my mind?", default_visibility="private"
    )
    s.privacy.unlock(PASS)
    form.answer.value = "QUIET-WORDS"
    form.save.click()
    assert "QUIET-WORDS" in form.saved.value
    now[0] += 599
    s.privacy.check()
    assert s.privacy.unlocked
    now[0] += 2
    s.privacy.check()
    assert not s.privacy.unlocked
    assert "QUIET-WORDS" not in form.saved.value


# -- private wherever private is offered -----------------------------------------------------


def test_pain_not_shared_before_can_be_kept_private_on_its_own_page(book: Workbook) -> None:
    s = session(book, "a")
    form = next(w for w in step_exercises(s, 2) if getattr(w, "prompt", "") == "unshared-pain")
    assert form.visibility.value == "private"
    panel = form.unlock_here.panel
    assert panel is not None
    assert panel.mode == "set"
    panel.password.value = panel.confirm.value = PASS
    panel.set_button.click()
    assert panel.mode == "unlocked"
    assert "Passphrase set" in panel.status.message, "the answer shows where it was asked"
    other_form = next(
        w for w in step_exercises(s, 2) if getattr(w, "prompt", "") == "unshared-pain"
    )
    assert other_form.unlock_here.children == (), "no passphrase asked again once unlocked"
    form.answer.value = "UNSHARED-PAIN-3"
    form.save.click()
    assert form.status.message == "Saved privately."
    assert book.reflections(2, "unshared-pain", viewer="b") == []


@pytest.mark.usefixtures("low_dpi_charts")
def test_a_private_checkin_hides_its_numbers_and_the_partner_is_told_how_many(
    book: Workbook,
) -> None:
    assert "mood, trust and note" in PRIVATE_CHECKIN_LABEL
    book.set_passphrase("a", PASS)
    book.add_checkin("a", 2, 3, "", visibility="private")
    book.add_checkin("a", 7, 7, "shared day")
    assert [c.mood for c in book.checkins(viewer="b")] == [7]
    dash = TrendsDashboard(session(page_book(book), "b"))
    assert "River has 1 private check-in in this period; the charts leave it out." in (
        dash.hidden.value
    )
    mine = TrendsDashboard(session(book, "a"))
    assert mine.hidden.value == "", "unlocked: nothing of one's own is left out"


def _private_checkin_form(wb: Workbook) -> CheckInForm:
    form = CheckInForm(session(wb, "a"))
    form.mood.value, form.trust.value = 4, 6
    form.note.value = "TYPED-THEN-SAVED"
    form.private.value = True
    return form


def test_a_passphrase_typed_but_not_sent_opens_with_the_save(book: Workbook) -> None:
    """Seen in a walk: the passphrase typed in the check-in's panel, then "Save check-in"
    pressed instead of "Unlock"; nothing was saved. The save now opens with it first."""
    book.set_passphrase("a", PASS)
    form = _private_checkin_form(page_book(book))
    panel = form.unlock_here.panel
    assert panel is not None
    assert panel.mode == "unlock"
    panel.password.value = PASS
    form.save.click()
    assert form.status.kind == "ok", form.status.message
    assert "Only you can see it" in form.status.message
    assert "Unlocked" in panel.status.message
    assert panel.password.value == "", "the passphrase does not stay in the page"
    assert [c.note for c in book.checkins(viewer="a")] == ["TYPED-THEN-SAVED"]


def test_a_first_passphrase_typed_twice_is_set_by_the_save(book: Workbook) -> None:
    s = session(book, "a")
    form = next(w for w in step_exercises(s, 2) if getattr(w, "prompt", "") == "unshared-pain")
    panel = form.unlock_here.panel
    assert panel is not None
    assert panel.mode == "set"
    panel.password.value = panel.confirm.value = PASS
    form.answer.value = "SET-BY-SAVE"
    form.save.click()
    assert form.status.message == "Saved privately."
    assert "Passphrase set" in panel.status.message
    assert [r.text for r in book.reflections(2, "unshared-pain", viewer="a")] == ["SET-BY-SAVE"]


def test_a_first_passphrase_typed_once_asks_for_it_again(book: Workbook) -> None:
    """The wary-partner walk: typed once, "Save check-in" pressed, and the page said the two
    passphrases were not the same (she had typed one) and emptied the box."""
    form = _private_checkin_form(book)
    panel = form.unlock_here.panel
    assert panel is not None
    assert panel.mode == "set"
    panel.password.value = PASS
    form.save.click()
    assert form.status.kind == "error"
    assert "second time" in form.status.message
    assert panel.password.value == PASS, "what she typed stays, to be typed again below"
    panel.confirm.value = PASS
    form.save.click()
    assert form.status.kind == "ok", form.status.message
    assert [c.note for c in book.checkins(viewer="a")] == ["TYPED-THEN-SAVED"]


def test_a_wrong_passphrase_typed_before_the_save_saves_nothing(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    form = _private_checkin_form(page_book(book))
    panel = form.unlock_here.panel
    assert panel is not None
    panel.password.value = "not my passphrase at all"
    form.save.click()
    assert form.status.kind == "error"
    assert "passphrase" in form.status.message.lower(), form.status.message
    assert form.note.value == "TYPED-THEN-SAVED", "the words wait in the form"
    assert panel.password.value == ""
    assert book.checkins() == []
    assert book.private_checkin_count("a") == 0


def test_a_private_checkin_needs_the_passphrase_even_without_a_note(book: Workbook) -> None:
    with pytest.raises(privacy.Locked):
        book.add_checkin("a", 5, 5, visibility="private")
    assert book.checkins() == []


# -- who is writing cannot be borrowed -------------------------------------------------------


def test_step3_reveal_cannot_be_read_by_opening_the_page_as_the_other(book: Workbook) -> None:
    """Regression: with Sky answered and River not, who=b showed Sky's answer to anyone."""
    sky = session(book, "b")
    sky.privacy.set_passphrase(PASS_B, PASS_B)
    feel = next(w for w in step_exercises(sky, 3) if isinstance(w, empathy.PerspectiveTaking))
    feel.answer.value = "SKY-PERSPECTIVE-1"
    feel.save.click()
    assert feel.status.kind == "ok", feel.status.message

    # Someone else at the keyboard opens step 3 as Sky, without Sky's passphrase.
    borrowed = session(page_book(book), "b")
    page = pages.StepPage(borrowed, 3)
    assert "SKY-PERSPECTIVE-1" not in html_of(page)
    assert "type your passphrase" in html_of(page)
    with pytest.raises(privacy.Locked):
        borrowed.wb.add_reflection("b", 3, "perspective-feel", "fake", visibility="paired")
    # River (no passphrase yet) sees neither the answer nor a way around it, and is told
    # plainly that without a passphrase the reveal rests on trust.
    river = pages.StepPage(session(page_book(book), "a"), 3)
    assert "SKY-PERSPECTIVE-1" not in html_of(river)
    assert "rests on trust" in html_of(river)
    # Sky, unlocked, sees their own answer.
    assert "SKY-PERSPECTIVE-1" in html_of(pages.StepPage(sky, 3))


def test_passphrase_panels_all_follow_the_one_owner(book: Workbook) -> None:
    s = session(book, "a")
    panels = [PassphrasePanel(s.privacy), PassphrasePanel(s.privacy, compact=False)]
    panels[0].password.value = panels[0].confirm.value = PASS
    panels[0].set_button.click()
    assert [p.mode for p in panels] == ["unlocked", "unlocked"]
    panels[1].lock_button.click()
    assert [p.mode for p in panels] == ["unlock", "unlock"]


def test_the_page_request_is_awaited_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: reading the cookies after the query waited a second time for a request
    Voila sends only once, and the page never finished loading."""
    import json

    import websockets.sync.client

    from workbook import request

    calls = []

    class Socket:
        def __enter__(self) -> Socket:
            return self

        def __exit__(self, *exc: object) -> None:
            return None

        def recv(self, timeout: float | None = None) -> str:
            if calls[1:]:
                raise TimeoutError("Voila sends the request only once")
            return json.dumps({"QUERY_STRING": "wb=x&who=a", "HTTP_COOKIE": "ht_sit_1_a=t; s=9"})

    def connect(url: str, **kw: object) -> Socket:
        calls.append(url)
        return Socket()

    monkeypatch.setattr(websockets.sync.client, "connect", connect)
    monkeypatch.setattr(request, "_request_received", False)
    monkeypatch.setattr(request, "_cookies", None)
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "k1")
    monkeypatch.delenv("HTTP_COOKIE", raising=False)
    monkeypatch.setenv("QUERY_STRING", "")  # restored afterwards; the request sets it
    assert request.request_query() == {"wb": "x", "who": "a"}
    assert request.request_cookies() == {"ht_sit_1_a": "t"}, "only this app's cookies"
    assert "HTTP_COOKIE" not in __import__("os").environ, "the Cookie header is dropped"
    assert len(calls) == 1


def test_a_passphrase_with_half_an_emoji_gets_a_message(book: Workbook) -> None:
    s = session(book, "a")
    panel = PassphrasePanel(s.privacy)
    broken = "quiet river \ud83d stones"
    panel.password.value = panel.confirm.value = broken
    panel.set_button.click()
    assert panel.status.kind == "error"
    assert "broken character" in panel.status.message
    assert not book.has_passphrase("a")
    book.set_passphrase("a", PASS)
    book.lock("a")
    with pytest.raises(privacy.ValidationError, match="broken character"):
        book.unlock("a", broken)


def test_checking_a_sitting_writes_nothing_and_sees_a_lock_elsewhere(book: Workbook) -> None:
    """An open page checks its sitting every half minute: read only, so the partner's pages,
    which watch the file for news, are not woken for nothing."""
    book.set_passphrase("a", PASS)
    token = book.open_sitting("a")
    page_wb = page_book(book)
    s = session(page_wb, "a", cookies={cookie_name(book.name, "a"): token})
    assert s.privacy.unlocked
    watcher = page_book(book)
    seen = watcher.data_version()
    s.privacy.check()
    assert watcher.data_version() == seen, "no write"
    assert s.privacy.unlocked
    book.end_sittings("a")  # "Lock" pressed in another tab
    s.privacy.check()
    assert not s.privacy.unlocked


# -- an ended sitting leaves nothing that opens private text (issue 18, item 3) ---------------


def file_bytes(wb: Workbook) -> bytes:
    """Everything of the workbook on disk: the file, its WAL and its shared-memory index."""
    return b"".join(p.read_bytes() for p in sorted(wb.path.parent.glob(wb.path.name + "*")))


def sitting_traces(wb: Workbook, token: str) -> list[bytes]:
    """What opens the key if found together: the sealed key, its id and the browser's secret."""
    sid, secret_text = token.split(".")
    con = sqlite3.connect(wb.path)
    wrapped = con.execute("SELECT wrapped FROM sittings WHERE id = ?", (sid,)).fetchone()[0]
    con.close()
    secret = base64.urlsafe_b64decode(secret_text + "=" * (-len(secret_text) % 4))
    return [wrapped, sid.encode(), secret, secret_text.encode()]


def open_then_end(wb: Workbook, end: Callable[[Workbook, str], None]) -> list[bytes]:
    """Open a sitting, use it from another page, end it with `end`; returns what was sealed."""
    wb.set_passphrase("a", PASS)
    wb.add_reflection("a", 6, "journal", "only mine", visibility="private")
    token = wb.open_sitting("a")
    other = page_book(wb)  # another page of the sitting, still open while it ends
    assert other.resume_sitting("a", token)
    traces = sitting_traces(wb, token)
    assert traces[0] in file_bytes(wb), "the sealed key is in the file while the sitting runs"
    end(wb, token)
    assert sitting_count(wb) == 0
    assert not page_book(wb).resume_sitting("a", token)
    other.close()
    return traces


def sitting_count(wb: Workbook) -> int:
    con = sqlite3.connect(wb.path)
    try:
        return int(con.execute("SELECT COUNT(*) FROM sittings").fetchone()[0])
    finally:
        con.close()


def lock_button(wb: Workbook, token: str) -> None:
    session(wb, "a", cookies={}).privacy.lock()


def other_writer(wb: Workbook, token: str) -> None:
    # The start page of a browser whose cookie holds River's sitting: "I am Sky".
    cookies = {cookie_name(wb.name, "a"): token}
    session(page_book(wb), "b", cookies=cookies).privacy.end_other_writer()


def quick_exit(wb: Workbook, token: str) -> None:
    # The exit's message reaches a page of the sitting (healing.js presses its hidden button).
    session(page_book(wb), "a", cookies={cookie_name(wb.name, "a"): token}).privacy.left()


def quiet_timeout(wb: Workbook, token: str) -> None:
    con = sqlite3.connect(wb.path)
    con.execute("UPDATE sittings SET last_used = last_used - ?", (QUIET_SECONDS + 1,))
    con.commit()
    con.close()
    page_book(wb).close()  # any open of the workbook, by any page, purges quiet sittings


def passphrase_change(wb: Workbook, token: str) -> None:
    wb.set_passphrase("a", PASS_B, old=PASS)


@pytest.mark.parametrize(
    "end", [lock_button, other_writer, quick_exit, quiet_timeout, passphrase_change]
)
def test_an_ended_sitting_leaves_nothing_in_the_file_or_its_wal(
    book: Workbook, end: Callable[[Workbook, str], None]
) -> None:
    traces = open_then_end(book, end)
    raw = file_bytes(book)
    for trace in traces:
        assert trace not in raw
    wal = book.path.with_name(book.path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0, "the WAL was emptied"


def test_a_quiet_sitting_is_purged_by_any_open_page_of_either_partner(book: Workbook) -> None:
    book.set_passphrase("a", PASS)
    token = book.open_sitting("a")
    traces = sitting_traces(book, token)
    partner_page = session(page_book(book), "b", cookies={})  # only Sky has a page open
    con = sqlite3.connect(book.path)
    con.execute("UPDATE sittings SET last_used = last_used - ?", (QUIET_SECONDS + 1,))
    con.commit()
    con.close()
    partner_page.privacy._tick_work()  # what the page's half-minute timer does
    assert sitting_count(book) == 0
    raw = file_bytes(book)
    assert not any(trace in raw for trace in traces)


def test_choosing_another_writer_ends_the_first_writers_sitting_in_this_browser(
    book: Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 18: River unlocks, "not you?", "I am Sky"; then "I am River" must ask again."""
    from workbook import request
    from workbook.ui import sitting, start

    book.set_passphrase("a", PASS)
    book.add_reflection("a", 6, "journal", "only mine", visibility="private")
    river_token = book.open_sitting("a")
    jar = {cookie_name(book.name, "a"): river_token}
    # The start page's request carried River's sitting cookie, as it does after "not you?".
    monkeypatch.setattr(sitting, "served_by_voila", lambda: True)
    monkeypatch.setattr(request, "request_cookies", lambda: dict(jar))
    page = start.StartPage(wb_name=book.name)
    page.choose("b")
    assert sitting_count(book) == 0, "River's sitting ended with the choice"
    bridge = page.session.privacy.bridge.value
    assert "data-op='end'" in bridge
    assert cookie_name(book.name, "a") in bridge
    # Whoever picks "I am River" next, even with the old cookie, finds the journal locked.
    river_again = session(page_book(book), "a", cookies=jar)
    assert not river_again.privacy.unlocked
    assert "only mine" not in html_of(pages.StepPage(river_again, 6))
    # Choosing the same writer again (a rename, a reload) ends nothing.
    sky = page.session
    page.choose("b")
    assert page.session is sky


def test_a_locked_prompt_counts_its_private_answers_instead_of_saying_none(
    book: Workbook,
) -> None:
    """The wary-partner walk: step 6, locked, said "No journal entries yet" right under "You
    have 2 private entries"."""
    book.set_passphrase("a", PASS)
    book.add_reflection("a", 6, "journal", "ONLY-MINE", visibility="private")

    def journal(s: Session) -> PromptForm:
        return next(w for w in step_exercises(s, 6) if getattr(w, "prompt", "") == "journal")

    locked = journal(session(page_book(book), "a"))
    assert "You have 1 private answer here; unlock to see it." in locked.saved.value
    assert "No journal entries yet" not in locked.saved.value
    assert "ONLY-MINE" not in locked.saved.value
    partner = journal(session(page_book(book), "b"))
    assert "private answer" not in partner.saved.value, "the partner is told nothing of it"
    assert "No journal entries yet" in partner.saved.value
    mine = journal(session(book, "a"))  # unlocked
    assert "ONLY-MINE" in mine.saved.value
    assert "private answer here" not in mine.saved.value
