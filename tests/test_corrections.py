"""Issue 13 without a browser: each partner corrects, moves or deletes their own entries in the
pages, undoes a promise's kept or broken, and a change from an older view is refused."""

from __future__ import annotations

import ipywidgets as widgets
import pytest
from widget_utils import html_of, walk

import workbook
from workbook.store import StaleEntry, Workbook, open_workbook
from workbook.ui import pages
from workbook.ui.base import Session
from workbook.ui.events import EVERYTHING
from workbook.ui.forms import PromptForm
from workbook.ui.selfcare import SelfCareForm
from workbook.ui.trust import PromiseLedger

PASS = "blue kettle on a quiet morning"


def other_tab(wb: Workbook, who: str = "a") -> Session:
    """The same partner on a second tab or phone: its own kernel, its own connection."""
    return Session(wb=open_workbook(wb.path), who=who)  # type: ignore[arg-type]


def prompt(session: Session) -> PromptForm:
    return PromptForm(session, 2, "what-happened", "What happened", "What happened?")


def write(form: PromptForm, text: str) -> None:
    form.answer.value = text
    form.save.click()
    assert form.status.kind == "ok", form.status.message


def correcting(session: Session, *answers: str) -> PromptForm:
    """A prompt with `answers` saved in turn, then its corrections opened."""
    form = prompt(session)
    for text in answers:
        write(form, text)
    form.corrections.opener.click()
    return form


def two_tabs_correcting(sam: Session, wb: Workbook) -> tuple[PromptForm, PromptForm, Session]:
    """Sam's answer "Version one", with the corrections open on this tab and on a second one.

    Returns (this tab's form, the second tab's form, the second tab's session).
    """
    first = prompt(sam)
    write(first, "Version one")
    second_session = other_tab(wb)
    second = prompt(second_session)
    second.corrections.opener.click()
    first.corrections.opener.click()
    return first, second, second_session


def ledger_buttons(ledger: PromiseLedger) -> dict[str, widgets.Button]:
    """The Kept and Broken buttons of the first (most recent) row of the ledger."""
    return {
        b.description: b for b in walk(ledger.rows.children[0]) if isinstance(b, widgets.Button)
    }


# -- written answers ---------------------------------------------------------------------------


def test_a_page_never_corrected_builds_no_editor(sam: Session, alex: Session) -> None:
    form = prompt(sam)
    assert form.corrections.children == ()  # nothing of mine yet: not even the button
    write(form, "We argued about the holidays")
    assert form.corrections.children == (form.corrections.opener,)
    assert not form.corrections.built
    page = pages.StepPage(sam, 2)
    assert not any(getattr(w, "built", False) for w in walk(page))


def test_correct_an_answer(sam: Session, wb: Workbook) -> None:
    form = correcting(sam, "We argued about the holidays", "I went quiet for two days")
    fix = form.corrections
    labels = [label.split(" · ")[-1] for label, _ in fix.choice.options]
    assert labels == ["I went quiet for two days", "We argued about the holidays"], "newest first"
    assert fix.text.value == "I went quiet for two days"

    fix.text.value = "I went quiet for three days"
    fix.save_button.click()
    assert fix.status.kind == "ok", fix.status.message
    texts = [r.text for r in wb.reflections(2, "what-happened")]
    assert texts == ["We argued about the holidays", "I went quiet for three days"]
    assert "three days" in form.saved.value
    assert "two days" not in form.saved.value
    assert wb.reflections(2, "what-happened")[1].version == 2


def test_a_saved_correction_is_set_again_by_the_kernel(sam: Session, wb: Workbook) -> None:
    """The page counts a box the kernel has not set since it was typed in as unsaved words:
    leaving step 2 after "Saved your correction." asked whether to leave unsaved changes."""
    fix = correcting(sam, "I went quiet for two days").corrections
    seen: list[str] = []
    fix.text.observe(lambda change: seen.append(change["new"]), names="value")
    fix.text.value = "I went quiet for three days"
    fix.save_button.click()
    assert fix.status.kind == "ok", fix.status.message
    assert seen == ["I went quiet for three days", "", "I went quiet for three days"]


