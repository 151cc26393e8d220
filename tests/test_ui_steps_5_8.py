"""Steps 5 to 8 driven as a person would, without a browser: set values, click, read the page."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest
from widget_utils import html_of, walk

from workbook import Workbook
from workbook.content import THERAPIST_QUESTIONS
from workbook.domain import SELF_CARE_KINDS
from workbook.markup import esc
from workbook.steps import SUPPORT
from workbook.ui import connection, safety, selfcare, support
from workbook.ui.base import Session
from workbook.ui.exercises import step_exercises
from workbook.ui.forms import PromptForm
from workbook.ui.passphrase import PassphrasePanel

XSS = "<img src=x onerror=alert(1)>"
PASS = "blue kettle on sunday"


def prompt_form(items: list[widgets.Widget], prompt: str) -> PromptForm:
    """The form for one prompt among a step's exercises."""
    found = [w for w in items if isinstance(w, PromptForm) and w.prompt == prompt]
    assert len(found) == 1, f"expected one form for {prompt!r}, found {len(found)}"
    return found[0]


def one(items: list[widgets.Widget], kind: type) -> widgets.Widget:
    """The single exercise of a given class."""
    found = [w for w in items if isinstance(w, kind)]
    assert len(found) == 1, f"expected one {kind.__name__}, found {len(found)}"
    return found[0]


def main_panel(items: list[widgets.Widget]) -> PassphrasePanel:
    """Step 6's own passphrase card (not the ones beside each private choice)."""
    found = [
        w for item in items for w in walk(item) if isinstance(w, PassphrasePanel) and not w.compact
    ]
    assert len(found) == 1, f"expected one passphrase card, found {len(found)}"
    return found[0]


def write(form: PromptForm, text: str, visibility: str | None = None) -> None:
    """Type an answer, choose its visibility, and press Save."""
    form.answer.value = text
    if visibility is not None:
        form.visibility.value = visibility
    form.save.click()


def file_bytes(wb: Workbook) -> dict[str, bytes]:
    """The bytes of the workbook file and its write-ahead log."""
    out = {}
    for p in (wb.path, Path(str(wb.path) + "-wal")):
        if p.exists():
            out[p.name] = p.read_bytes()
    return out


# -- every step ------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [5, 6, 7, 8])
def test_each_step_builds_its_exercises(step: int, sam: Session) -> None:
    items = step_exercises(sam, step)
    assert items, f"step {step} returned no exercises"
    assert all(isinstance(w, widgets.Widget) for w in items)


def test_every_control_has_an_accessible_name(sam: Session) -> None:
    def walk(w: widgets.Widget) -> list[widgets.Widget]:
        kids = getattr(w, "children", ())
        return [w] + [x for k in kids for x in walk(k)]

    for module in (5, 6, 7, 8):
        for top in step_exercises(sam, module):
            for w in walk(top):
                if isinstance(w, widgets.Button | widgets.Checkbox | widgets.Text):
                    assert w.description.strip(), f"{type(w).__name__} without a name in {module}"
                if isinstance(w, widgets.Textarea | widgets.Dropdown | widgets.IntText):
                    assert w.description.strip(), f"{type(w).__name__} without a name in {module}"


# -- step 5: professional support -------------------------------------------------------------


def test_support_explains_each_approach_without_naming_companies(sam: Session) -> None:
    items = step_exercises(sam, 5)
    acc = items[0].children[-1]
    assert isinstance(acc, widgets.Accordion)
    titles = " ".join(acc.titles)
    for name in ("EFT", "Gottman", "CBT", "Trauma-informed", "LMFT"):
        assert name in titles, f"{name} missing from {titles}"
    page = " ".join(html_of(w) for w in items) + " ".join(acc.titles)
    online = SUPPORT.exercise("note")
    assert esc(online.title) in page, "the online-sessions note is not shown"
    assert "by video" in page
    for company in ("BetterHelp", "Talkspace"):
        assert company not in page


def test_therapist_questions_saved_with_own_question(sam: Session, wb: Workbook) -> None:
    form = support.TherapistQuestionsForm(sam)
    form.questions[0].value = True
    form.questions[4].value = True
    form.answer.value = "Can we bring our baby to sessions?"
    form.save.click()
    assert form.status.kind == "ok", form.status.message
    [saved] = wb.reflections(5, "therapist-questions", viewer="a")
    assert THERAPIST_QUESTIONS[0] in saved.text
    assert THERAPIST_QUESTIONS[4] in saved.text
    assert THERAPIST_QUESTIONS[1] not in saved.text
    assert "Can we bring our baby to sessions?" in saved.text
    assert not any(box.value for box in form.questions), "ticks are cleared after saving"
    assert "bring our baby" in form.saved.value


