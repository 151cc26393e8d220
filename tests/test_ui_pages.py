"""Forms and pages driven in plain pytest: set values, click, assert on the store."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest
from markupsafe import escape
from widget_utils import html_of, walk

import workbook
from workbook.content import AGREEMENTS, SITUATIONS
from workbook.markup import esc
from workbook.steps import EMPATHY
from workbook.ui import conversation, empathy, pages, pain, trust
from workbook.ui import start as start_ui
from workbook.ui.base import Session, page_url, resolve_session
from workbook.ui.checkin import CheckInForm
from workbook.ui.forms import PromptForm, StepDoneForm

HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"


_walk = walk
_html = html_of


def test_checkin_form_saves_and_shows(sam: Session) -> None:
    form = CheckInForm(sam)
    form.mood.value, form.trust.value, form.note.value = 7, 4, "Walked together"
    form.save.click()
    [c] = sam.wb.checkins()
    assert (c.author, c.mood, c.trust, c.note, c.visibility) == (
        "a",
        7,
        4,
        "Walked together",
        "shared",
    )
    assert form.status.kind == "ok"
    assert "mood 7, trust 4" in form.status.message
    assert "Walked together" in form.recent.value
    assert form.note.value == ""


def test_checkin_private_note_needs_a_passphrase(sam: Session) -> None:
    form = CheckInForm(sam)
    form.mood.value, form.trust.value = 4, 4
    form.note.value, form.private.value = "just for me", True
    form.save.click()
    assert form.status.kind == "error"
    assert "passphrase" in form.status.message
    assert sam.wb.checkins(viewer="a") == []
    sam.wb.set_passphrase("a", "a long passphrase")
    form.save.click()
    assert [c.visibility for c in sam.wb.checkins(viewer="a")] == ["private"]
    assert sam.wb.checkins(viewer="b") == []


def test_prompt_form_escapes_and_shares(sam: Session, alex: Session) -> None:
    form = PromptForm(sam, 2, "what-happened", "What happened", "What happened?")
    form.answer.value = HOSTILE
    form.save.click()
    assert form.status.kind == "ok"
    assert HOSTILE not in form.saved.value
    assert esc(HOSTILE) in form.saved.value
    other = PromptForm(alex, 2, "what-happened", "What happened", "What happened?")
    assert esc(HOSTILE) in other.saved.value


def test_prompt_form_refuses_empty_and_huge(sam: Session) -> None:
    form = PromptForm(sam, 2, "what-happened", "What happened", "What happened?")
    form.answer.value = "   "
    form.save.click()
    assert form.status.kind == "error"
    assert "empty" in form.status.message
    form.answer.value = "x" * 100_000
    form.save.click()
    assert "too long" in form.status.message
    assert sam.wb.reflections() == []
    assert form.answer.value == "x" * 100_000  # nothing the person wrote is thrown away


def test_private_prompt_is_hidden_from_partner(sam: Session, alex: Session) -> None:
    sam.wb.set_passphrase("a", "a long passphrase")
    form = PromptForm(sam, 2, "unshared-pain", "t", "q", default_visibility="private")
    form.answer.value = "only mine"
    form.save.click()
    assert "privately" in form.status.message
    assert "only mine" in form.saved.value
    theirs = PromptForm(alex, 2, "unshared-pain", "t", "q")
    assert "only mine" not in theirs.saved.value


def test_step_done_form(sam: Session, alex: Session) -> None:
    form = StepDoneForm(sam, 1)
    form.how.value = "Hard, then better"
    form.done.click()
    assert sam.wb.steps_done("a") == {1}
    assert "Hard, then better" in StepDoneForm(alex, 1).state.value


def test_blaming_forms_are_flagged() -> None:
    assert conversation.blaming_forms("You always leave me waiting")
    assert conversation.blaming_forms("you NEVER listen")
    assert conversation.blaming_forms("You're so selfish")
    assert conversation.blaming_forms("I feel alone when the evening goes quiet") == []


def test_i_statement_builder(sam: Session) -> None:
    form = conversation.IStatementBuilder(sam)
    form.feeling.value = "hurt"
    form.situation.value = "you always cancel plans"
    assert "“you always”" in form.warning.value
    assert "I feel hurt when you always cancel plans." in form.preview.value
    form.situation.value = "plans change without a word"
    form.need.value = "a message when things change"
    assert form.warning.value == ""
    form.save.click()
    [r] = sam.wb.reflections(1, "i-statement")
    assert r.text == (
        "I feel hurt when plans change without a word, and I need a message when things change."
    )
    assert form.feeling.value == ""
    form.save.click()
    assert "Add a feeling and the situation" in form.status.message


def test_agreements(sam: Session) -> None:
    form = conversation.AgreementsForm(sam)
    form.save.click()
    assert form.status.kind == "error"
    form.boxes[0].value = True
    form.own.value = "No phones at dinner"
    form.save.click()
    [r] = sam.wb.reflections(1, "agreements")
    assert r.text.splitlines() == [AGREEMENTS[0], "No phones at dinner"]


def test_a_blaming_statement_is_shared_only_after_its_note_was_shown(sam: Session) -> None:
    """The note says how it may land, below the button, and shows when a box is left: a
    press straight from the box shared the sentence before its writer could read the note."""
    form = conversation.IStatementBuilder(sam)
    form.feeling.value = "hurt"
    form.situation.value = "you never listen"
    form.save.click()
    assert sam.wb.reflections(1, "i-statement") == []
    assert form.status.kind == "info"
    assert form.status.message.startswith("Not shared yet. Read the note below")
    assert "“you never”" in form.warning.value
    assert form.situation.value == "you never listen"  # the words stay, to change or keep
    form.situation.value = "you never ask how I am"  # changed, still blaming: noted again
    form.save.click()
    assert sam.wb.reflections(1, "i-statement") == []
    form.save.click()  # pressed again as it is: shared, as the writer chose
    [r] = sam.wb.reflections(1, "i-statement")
    assert r.text == "I feel hurt when you never ask how I am."
    assert form.status.message == "Saved. Your partner can read it too."
    form.feeling.value, form.situation.value = "hurt", "you never listen"
    form.save.click()  # a new sentence: its note first again
    assert len(sam.wb.reflections(1, "i-statement")) == 1


def test_a_sentence_of_fear_gets_a_word_on_safety_not_a_note_on_its_wording(
    sam: Session,
) -> None:
    """ "I feel scared when you always shout at me" was told to name a feeling instead of
    "you always": a frightened person needs the way to step 8, and to know the partner reads it."""
    form = conversation.IStatementBuilder(sam)
    form.feeling.value = "scared"
    form.situation.value = "you always shout at me"
    assert "You wrote about fear." in form.warning.value
    assert f"href='{escape(sam.url(8))}'" in form.warning.value
    assert "land as blame" not in form.warning.value
    form.save.click()
    assert sam.wb.reflections(1, "i-statement") == []  # the note first
    assert form.status.kind == "info"
    assert "If you are afraid of Alex, you may prefer not to share it" in form.status.message
    form.save.click()
    assert len(sam.wb.reflections(1, "i-statement")) == 1  # then as the writer chose
    for calm in ("I feel hurt when plans change", "I feel tired when you always work late"):
        assert not conversation.sounds_afraid(calm)
    for afraid in ("he threatened to leave with the kids", "Tengo miedo cuando me gritas"):
        assert conversation.sounds_afraid(afraid)


def test_agreements_are_one_current_list_per_partner(sam: Session, alex: Session) -> None:
    """They piled up as one block per save, and came back unticked: the page did not say
    which agreements stand now."""
    form = conversation.AgreementsForm(sam)
    form.boxes[0].value = True
    form.own.value = "No phones at dinner"
    form.save.click()
    form.boxes[1].value = True
    form.save.click()
    again = conversation.AgreementsForm(sam)  # the page opened again
    assert [b.value for b in again.boxes[:3]] == [True, True, False]
    assert again.own.value == "No phones at dinner"
    theirs = conversation.AgreementsForm(alex)
    theirs.boxes[2].value = True
    theirs.save.click()
    again.reread()
    shown = again.summary.value
    mine, alexs = [str(escape(a)) for a in AGREEMENTS[:2]], str(escape(AGREEMENTS[2]))
    assert [shown.count(a) for a in mine] == [1, 1]  # the latest list, not one block per save
    assert alexs in shown
    assert shown.index("Sam") < shown.index("Alex")  # side by side, one column each
    assert "You both chose:" not in shown  # nothing in common yet
    theirs.boxes[0].value = True
    theirs.save.click()
    again.reread()
    common = again.summary.value.split("<div class='ht-cols'>")[0]
    assert "You both chose:" in common
    assert mine[0] in common  # Sam's first agreement, now Alex's too
    assert alexs not in common


def test_the_partners_save_keeps_the_ticks_and_words_not_saved_yet(
    sam: Session, alex: Session
) -> None:
    """Each save re-reads both partners' cards, and the card put the last saved list back in
    its boxes: ticks and an own item being written were taken away by the partner's save."""
    mine = conversation.AgreementsForm(sam)
    mine.boxes[1].value = True
    mine.own.value = "Walk before we talk"
    theirs = conversation.AgreementsForm(alex)
    theirs.boxes[0].value = True
    theirs.save.click()
    mine.reread()  # as Alex's save reaches Sam's page (live)
    assert "Alex" in mine.summary.value
    assert [b.value for b in mine.boxes[:2]] == [False, True]
    assert mine.own.value == "Walk before we talk"
    mine.save.click()
    [saved] = sam.wb.reflections(1, "agreements", author="a")
    assert saved.text.splitlines() == [AGREEMENTS[1], "Walk before we talk"]