def test_delete_asks_once_then_the_answer_is_gone_for_good(sam: Session, wb: Workbook) -> None:
    form = correcting(sam, "SECRETWORDS of a bad night")
    fix = form.corrections

    fix.delete_button.click()
    assert "for good" in fix.question.value
    assert "SECRETWORDS" in fix.question.value
    assert fix.yes_button in walk(fix)
    assert fix.keep_button in walk(fix)
    assert len(wb.reflections(2)) == 1, "Delete only asks"
    fix.keep_button.click()
    assert "Nothing was deleted" in fix.status.message
    assert fix.yes_button not in walk(fix)
    assert len(wb.reflections(2)) == 1

    fix.delete_button.click()
    fix.yes_button.click()
    assert fix.status.kind == "ok", fix.status.message
    assert wb.reflections(2) == []
    assert "SECRETWORDS" not in wb.export_json()
    assert "SECRETWORDS" not in form.saved.value
    assert "SECRETWORDS" not in html_of(form)
    assert fix.text.value == ""
    assert fix.choice.options == ()
    fix.done_button.click()
    assert form.corrections.children == (), "nothing of mine left: no button"


def test_a_second_press_of_yes_deletes_nothing_more(sam: Session, wb: Workbook) -> None:
    form = correcting(sam, "Keep this one", "Delete this one")
    fix = form.corrections
    fix.delete_button.click()
    fix.yes_button.click()
    fix.yes_button.click()  # a double press arrives after the list moved on to the other one
    assert [r.text for r in wb.reflections(2)] == ["Keep this one"]


def test_what_is_typed_in_the_editor_survives_other_saves(sam: Session, wb: Workbook) -> None:
    form = prompt(sam)
    twin = prompt(sam)
    write(form, "First answer")
    form.corrections.opener.click()
    form.corrections.text.value = "Half-typed correction"
    write(twin, "Another answer")  # the list is re-read, the boxes are not emptied
    assert form.corrections.text.value == "Half-typed correction"
    assert "Another answer" in form.saved.value


def test_move_an_answer_to_private_and_back(sam: Session, alex: Session, wb: Workbook) -> None:
    form = correcting(sam, "What I told my sister")
    fix = form.corrections

    fix.visibility.value = "private"
    assert fix.unlock_here.children, "a passphrase panel offers itself right there"
    fix.save_button.click()
    assert fix.status.kind == "error"
    assert wb.reflections(2)[0].visibility == "shared"

    sam.privacy.set_passphrase(PASS, PASS)
    fix.choice.value = fix.choice.options[0][1]
    fix.visibility.value = "private"
    fix.save_button.click()
    assert fix.status.kind == "ok", fix.status.message
    assert "private" in fix.status.message
    assert wb.reflections(2, viewer="b") == [], "Alex no longer sees it"
    assert "What I told my sister" not in wb.export_json()
    assert "What I told my sister" not in html_of(prompt(alex))

    fix.visibility.value = "shared"
    fix.save_button.click()
    assert fix.status.kind == "ok", fix.status.message
    assert [r.text for r in wb.reflections(2, viewer="b")] == ["What I told my sister"]


def test_lock_takes_private_words_out_of_the_editor(sam: Session, wb: Workbook) -> None:
    sam.privacy.set_passphrase(PASS, PASS)
    form = prompt(sam)
    form.visibility.value = "private"
    write(form, "PRIVATEWORDS")
    form.corrections.opener.click()
    fix = form.corrections
    assert fix.text.value == "PRIVATEWORDS"
    fix.delete_button.click()

    sam.privacy.lock()
    assert fix.text.value == ""
    assert all("PRIVATEWORDS" not in label for label, _ in fix.choice.options)
    assert "PRIVATEWORDS" not in html_of(form)
    assert not any("PRIVATEWORDS" in str(getattr(w, "value", "")) for w in walk(form)), (
        "no widget of the page keeps the words"
    )