def test_therapist_questions_refuses_an_empty_list(sam: Session, wb: Workbook) -> None:
    form = support.TherapistQuestionsForm(sam)
    form.save.click()
    assert form.status.kind == "error"
    assert "Tick at least one question" in form.status.message
    assert wb.reflections(5, "therapist-questions", viewer="a") == []


def test_session_notes_can_be_private(sam: Session, alex: Session, wb: Workbook) -> None:
    wb.set_passphrase("a", PASS)
    notes = prompt_form(step_exercises(sam, 5), "session-notes")
    write(notes, "Felt heard for once", "private")
    assert notes.status.message == "Saved privately."
    assert "Felt heard" in notes.saved.value
    assert "Felt heard" not in prompt_form(step_exercises(alex, 5), "session-notes").saved.value
    prep = prompt_form(step_exercises(sam, 5), "session-prep")
    write(prep, "Ask about the holidays")
    assert wb.reflections(5, "session-prep", viewer="b")[0].text == "Ask about the holidays"


# -- step 6: self-care ------------------------------------------------------------------------


def test_journal_is_private_by_default_and_refused_before_a_passphrase(
    sam: Session, wb: Workbook
) -> None:
    items = step_exercises(sam, 6)
    journal = prompt_form(items, "journal")
    assert journal.visibility.value == "private"
    assert prompt_form(items, "support-people").visibility.value == "private"
    panel = main_panel(items)
    assert panel.mode == "set"
    assert panel.set_button in panel.body.children
    assert "nobody can open your private entries" in panel.info.value

    write(journal, "Tired and a bit lonely today")
    assert journal.status.kind == "error"
    assert "Unlock them (or set a passphrase) first; nothing was saved" in journal.status.message
    assert journal.answer.value == "Tired and a bit lonely today", "the words are kept to retry"
    assert wb.reflections(6, "journal", viewer="a") == []
    assert wb.locked_count("a") == 0


def test_journal_saved_encrypted_after_setting_a_passphrase(
    sam: Session, alex: Session, wb: Workbook
) -> None:
    items = step_exercises(sam, 6)
    journal = prompt_form(items, "journal")
    panel = main_panel(items)
    panel.password.value = PASS
    panel.confirm.value = PASS
    panel.set_button.click()
    assert panel.status.kind == "ok", panel.status.message
    assert panel.password.value == "", "passphrase not kept in the page"
    assert panel.confirm.value == "", "passphrase not kept in the page"
    assert panel.mode == "unlocked"
    assert wb.has_passphrase("a")

    write(journal, "Tired and a bit lonely today")
    assert journal.status.message == "Saved privately."
    assert "Tired and a bit lonely" in journal.saved.value
    [entry] = wb.reflections(6, "journal", viewer="a")
    assert entry.visibility == "private"

    # Sealed at rest: neither the export nor the file holds the words.
    assert "lonely" not in wb.export_json()
    assert all(b"lonely" not in raw for raw in file_bytes(wb).values())
    # And Alex's page does not show them, even with Sam unlocked on the same workbook.
    assert "lonely" not in prompt_form(step_exercises(alex, 6), "journal").saved.value
    assert wb.reflections(6, "journal", viewer="b") == []


def test_setting_a_passphrase_refuses_a_mismatch(sam: Session, wb: Workbook) -> None:
    panel = PassphrasePanel(sam.privacy)
    panel.password.value = PASS
    panel.confirm.value = PASS + "!"
    panel.set_button.click()
    assert panel.status.kind == "error"
    assert "not the same" in panel.status.message
    assert not wb.has_passphrase("a")
    assert panel.password.value == ""


def test_setting_a_short_passphrase_shows_the_rule(sam: Session, wb: Workbook) -> None:
    panel = PassphrasePanel(sam.privacy)
    panel.password.value = panel.confirm.value = "short"
    panel.set_button.click()
    assert panel.status.kind == "error"
    assert "at least 8 characters" in panel.status.message
    assert not wb.has_passphrase("a")