def test_the_same_own_item_in_other_capitals_is_chosen_by_both(sam: Session, alex: Session) -> None:
    mine = pain.SituationsChecklist(sam)
    mine.own.value = "Money worries"
    mine.save.click()
    theirs = pain.SituationsChecklist(alex)
    theirs.own.value = "money worries "
    theirs.save.click()
    common = theirs.summary.value.split("<div class='ht-cols'>")[0]
    assert "You both chose:" in common
    assert "Money worries" in common


def test_a_saved_own_item_is_set_by_the_kernel_again(sam: Session) -> None:
    """The page treats a field the kernel has not set since it was typed in as unsaved words
    (and asks before leaving): a saved own item is emptied and put back from what was saved."""
    form = conversation.AgreementsForm(sam)
    seen: list[str] = []
    form.own.observe(lambda change: seen.append(change["new"]), names="value")
    form.own.value = "No phones at dinner"
    form.save.click()
    assert seen == ["No phones at dinner", "", "No phones at dinner"]


def test_speaker_listener_timer_counts_down_and_swaps(sam: Session) -> None:
    timer = conversation.SpeakerListenerTimer(sam, tick=0.01)
    timer.minutes.value = 1
    timer.start_turn()
    assert 0 < timer.remaining <= 60  # counting down from one minute
    assert timer._thread is not None
    timer._thread.join(timeout=5)
    assert timer.remaining == 0
    assert "sum up what you heard" in timer.clock.value
    timer.swap_roles()
    assert timer.speaker.value == "b"
    assert "Alex speaks" in timer.clock.value