def test_the_other_partners_answers_offer_no_correction(sam: Session, alex: Session) -> None:
    write(prompt(alex), "Words by Alex")
    form = prompt(sam)
    assert "Words by Alex" in form.saved.value
    assert form.corrections.children == (), "nothing of Sam's here: no button"

    write(form, "Words by Sam")
    form.corrections.opener.click()
    assert [label.split(" · ")[-1] for label, _ in form.corrections.choice.options] == [
        "Words by Sam"
    ]


def test_only_the_author_may_change_an_answer_even_by_id(sam: Session, alex: Session) -> None:
    write(prompt(alex), "Words by Alex")
    theirs = sam.wb.reflections(2)[0]
    with pytest.raises(workbook.ValidationError):
        sam.wb.edit_reflection(theirs.id, author="a", text="changed", version=theirs.version)
    assert sam.wb.reflections(2)[0].text == "Words by Alex"


def test_a_correction_from_an_older_tab_is_refused_and_the_tab_shows_the_latest(
    sam: Session, wb: Workbook
) -> None:
    first, second, second_session = two_tabs_correcting(sam, wb)

    first.corrections.text.value = "Fixed in the first tab"
    first.corrections.save_button.click()
    assert first.corrections.status.kind == "ok"

    fix = second.corrections
    fix.text.value = "Fixed in the second tab"
    fix.save_button.click()
    assert fix.status.kind == "error"
    assert "changed on another page or device" in fix.status.message
    assert [r.text for r in wb.reflections(2)] == ["Fixed in the first tab"]
    assert "Fixed in the first tab" in second.saved.value, "the older tab re-read the list"
    assert fix.text.value == "Fixed in the second tab", "what was typed is not lost"

    fix.save_button.click()  # now from the latest version: a deliberate second save
    assert fix.status.kind == "ok", fix.status.message
    assert [r.text for r in wb.reflections(2)] == ["Fixed in the second tab"]
    second_session.wb.close()


def test_a_correction_being_typed_stays_when_another_tab_saves_the_same_entry(
    sam: Session, wb: Workbook
) -> None:
    """The second tab's page hears of the first tab's save (its live refresh) while its own
    editor is open on the same entry: the box is not refilled under the writer's fingers (the
    browser may hold words not yet sent), the page says the entry changed, and saving is still
    refused once before it replaces the newer version (seen by a walk: the words vanished)."""
    first, second, second_session = two_tabs_correcting(sam, wb)
    fix = second.corrections
    assert fix.text.value == "Version one"
    first.corrections.text.value = "Fixed in the first tab"
    first.corrections.save_button.click()
    assert first.corrections.status.kind == "ok"

    second_session.bus.publish(EVERYTHING)  # what LiveRefresh does when the file moved
    assert fix.text.value == "Version one", "the box was refilled while being corrected"
    said = fix.elsewhere.value  # under the boxes, where the writer looks
    assert "changed on another page or device" in said
    body = list(fix.body.children)
    assert body.index(fix.text) < body.index(fix.elsewhere) < body.index(fix.actions)
    assert "Fixed in the first tab" in second.saved.value, "the list shows the newer version"

    fix.text.value = "Fixed in the second tab"
    fix.save_button.click()
    assert fix.status.kind == "error", "the newer version was replaced unseen"
    assert fix.elsewhere.value == "", "the refusal says it now"
    assert [r.text for r in wb.reflections(2)] == ["Fixed in the first tab"]
    assert fix.text.value == "Fixed in the second tab", "what was typed is not lost"
    fix.save_button.click()  # a deliberate second save
    assert fix.status.kind == "ok", fix.status.message
    assert [r.text for r in wb.reflections(2)] == ["Fixed in the second tab"]
    second_session.wb.close()


