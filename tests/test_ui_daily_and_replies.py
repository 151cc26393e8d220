"""Issue 22, items 1 and 2 in the pages (widgets, no browser): the question of the day on the
start page, answering each other under shared entries, and what is new since the last visit."""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as widgets
import pytest
from widget_utils import html_of, walk

import workbook
from workbook.markup import esc
from workbook.ui import conversation, trust
from workbook.ui import start as start_ui
from workbook.ui.base import Session
from workbook.ui.daily import DailyQuestionCard, WhatsNew
from workbook.ui.forms import PromptForm
from workbook.ui.replies import ReplyForm, ReplyPanel

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture
def alex_phone(wb: workbook.Workbook) -> Iterator[Session]:
    """Alex on another device: a connection of its own to the same file."""
    other = workbook.open(wb.path)
    yield Session(wb=other, who="b")
    other.close()


def test_the_daily_question_is_revealed_when_both_answered_live(
    sam: Session, alex_phone: Session
) -> None:
    mine = DailyQuestionCard(sam)
    theirs = DailyQuestionCard(alex_phone)
    assert mine.question == theirs.question  # one question a day per workbook
    assert mine.question.text in mine.asked.value
    assert "Neither of you has answered yet" in mine.reveal.value
    assert "rests on trust" in mine.note.value  # no passphrases: said plainly

    mine.answer.value = "A slow walk " + HOSTILE
    mine.save.click()
    assert mine.status.kind == "ok", mine.status.message
    assert "Waiting for Alex" in mine.reveal.value
    assert mine.form.layout.display == "none"  # answered: correct it below instead
    alex_phone.live.check()
    assert "Sam has answered. Answer too to see both." in theirs.reveal.value
    assert "A slow walk" not in html_of(theirs)

    assert mine.status.message.startswith("Saved. Answers are shown side by side once")
    theirs.answer.value = "Coffee in the sun"
    theirs.save.click()
    assert "ht-revealed" in theirs.reveal.value
    # The second answer reveals both: its message says so (it said "once you have both").
    assert theirs.status.message == "Saved. You have both answered: both answers are below."
    assert esc("A slow walk " + HOSTILE) in theirs.reveal.value  # escaped
    assert HOSTILE not in theirs.reveal.value
    # Sam's page shows the reveal without a reload (the page's watcher, ui.live).
    assert "Coffee in the sun" not in mine.reveal.value
    assert sam.live.check()
    assert "Coffee in the sun" in mine.reveal.value
    # And Sam can answer Alex's answer under it.
    assert mine.replies.form is not None
    assert mine.replies.form.layout.display is None
    assert mine.replies.form.entry.label == "Coffee in the sun"


def test_earlier_questions_are_listed(sam: Session, alex: Session) -> None:
    from datetime import date, timedelta

    wb = sam.wb
    yesterday = wb.question_of_the_day(date.today() - timedelta(days=1))
    wb.add_reflection("a", 0, yesterday.prompt, "Sam yesterday", visibility="paired")
    wb.add_reflection("b", 0, yesterday.prompt, "Alex yesterday", visibility="paired")
    card = DailyQuestionCard(sam)
    assert "Earlier questions (1)" in card.earlier.value
    assert esc(yesterday.text) in card.earlier.value
    assert "Alex yesterday" in card.earlier.value
    assert card.question.prompt != yesterday.prompt


def test_locked_partner_answers_only_with_their_passphrase(sam: Session) -> None:
    sam.wb.set_passphrase("a", "sam's long passphrase")
    sam.privacy.lock()
    card = DailyQuestionCard(sam)
    assert card.form.layout.display == "none"
    assert "Type your passphrase" in card.note.value


def _answer_panel(form: widgets.Widget) -> ReplyPanel:
    [panel] = [w for w in walk(form) if isinstance(w, ReplyPanel)]
    return panel


def _form(panel: ReplyPanel) -> ReplyForm:
    assert panel.form is not None, "the answer controls are built once there is one to answer"
    return panel.form