def test_situations_checklist_side_by_side(sam: Session, alex: Session) -> None:
    mine = pain.SituationsChecklist(sam)
    mine.boxes[2].value = True
    mine.save.click()
    theirs = pain.SituationsChecklist(alex)
    theirs.own.value = "Moving cities"
    theirs.save.click()
    again = pain.SituationsChecklist(sam)
    assert again.boxes[2].value is True
    assert "Moving cities" in again.summary.value
    assert SITUATIONS[2] in again.summary.value


def test_situations_own_item_survives_saving_again(alex: Session) -> None:
    """Regression: ticking one more box and saving again dropped the partner's own item."""
    form = pain.SituationsChecklist(alex)
    form.own.value = "Moving cities"
    form.save.click()
    assert form.own.value == "Moving cities"  # shown again as part of the saved answer
    form.boxes[0].value = True
    form.save.click()
    latest = alex.wb.reflections(2, "situations")[-1]
    assert latest.text.splitlines() == [SITUATIONS[0], "Moving cities"]
    assert pain.SituationsChecklist(alex).own.value == "Moving cities"  # after a reload too


def test_perspective_revealed_only_when_both_answered(sam: Session, alex: Session) -> None:
    feel = EMPATHY.exercise("perspective-feel")
    form_a = empathy.PerspectiveTaking(sam, feel)
    form_a.answer.value = "Alex might feel ashamed"
    form_a.save.click()
    assert "Alex might feel ashamed" in form_a.reveal.value  # your own answer stays visible
    form_b = empathy.PerspectiveTaking(alex, feel)
    assert "Sam has answered" in form_b.reveal.value
    assert "ashamed" not in _html(form_b)
    form_b.answer.value = "Sam might feel foolish"
    form_b.save.click()
    assert "ashamed" in form_b.reveal.value
    assert "foolish" in form_b.reveal.value
    assert "once you have both answered" not in form_b.status.message
    form_a.refresh()
    assert "foolish" in form_a.reveal.value
    # Each answer is named as a guess from the other's place, not as its writer's own feeling.
    assert "You, in Alex&#39;s place" in form_a.reveal.value
    assert "Alex, in your place" in form_a.reveal.value
    assert "Sam, in your place" in form_b.reveal.value
    # A new answer after the reveal replaces the one the partner read, and says so.
    form_a.answer.value = "Alex might feel ashamed, and tired"
    form_a.save.click()
    assert form_a.status.message == (
        "Saved. Your new answer is the one shown now, in place of the one Alex has read; "
        "Alex can read this one too."
    )