def test_a_delete_from_an_older_tab_is_refused(sam: Session, wb: Workbook) -> None:
    first, second, second_session = two_tabs_correcting(sam, wb)
    first.corrections.text.value = "Version two"
    first.corrections.save_button.click()

    second.corrections.delete_button.click()
    second.corrections.yes_button.click()
    assert second.corrections.status.kind == "error"
    assert [r.text for r in wb.reflections(2)] == ["Version two"]
    assert "Version two" in second.saved.value
    second_session.wb.close()


def test_every_view_of_the_list_on_the_page_follows_a_change(sam: Session, wb: Workbook) -> None:
    page = pages.StepPage(sam, 2)
    forms = [w for w in page.exercises if isinstance(w, PromptForm)]
    form = forms[0]
    twin = PromptForm(sam, 2, form.prompt, "same list", "q")  # a second view of the same list
    write(form, "SHOWNTWICE")
    assert "SHOWNTWICE" in twin.saved.value
    links = next(w for w in walk(page) if isinstance(w, pages.WorksheetLinks))
    links.prepare.click()
    assert links.filled.value

    form.corrections.opener.click()
    form.corrections.delete_button.click()
    form.corrections.yes_button.click()
    assert "SHOWNTWICE" not in twin.saved.value
    assert links.filled.value == "", "a worksheet made before the delete is not offered"
    assert "SHOWNTWICE" not in html_of(page)


# -- promises ----------------------------------------------------------------------------------


def test_correct_undo_and_delete_a_promise(sam: Session, wb: Workbook) -> None:
    ledger = PromiseLedger(sam)
    ledger.text.value = "Call when I am late"
    ledger.add.click()
    ledger_buttons(ledger)["Kept"].click()
    assert wb.promises()[0].status == "kept"
    assert "Sam kept 1 of 1" in ledger.summary.value

    ledger.corrections.opener.click()
    fix = ledger.corrections
    assert fix.undo in walk(fix), "a kept promise offers undo"
    fix.undo.click()
    assert fix.status.kind == "ok", fix.status.message
    assert (wb.promises()[0].status, wb.promises()[0].resolved) == ("open", None)
    assert "1 open promise" in ledger.summary.value
    assert fix.undo not in walk(fix)

    ledger_buttons(ledger)["Broken"].click()
    assert wb.promises()[0].status == "broken"
    fix.undo.click()
    assert wb.promises()[0].status == "open"

    fix.text.value = "Text when I will be late"
    fix.save_button.click()
    assert fix.status.kind == "ok", fix.status.message
    assert wb.promises()[0].text == "Text when I will be late"
    assert "Text when I will be late" in html_of(ledger)

    fix.delete_button.click()
    assert wb.promises(), "Delete only asks"
    fix.yes_button.click()
    assert wb.promises() == []
    assert "Text when I will be late" not in wb.export_json()
    assert "No promises yet" in ledger.summary.value


def test_a_promise_kept_in_one_tab_and_broken_in_another_stays_kept(
    sam: Session, wb: Workbook
) -> None:
    first = PromiseLedger(sam)
    first.text.value = "Be home for dinner"
    first.add.click()
    second_session = other_tab(wb)
    second = PromiseLedger(second_session)  # shows the promise open, with its buttons

    ledger_buttons(first)["Kept"].click()
    assert first.status.kind == "ok"
    ledger_buttons(second)["Broken"].click()
    assert second.status.kind == "error"
    assert "changed on another page or device" in second.status.message
    assert wb.promises()[0].status == "kept", "not silently broken"

    assert "Sam kept 1 of 1" in second.summary.value, "the second tab shows the latest"
    first.refresh()
    assert "Sam kept 1 of 1 promise marked kept or broken." in first.summary.value
    second_session.wb.close()