def test_answering_an_i_statement_then_correcting_and_deleting(
    sam: Session, alex_phone: Session
) -> None:
    sams = conversation.IStatementBuilder(sam)
    sams.feeling.value, sams.situation.value, sams.need.value = "tired", "plans change", "a text"
    sams.save.click()
    assert _answer_panel(sams).form is None  # nothing to answer: no controls built
    alexs = conversation.IStatementBuilder(alex_phone)
    panel = _answer_panel(alexs)
    form = _form(panel)
    assert form.layout.display is None
    assert form.entry.label.startswith("I feel tired")
    [ack] = [b for b in form.acks if b.description == "I hear you"]
    ack.click()
    assert panel.status.kind == "ok", panel.status.message
    [reply] = sam.wb.replies(viewer="a")
    assert (reply.author, reply.text) == ("b", "I hear you")
    assert "You answered “I feel tired" in panel.shown.value  # Alex's own, on Alex's page
    assert form.send.description == "Save the change"
    # Sam's page shows it once the watcher sees the save.
    assert sam.live.check()
    assert "Alex answered “I feel tired" in _answer_panel(sams).shown.value
    # Alex corrects it, then deletes it.
    form.text.value = "That makes sense " + HOSTILE
    form.send.click()
    assert [r.text for r in sam.wb.replies(viewer="a")] == ["That makes sense " + HOSTILE]
    assert HOSTILE not in panel.shown.value
    form.text.value = ""
    form.send.click()
    assert panel.status.kind == "error"  # an empty answer changes nothing
    assert [r.text for r in sam.wb.replies(viewer="a")] == ["That makes sense " + HOSTILE]
    form.delete.click()
    assert sam.wb.replies(viewer="a") == []
    assert panel.shown.value == ""
    # Hiding "Delete my answer" hides that button only (buttons share a layout otherwise).
    assert form.delete.layout.display == "none"
    assert sams.save.layout.display is None
    assert form.send.layout.display is None


def test_private_entries_get_no_answer(sam: Session, alex_phone: Session) -> None:
    sam.wb.set_passphrase("a", "sam's long passphrase")
    sam.wb.add_reflection("a", 6, "journal", "only mine", visibility="private")
    form = PromptForm(sam, 6, "journal", "Journal", "Write")
    assert _answer_panel(form).entries == []
    other = PromptForm(alex_phone, 6, "journal", "Journal", "Write")
    assert _answer_panel(other).form is None
    assert "only mine" not in html_of(other)


def test_answering_a_promise(sam: Session, alex_phone: Session) -> None:
    sam.wb.add_promise("a", "cook on Fridays")
    ledger = trust.PromiseLedger(alex_phone)
    panel = _answer_panel(ledger)
    [thanks] = [b for b in _form(panel).acks if b.description == "Thank you"]
    thanks.click()
    assert [r.entry_table for r in sam.wb.replies(viewer="a")] == ["promises"]


def test_the_start_page_says_what_is_new_and_asks_the_question(
    wb: workbook.Workbook, alex_phone: Session
) -> None:
    first = start_ui.StartPage(wb.name, "a")
    assert "Question of the day" in html_of(first)
    [news] = [w for w in walk(first) if isinstance(w, WhatsNew)]
    assert news.layout.display == "none"  # a first visit: nothing is "new"
    appreciation = wb.add_reflection("a", 7, "appreciation", "Thank you for dinner")
    assert appreciation.id is not None
    alex_phone.wb.add_reply("b", "reflections", appreciation.id, "Anytime")
    q = wb.question_of_the_day()
    alex_phone.wb.add_reflection("b", 0, q.prompt, "Alex's answer", visibility="paired")
    again = start_ui.StartPage(wb.name, "a")
    [news] = [w for w in walk(again) if isinstance(w, WhatsNew)]
    assert news.items() == [
        "Alex answered your appreciation: “Anytime”",
        "Alex answered today's question.",
    ]
    assert news.layout.display is None
    # Choosing again on the same page (a rename) keeps the news of this visit.
    assert again.visits["a"] is not None


@pytest.mark.parametrize("where", ["step 3", "daily"])
def test_lock_takes_a_revealed_answer_out_of_the_answer_chooser(
    sam: Session, alex_phone: Session, where: str
) -> None:
    from workbook.steps import EMPATHY
    from workbook.ui import empathy

    sam.wb.set_passphrase("a", "sam's long passphrase")
    if where == "daily":
        prompt, step = sam.wb.question_of_the_day().prompt, 0
    else:
        prompt, step = "perspective-feel", 3
    sam.wb.add_reflection("a", step, prompt, "Sam's side", visibility="paired")
    alex_phone.wb.add_reflection("b", step, prompt, "ALEX-SECRET-SIDE", visibility="paired")
    view: widgets.Widget = (
        DailyQuestionCard(sam)
        if where == "daily"
        else empathy.PerspectiveTaking(sam, EMPATHY.exercise(prompt))
    )
    form = _form(_answer_panel(view))
    assert form.entry.label == "ALEX-SECRET-SIDE"
    sam.privacy.lock()
    assert "ALEX-SECRET-SIDE" not in html_of(view)
    assert form.entry.options == ()
    assert form.layout.display == "none"