def test_unlock_shows_private_entries_and_wrong_passphrase_changes_nothing(
    sam: Session, wb: Workbook
) -> None:
    wb.set_passphrase("a", PASS)
    wb.add_reflection("a", 6, "journal", "A quiet walk helped", visibility="private")
    wb.lock("a")

    items = step_exercises(sam, 6)
    journal = prompt_form(items, "journal")
    panel = main_panel(items)
    assert panel.mode == "unlock"
    assert "You have 1 private entry." in panel.info.value
    assert "quiet walk" not in journal.saved.value

    before = wb.export_json()
    panel.password.value = "not my passphrase"
    panel.unlock_button.click()
    assert panel.status.kind == "error"
    assert "does not match. Nothing was changed" in panel.status.message
    assert panel.password.value == ""
    assert not wb.is_unlocked("a")
    assert panel.mode == "unlock"
    assert wb.export_json() == before
    assert "quiet walk" not in journal.saved.value

    panel.password.value = PASS
    panel.unlock_button.click()
    assert panel.status.kind == "ok", panel.status.message
    assert wb.is_unlocked("a")
    assert "quiet walk" in journal.saved.value, "unlocking refreshes the journal"

    panel.lock_button.click()
    assert not wb.is_unlocked("a")
    assert "quiet walk" not in journal.saved.value, "locking hides it again"


def test_selfcare_saved_with_recent_list_and_week_total(sam: Session, wb: Workbook) -> None:
    wb.add_selfcare("a", "rest", 30, day=date.today() - timedelta(days=10))  # outside the week
    wb.add_selfcare("a", "hobby", 20, day=date.today() - timedelta(days=6))  # inside
    wb.add_selfcare("b", "exercise", 90)  # Alex's, not counted on Sam's page
    form = one(step_exercises(sam, 6), selfcare.SelfCareForm)
    assert [v for _, v in form.kind.options] == list(SELF_CARE_KINDS)
    form.kind.value = "mindfulness"
    form.minutes.value = 15
    form.note.value = "Breathing app before bed"
    form.save.click()
    assert form.status.kind == "ok", form.status.message
    assert "15 minutes of mindfulness" in form.status.message
    saved = wb.selfcare("a")[-1]
    assert (saved.kind, saved.minutes, saved.note, saved.day) == (
        "mindfulness",
        15,
        "Breathing app before bed",
        date.today(),
    )
    assert "Last 7 days: 35 minutes" in form.summary.value
    assert "Mindfulness or meditation" in form.summary.value
    assert "Breathing app before bed" in form.summary.value
    assert form.note.value == ""


def test_selfcare_bad_minutes_refused_and_nothing_stored(sam: Session, wb: Workbook) -> None:
    form = selfcare.SelfCareForm(sam)
    form.minutes.value = 0
    form.save.click()
    assert form.status.kind == "error"
    assert "more than 0" in form.status.message
    assert wb.selfcare() == []

    # More than a day is refused with the range, never clipped to 1440 and saved.
    form.minutes.value = 2000
    form.save.click()
    assert form.status.kind == "error"
    assert "more than 0 and at most 1440" in form.status.message
    assert form.minutes.value == 2000
    assert wb.selfcare() == []


def test_selfcare_kind_labels_cover_every_kind() -> None:
    assert set(selfcare.KIND_LABELS) == set(SELF_CARE_KINDS)


# -- step 7: connection -----------------------------------------------------------------------


def test_quality_time_saved_with_date_and_seen_by_partner(
    sam: Session, alex: Session, wb: Workbook
) -> None:
    form = one(step_exercises(sam, 7), connection.QualityTimeForm)
    assert "private" not in [v for _, v in form.visibility.options], "plans are shared"
    form.answer.value = "Picnic by the lake"
    form.when.value = date(2030, 6, 15)
    form.save.click()
    assert form.status.kind == "ok", form.status.message
    [plan] = wb.reflections(7, "quality-time", viewer="b")
    assert plan.text == "Picnic by the lake — on Saturday 15 June 2030"
    assert form.when.value is None
    assert form.answer.value == ""

    form.answer.value = "Cook together"
    form.save.click()
    assert wb.reflections(7, "quality-time", viewer="b")[-1].text == "Cook together"
    seen = one(step_exercises(alex, 7), connection.QualityTimeForm)
    assert "Picnic by the lake" in seen.saved.value
    assert "Cook together" in seen.saved.value


def test_quality_time_needs_a_what(sam: Session, wb: Workbook) -> None:
    form = connection.QualityTimeForm(sam)
    form.when.value = date(2030, 6, 15)
    form.save.click()
    assert form.status.kind == "error"
    assert "Write what you would like to do together" in form.status.message
    assert wb.reflections(7, "quality-time") == []