def test_the_other_partners_promises_offer_no_controls(sam: Session, alex: Session) -> None:
    theirs = PromiseLedger(alex)
    theirs.text.value = "A promise by Alex"
    theirs.add.click()
    ledger = PromiseLedger(sam)
    assert ledger.corrections.children == ()
    assert not [b for b in walk(ledger.rows) if isinstance(b, widgets.Button)]
    ledger.resolve(sam.wb.promises()[0].id, "broken", 1)  # type: ignore[arg-type]
    assert ledger.status.kind == "error"
    assert sam.wb.promises()[0].status == "open"


# -- self-care ---------------------------------------------------------------------------------


@pytest.mark.parametrize("minutes", [5000, 1441, -5, 0])
def test_minutes_out_of_range_get_a_message_and_nothing_is_stored(
    sam: Session, wb: Workbook, minutes: int
) -> None:
    form = SelfCareForm(sam)
    form.minutes.value = minutes
    form.save.click()
    assert form.status.kind == "error"
    assert "more than 0 and at most 1440" in form.status.message
    assert "Nothing was saved" in form.status.message
    assert wb.selfcare() == []
    assert form.minutes.value == minutes, "what was typed is not changed behind the person's back"


def test_correct_and_delete_a_selfcare_entry(sam: Session, wb: Workbook) -> None:
    form = SelfCareForm(sam)
    form.minutes.value = 20
    form.save.click()
    form.corrections.opener.click()
    fix = form.corrections
    assert fix.minutes.value == 20

    fix.minutes.value = 5000
    fix.save_button.click()
    assert fix.status.kind == "error"
    assert "at most 1440" in fix.status.message
    assert wb.selfcare()[0].minutes == 20

    fix.minutes.value = 45
    fix.kind_choice.value = "exercise"
    fix.note.value = "A long walk"
    fix.save_button.click()
    assert fix.status.kind == "ok", fix.status.message
    saved = wb.selfcare()[0]
    assert (saved.kind, saved.minutes, saved.note) == ("exercise", 45, "A long walk")
    assert "Last 7 days: 45 minutes" in form.summary.value

    fix.delete_button.click()
    fix.yes_button.click()
    assert wb.selfcare() == []
    assert "A long walk" not in wb.export_json()
    assert "Nothing logged yet" in form.summary.value


def test_a_stale_selfcare_correction_is_refused(sam: Session, wb: Workbook) -> None:
    form = SelfCareForm(sam)
    form.save.click()
    second_session = other_tab(wb)
    second = SelfCareForm(second_session)
    second.corrections.opener.click()
    wb.edit_selfcare(wb.selfcare()[0].id, author="a", kind="rest", minutes=30, version=1)  # type: ignore[arg-type]
    second.corrections.minutes.value = 10
    second.corrections.save_button.click()
    assert second.corrections.status.kind == "error"
    assert wb.selfcare()[0].minutes == 30
    with pytest.raises(StaleEntry):
        wb.delete_selfcare(wb.selfcare()[0].id, author="a", version=1)  # type: ignore[arg-type]
    second_session.wb.close()


def test_every_editor_control_has_its_own_name(sam: Session) -> None:
    form, ledger, log = prompt(sam), PromiseLedger(sam), SelfCareForm(sam)
    write(form, "An answer")
    ledger.text.value = "A promise"
    ledger.add.click()
    log.save.click()
    named = widgets.Button | widgets.Text | widgets.Textarea | widgets.Dropdown
    for owner in (form, ledger, log):
        outside = {w.description for w in walk(owner) if isinstance(w, named | widgets.IntText)}
        owner.corrections.opener.click()  # type: ignore[attr-defined]
        inside = [
            w
            for w in walk(owner.corrections)  # type: ignore[attr-defined]
            if isinstance(w, named | widgets.IntText | widgets.DatePicker)
        ]
        assert inside
        for w in inside:
            assert w.description.strip(), f"{type(w).__name__} without a name"
            if not isinstance(w, widgets.Button):
                assert w.description not in outside, f"two fields named {w.description!r}"