def test_promise_ledger(sam: Session, alex: Session) -> None:
    ledger = trust.PromiseLedger(sam)
    ledger.text.value = "Text if I am late"
    ledger.due.value = date.today() + timedelta(days=7)
    ledger.add.click()
    [p] = sam.wb.promises()
    assert p.status == "open"
    assert p.id is not None
    other = trust.PromiseLedger(alex)
    other.resolve(p.id, "kept")
    assert "Only the partner who made a promise" in other.status.message
    assert sam.wb.promises()[0].status == "open"
    ledger.resolve(p.id, "kept")
    assert sam.wb.promises()[0].status == "kept"
    assert "Sam kept 1 of 1 promise marked kept or broken" in ledger.summary.value
    ledger.due.value = date.today() - timedelta(days=1)
    ledger.text.value = "Late"
    ledger.add.click()
    assert "in the past" in ledger.status.message
    assert len(sam.wb.promises()) == 1


def test_keeping_summary_wording() -> None:
    assert "No promises yet" in trust.keeping_summary([], {"a": "Sam", "b": "Alex"})


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6, 7, 8])
def test_every_step_page_builds(step: int, sam: Session) -> None:
    page = pages.StepPage(sam, step)
    html = _html(page)
    assert "Writing as <strong><bdi>Sam</bdi></strong>" in html
    assert "1-800-799-7233" in html
    # Step 8 leaves no trace: no done mark there (issue 18).
    assert isinstance(page.done, StepDoneForm) == (step != 8)


def test_step_page_without_session_offers_a_way_back(data_dir: Path) -> None:
    page = pages.step_page(3)
    html = _html(page)
    assert "Go to the start page" in html
    assert "Traceback" not in html
    page = pages.step_page(3, "no-such-book", "a")
    assert esc("no workbook called 'no-such-book'") in _html(page)
    page = pages.step_page(3, "../../etc", "a")
    assert "cannot be used as a workbook name" in _html(page)


def test_resolve_session_reads_the_query(wb: workbook.Workbook) -> None:
    found = resolve_session(query={"wb": "sam-and-alex", "who": "b"})
    assert isinstance(found, Session)
    assert found.name == "Alex"
    assert resolve_session(query={"wb": "sam-and-alex", "who": "c"}) == (
        "This page does not know who is writing."
    )


def test_start_page_create_then_choose(data_dir: Path) -> None:
    start = start_ui.StartPage()
    start.new_a.value, start.new_b.value = "Sam", "Alex"
    start.create_button.click()
    assert start.status.kind == "ok"
    assert workbook.list_names(data_dir) == ["sam-and-alex"]
    start.choose("b")
    html = _html(start)
    assert "Hello, Alex" in html
    assert esc(page_url(1, "sam-and-alex", "b")) in html
    assert "0 of 7 steps done" in html