def test_appreciation_is_shared_only_and_seen_by_partner(
    sam: Session, alex: Session, wb: Workbook
) -> None:
    form = prompt_form(step_exercises(sam, 7), "appreciation")
    assert [v for _, v in form.visibility.options] == ["shared"]
    assert form.visibility not in form.children[0].children, "no private choice on the page"
    assert "appreciated about you this week" in form.answer.description
    write(form, "You made me tea when I was stressed")
    assert form.status.message == "Saved. Your partner can read it too."
    assert "made me tea" in prompt_form(step_exercises(alex, 7), "appreciation").saved.value


def test_shared_goal_and_boundary_saved(sam: Session, wb: Workbook) -> None:
    items = step_exercises(sam, 7)
    write(prompt_form(items, "shared-goal"), "A calm home")
    write(prompt_form(items, "boundary"), "No phones at dinner")
    assert wb.reflections(7, "shared-goal", viewer="b")[0].text == "A calm home"
    assert wb.reflections(7, "boundary", viewer="b")[0].text == "No phones at dinner"


# -- step 8: safety ---------------------------------------------------------------------------


def test_safety_check_stores_nothing_and_shows_help_on_yes(
    sam: Session, wb: Workbook, caplog: pytest.LogCaptureFixture
) -> None:
    before_json = wb.export_json()
    before_bytes = file_bytes(wb)
    folder = sorted(p.name for p in wb.path.parent.iterdir())
    caplog.set_level(logging.DEBUG)

    check = one(step_exercises(sam, 8), safety.SafetyCheck)
    assert 4 <= len(check.questions) <= 6
    check.questions[0].value = True
    check.check.click()
    shown = check.result.value
    assert "Your safety comes first" in shown
    assert "not advised" in shown
    for number in ("1-800-799-7233", "1-800-787-3224", "START to 88788", "988", "911"):
        assert number in shown, f"{number} missing"
    assert "href='tel:+18007997233'" in shown
    assert "href='sms:88788?body=START'" in shown

    check.clear.click()
    assert not any(box.value for box in check.questions)
    assert check.result.value == ""
    assert check.status.message == "Your answers are cleared."

    assert wb.export_json() == before_json
    assert file_bytes(wb) == before_bytes
    assert sorted(p.name for p in wb.path.parent.iterdir()) == folder
    assert caplog.records == [], "the safety check must not log anything"


def test_safety_check_all_no_is_gentle(sam: Session) -> None:
    check = safety.SafetyCheck()
    check.check.click()
    assert "always there for you" in check.result.value
    assert "Your safety comes first" not in check.result.value
    assert "1-800-799-7233" in check.result.value


def test_safety_page_says_couples_work_is_not_advised(sam: Session) -> None:
    html = " ".join(
        w.value
        for top in step_exercises(sam, 8)
        for w in getattr(top, "children", ())
        if isinstance(w, widgets.HTML)
    )
    assert "not advised when there is abuse" in html
    assert "911" in html


def test_safety_resources_html_has_every_number() -> None:
    html = safety.safety_resources_html()
    for link in ("tel:+18007997233", "tel:+18007873224", "sms:88788", "tel:988", "sms:988"):
        assert f"href='{link}" in html, f"{link} missing"
    assert "tel:911" in html
    assert "National Domestic Violence Hotline" in html
    assert "988 Suicide &amp; Crisis Lifeline" in html


# -- escaping ---------------------------------------------------------------------------------


def test_user_text_is_escaped_in_every_saved_list(sam: Session, wb: Workbook) -> None:
    wb.set_passphrase("a", PASS)
    forms: list[PromptForm] = []
    for step in (5, 6, 7):
        forms += [w for w in step_exercises(sam, step) if isinstance(w, PromptForm)]
    prompts = {f.prompt for f in forms}
    assert prompts == {
        "therapist-questions",
        "session-notes",
        "session-prep",
        "journal",
        "support-people",
        "shared-goal",
        "quality-time",
        "appreciation",
        "boundary",
    }
    for form in forms:
        write(form, XSS)
        assert form.status.kind == "ok", f"{form.prompt}: {form.status.message}"
        assert "<img" not in form.saved.value, f"{form.prompt} shows raw HTML"
        assert "&lt;img src=x onerror=alert(1)&gt;" in form.saved.value, form.prompt

    log = selfcare.SelfCareForm(sam)
    log.note.value = XSS
    log.save.click()
    assert log.status.kind == "ok", log.status.message
    assert "<img" not in log.summary.value
    assert "&lt;img" in log.summary.value