def test_the_start_page_opens_when_the_visit_cannot_be_written(
    wb: workbook.Workbook, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from workbook.store import CannotSave

    def full(*_: object, **__: object) -> None:
        raise CannotSave("The disk is full.")

    monkeypatch.setattr(workbook.Workbook, "record_visit", full)
    page = start_ui.StartPage(wb.name, "a")
    assert "Hello, Sam" in html_of(page)
    assert "Question of the day" in html_of(page)
    assert page.visits == {"a": None}
    assert "visit could not be recorded" in caplog.text


def test_news_arrives_on_an_open_start_page(wb: workbook.Workbook, alex_phone: Session) -> None:
    appreciation = wb.add_reflection("a", 7, "appreciation", "Thank you for dinner")
    assert appreciation.id is not None
    start_ui.StartPage(wb.name, "a").session.close()  # an earlier visit
    page = start_ui.StartPage(wb.name, "a")
    [news] = [w for w in walk(page) if isinstance(w, WhatsNew)]
    assert news.layout.display == "none"
    alex_phone.wb.add_reply("b", "reflections", appreciation.id, "Anytime")
    assert page.session is not None
    assert page.session.live.check()
    assert news.layout.display is None
    assert "Alex answered your appreciation: “Anytime”" in html_of(news)


def test_a_locked_partners_news_waits_for_them(wb: workbook.Workbook, alex_phone: Session) -> None:
    """On a shared laptop, "I am Sam" without Sam's passphrase neither shows Sam's news nor
    uses it up (found in the wary-partner walk)."""
    wb.set_passphrase("a", "sam's long passphrase")
    appreciation = wb.add_reflection("a", 7, "appreciation", "Thank you for dinner")
    assert appreciation.id is not None
    wb.record_visit("a")
    before = wb.last_visit("a")
    alex_phone.wb.add_reply("b", "reflections", appreciation.id, "Anytime")
    wb.lock("a")
    locked = start_ui.StartPage(wb.name, "a")
    [news] = [w for w in walk(locked) if isinstance(w, WhatsNew)]
    assert news.layout.display == "none"
    assert "Anytime" not in html_of(locked)
    assert wb.last_visit("a") == before, "the visit was used up by someone without the key"
    assert locked.session is not None
    # Sam herself unlocks on this page: the news waiting shows at once, no reload (found in
    # the Spanish walk: it showed only after reloading).
    locked.session.privacy.unlock("sam's long passphrase")
    assert news.items() == ["Alex answered your appreciation: “Anytime”"]
    assert news.layout.display is None
    assert "Anytime" in html_of(locked)
    assert wb.last_visit("a") != before, "her visit counts from now"


def test_the_same_answer_pressed_twice_changes_nothing(sam: Session, alex_phone: Session) -> None:
    appreciation = sam.wb.add_reflection("a", 7, "appreciation", "Thank you for dinner")
    assert appreciation.id is not None
    panel = _answer_panel(PromptForm(alex_phone, 7, "appreciation", "Appreciations", "Write"))
    form = _form(panel)
    [ack] = [b for b in form.acks if b.description == "Thank you"]
    ack.click()
    assert panel.status.message.startswith("Sent.")
    [first] = alex_phone.wb.replies(viewer="b")
    ack.click()
    assert panel.status.message == "You have sent that answer already; nothing changed."
    [again] = alex_phone.wb.replies(viewer="b")
    assert again.version == first.version


def test_the_start_page_links_the_counsellors_page(wb: workbook.Workbook) -> None:
    page = start_ui.StartPage(wb.name, "a")
    assert "12_counsellor.ipynb" in html_of(page)
    assert "A report for your counsellor" in html_of(page)


def test_an_answer_to_words_changed_since_says_so(sam: Session, alex_phone: Session) -> None:
    """Found in the newcomer walk: Sam corrected an "I" statement after Alex's "I hear you",
    and the answer then stood under words Alex never saw."""
    entry = sam.wb.add_reflection("a", 7, "appreciation", "Thank you for dinner")
    assert entry.id is not None
    panel = _answer_panel(PromptForm(alex_phone, 7, "appreciation", "Appreciations", "Write"))
    [ack] = [b for b in _form(panel).acks if b.description == "I hear you"]
    ack.click()
    assert "(before" not in panel.shown.value
    [(_, version)] = [(r.text, r.version) for r in sam.wb.reflections(7, "appreciation")]
    sam.wb.edit_reflection(entry.id, author="a", text="Thank you for the walk", version=version)
    shown = _answer_panel(PromptForm(alex_phone, 7, "appreciation", "Appreciations", "Write"))
    assert "You answered “Thank you for the walk” (before Sam changed it):" in shown.shown.value
    # Alex answers again, having read the new words: the note goes.
    [again] = [b for b in _form(shown).acks if b.description == "Thank you"]
    again.click()
    assert shown.status.kind == "ok", shown.status.message
    fresh = _answer_panel(PromptForm(alex_phone, 7, "appreciation", "Appreciations", "Write"))
    assert "(before" not in fresh.shown.value
    assert "Thank you" in fresh.shown.value