def test_start_page_create_refuses_bad_input(data_dir: Path) -> None:
    start = start_ui.StartPage()
    start.new_a.value = "Sam"
    start.create_button.click()
    assert "both partners' names" in start.status.message
    start.new_b.value = "Alex"
    start.new_name.value = "../escape"
    start.create_button.click()
    assert "cannot be used as a workbook name" in start.status.message
    assert workbook.list_names(data_dir) == []


def test_start_page_shows_progress(wb: workbook.Workbook) -> None:
    wb.mark_step("a", 1)
    wb.mark_step("a", 2)
    wb.mark_step("b", 1)
    start = start_ui.StartPage(wb.name, "a")
    html = _html(start)
    assert "Sam: 2 of 7 steps done" in html
    assert html.count("✓ Sam") == 2, "the map marks each of Sam's steps done"
    assert html.count("✓ Alex") == 1, "and Alex's"
    wb.mark_step("a", 2, done=False)
    assert "Sam: 1 of 7 steps done" in _html(start_ui.StartPage(wb.name, "a"))


def test_start_page_asks_the_safety_question_first(wb: workbook.Workbook) -> None:
    start = start_ui.StartPage(wb.name, "a")
    asked = [w for w in _walk(start) if isinstance(w, start_ui.SafetyQuestion)]
    assert len(asked) == 1
    assert "Do you feel safe with your partner?" in [
        getattr(w, "description", "") for w in _walk(asked[0])
    ]


def test_start_page_open_existing(demo: workbook.Workbook) -> None:
    start = start_ui.StartPage()
    assert start.existing.options == ("demo",)
    start.open_button.click()
    assert "I am Sam" in [b.description for b in _walk(start) if isinstance(b, widgets.Button)]


def test_safety_question_is_not_stored(wb: workbook.Workbook, sam: Session) -> None:
    before = wb.export_json()
    q = start_ui.SafetyQuestion(sam)
    q.answer.value = "Not always, or I am not sure"
    assert "1-800-799-7233" in q.reply.value
    assert wb.export_json() == before


def test_quick_exit_is_in_the_page_template_not_in_the_scrolling_widgets(sam: Session) -> None:
    """The exit lives in the template, before Voila's cells (which scroll), on every page."""
    import workbook

    folder = Path(workbook.__file__).parent / "templates/voila/templates/healing"
    template = (folder / "index.html.j2").read_text(encoding="utf-8")
    link = template.index('id="ht-exit"')
    assert link < template.index('<div id="rendered_cells"', link), "exit comes before the cells"
    assert 'include_js("static/healing.js")' in template.split("block html_head_css")[1]
    script = (folder / "static" / "healing.js").read_text(encoding="utf-8")
    assert "location.replace(EXIT_URL)" in script
    assert '"back_forward"' in script
    assert "Quick exit" not in _html(pages.StepPage(sam, 2)), "one exit per page, the template's"


def test_served_page_ignores_notebook_parameters(
    demo: workbook.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: under Voila, the `parameters` defaults opened the demo as Sam for anyone."""
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv("QUERY_STRING", "")
    assert "Go to the start page" in _html(pages.step_page(3, "demo", "a"))
    start = start_ui.start_page("demo", "a")
    assert "Hello, Sam" not in _html(start)
    monkeypatch.setenv("QUERY_STRING", "wb=demo&who=b")
    assert "Writing as <strong><bdi>Alex</bdi></strong>" in _html(pages.step_page(3, "demo", "a"))


def test_pages_share_unchanging_layouts_and_styles(demo: workbook.Workbook) -> None:
    """Fewer widget models for the browser to build: text, status lines and buttons share
    their layout and style; a layout that will change is the widget's own."""
    from workbook.ui.base import button, html_text, layout, own_layout

    assert layout() is layout(width="100%")
    assert layout(height="auto") is not own_layout(height="auto")
    a, b = html_text("<p>one</p>"), html_text("<p>two</p>")
    assert a.layout is b.layout
    assert a.style is b.style
    assert button("Save").style is button("Add").style
    page = pages.StepPage(Session(wb=demo, who="a"), 1)
    tree = walk(page)
    layouts = {id(w.layout) for w in tree if hasattr(w, "layout")}
    assert len(layouts) < len(tree) / 4, f"{len(layouts)} layouts for {len(tree)} widgets"
