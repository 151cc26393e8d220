"""A native-Spanish acceptance walk's findings, fixed (Lucía reads Spanish: partner a, "Sam"
here; Dan reads English: partner b, "Alex"): the app's checklist items and one-press answers
are shown in the reader's language wherever a saved answer shows (the form, the start page's
news, the report, the worksheets), the partners' own words as written; and saving the same
checklist twice saves it once."""

from __future__ import annotations

import pytest
from english import shown_text
from widget_utils import html_of

import workbook
from workbook.markup import esc
from workbook.report import report_html
from workbook.steps import steps_in
from workbook.ui.base import Session, resolve_session
from workbook.ui.conversation import AgreementsForm
from workbook.ui.daily import WhatsNew
from workbook.ui.entry_words import first_words
from workbook.ui.forms import PromptForm, prompt_settings
from workbook.ui.pain import SituationsChecklist
from workbook.ui.support import TherapistQuestionsForm
from workbook.worksheets import worksheet_html

OWN = "Sin gritos después de las diez"  # Lucía's own agreement: shown as she wrote it


def session_in(wb: workbook.Workbook, who: str, lang: str) -> Session:
    session = resolve_session(query={"wb": wb.name, "who": who, "lang": lang})
    assert not isinstance(session, str)
    return session


@pytest.fixture
def lucia(wb: workbook.Workbook) -> Session:
    session = session_in(wb, "a", "es")
    yield session  # type: ignore[misc]
    session.close()


@pytest.fixture
def dan(wb: workbook.Workbook) -> Session:
    session = session_in(wb, "b", "en")
    yield session  # type: ignore[misc]
    session.close()


def items(lang: str, step: int, prompt: str) -> tuple[str, ...]:
    return steps_in(lang)[step].exercise(prompt).items


# --- 1. checklist items in the reader's language ----------------------------------------------


def test_agreements_ticked_in_spanish_read_in_english_and_the_own_one_as_written(
    wb: workbook.Workbook, lucia: Session, dan: Session
) -> None:
    es, en = items("es", 1, "agreements"), items("en", 1, "agreements")
    form = AgreementsForm(lucia)
    form.boxes[1].value = True
    form.own.value = OWN
    form.save.click()
    (saved,) = wb.reflections(1, "agreements", viewer="b")
    assert saved.text == f"{es[1]}\n{OWN}"  # stored as she saw it: no migration
    assert es[1] in html_of(form)
    shown = html_of(AgreementsForm(dan))
    assert en[1] in shown
    assert es[1] not in shown
    assert OWN in shown
    # Dan's English ticks read in Spanish to Lucía.
    theirs = AgreementsForm(dan)
    theirs.boxes[2].value = True
    theirs.save.click()
    form.reread()
    assert es[2] in html_of(form)
    assert en[2] not in html_of(form)


def test_situations_show_both_partners_in_the_readers_language(
    wb: workbook.Workbook, lucia: Session, dan: Session
) -> None:
    es, en = items("es", 2, "situations"), items("en", 2, "situations")
    wb.add_reflection("a", 2, "situations", f"{es[0]}\nMi madre")
    wb.add_reflection("b", 2, "situations", en[1])
    to_dan = SituationsChecklist(dan)
    assert en[0] in html_of(to_dan)
    assert es[0] not in html_of(to_dan)
    assert "Mi madre" in html_of(to_dan)
    to_lucia = SituationsChecklist(lucia)
    assert es[1] in html_of(to_lucia)
    assert en[1] not in html_of(to_lucia)
    assert to_lucia.boxes[0].value  # her own ticks still ticked again
    assert to_lucia.own.value == "Mi madre"


def test_questions_for_a_therapist_read_in_the_readers_language(
    wb: workbook.Workbook, lucia: Session, dan: Session
) -> None:
    es, en = items("es", 5, "therapist-questions"), items("en", 5, "therapist-questions")
    form = TherapistQuestionsForm(lucia, steps_in("es")[5].exercise("therapist-questions"))
    form.questions[0].value = True
    form.answer.value = "¿Trabaja los sábados?"
    form.visibility.value = "shared"
    form.save.click()
    shown = html_of(TherapistQuestionsForm(dan))
    assert esc(f"\u2022 {en[0]}") in shown
    assert esc(es[0]) not in shown
    assert esc("¿Trabaja los sábados?") in shown


def test_the_report_and_worksheets_show_checklist_items_in_their_language(
    wb: workbook.Workbook,
) -> None:
    es, en = items("es", 1, "agreements"), items("en", 1, "agreements")
    wb.add_reflection("a", 1, "agreements", f"{es[1]}\n{OWN}")
    wb.add_reflection("b", 1, "agreements", en[3])
    wb.set_report_consent("a", True)
    wb.set_report_consent("b", True)
    for page in (report_html(wb, lang="en"), worksheet_html(1, wb, lang="en")):
        assert esc(en[1]) in page
        assert esc(es[1]) not in page
        assert esc(OWN) in page
    for page in (report_html(wb, lang="es"), worksheet_html(1, wb, lang="es")):
        assert esc(es[3]) in page
        assert esc(en[3]) not in page


# --- 2. one-press answers in the reader's language --------------------------------------------


def test_one_press_answers_read_in_the_readers_language_typed_ones_as_written(
    wb: workbook.Workbook, lucia: Session, dan: Session
) -> None:
    wb.record_visit("a")
    since = wb.record_visit("a")
    mine = wb.add_reflection("a", 2, "what-happened", "Nos dejamos de hablar en verano.")
    theirs = wb.add_reflection("b", 2, "what-happened", "We stopped talking in the summer.")
    settings = prompt_settings(steps_in("en")[2].exercise("what-happened"), dan)
    dan_form = PromptForm(dan, 2, **settings)
    assert dan_form.replies.form is not None
    dan_form.replies.form.acks[0].click()  # "I hear you", under Lucía's entry
    (answer,) = wb.replies_under([("reflections", mine.id or 0)])
    assert answer.text == "I hear you"  # saved as he saw it
    news = WhatsNew(lucia, since)
    assert news.items() == ["Alex respondió a lo que escribiste en “Qué pasó”: “Te escucho”"]
    assert "I hear you" not in html_of(news)
    es_settings = prompt_settings(steps_in("es")[2].exercise("what-happened"), lucia)
    lucia_form = PromptForm(lucia, 2, **es_settings)
    assert "Te escucho" in html_of(lucia_form)
    assert "I hear you" not in html_of(lucia_form)
    assert lucia_form.replies.form is not None
    lucia_form.replies.form.acks[1].click()  # "Gracias", under Dan's entry
    (thanks,) = wb.replies_under([("reflections", theirs.id or 0)])
    assert thanks.text == "Gracias"
    dan_form.replies.render()
    assert "Thank you" in html_of(dan_form)
    assert "Gracias" not in html_of(dan_form)
    # A typed answer stays as written.
    lucia_form.replies.form.text.value = "Gracias por contármelo"
    lucia_form.replies.form.send.click()
    dan_form.replies.render()
    assert "Gracias por contármelo" in html_of(dan_form)


# --- 3. the same checklist saved twice is saved once ------------------------------------------


@pytest.mark.parametrize(
    ("lang", "message"),
    [("es", "Ya estaba guardado; no cambió nada."), ("en", "Already saved; nothing changed.")],
)
def test_saving_the_same_agreements_twice_saves_once_and_says_so(
    wb: workbook.Workbook, lang: str, message: str
) -> None:
    session = session_in(wb, "a", lang)
    form = AgreementsForm(session)
    form.boxes[0].value = True
    form.boxes[2].value = True
    form.save.click()
    form.save.click()
    assert len(wb.reflections(1, "agreements", viewer="a")) == 1
    assert form.status.message == message
    assert form.status.kind != "error"
    first = items(lang, 1, "agreements")[0]
    assert html_of(form).count(esc(first)) == 1  # no duplicate on the page
    form.boxes[1].value = True  # a change is saved
    form.save.click()
    assert len(wb.reflections(1, "agreements", viewer="a")) == 2
    session.close()


def test_agreements_with_an_own_one_pressed_twice_are_saved_once(
    wb: workbook.Workbook, lucia: Session
) -> None:
    form = AgreementsForm(lucia)
    form.boxes[1].value = True
    form.own.value = OWN
    form.save.click()
    assert form.own.value == OWN  # kept, as the ticks are: it is part of the saved list
    form.save.click()
    (saved,) = wb.reflections(1, "agreements", viewer="a")
    assert saved.text.splitlines()[-1] == OWN
    assert form.status.message == "Ya estaba guardado; no cambió nada."
    assert html_of(form).count(OWN) == 1


def test_the_same_ticks_in_another_language_are_the_same_answer(
    wb: workbook.Workbook, lucia: Session
) -> None:
    form = AgreementsForm(lucia)
    form.boxes[0].value = True
    form.save.click()
    later = session_in(wb, "a", "en")  # she reads it in English another day
    again = AgreementsForm(later)
    again.boxes[0].value = True
    again.save.click()
    assert len(wb.reflections(1, "agreements", viewer="a")) == 1
    assert again.status.message == "Already saved; nothing changed."
    # Correcting or deleting her list names it in the language she reads now.
    en = items("en", 1, "agreements")[0]
    assert again.corrections.opener is not None
    again.corrections.opener.click()
    again.corrections.delete_button.click()
    shown = "\n".join(shown_text(again.corrections))
    assert first_words(en) in shown
    assert first_words(en, 60) in shown
    assert items("es", 1, "agreements")[0][:20] not in shown
    later.close()


def test_the_same_questions_for_a_therapist_saved_twice_are_saved_once(
    wb: workbook.Workbook, lucia: Session
) -> None:
    ex = steps_in("es")[5].exercise("therapist-questions")
    form = TherapistQuestionsForm(lucia, ex)
    form.visibility.value = "shared"
    for _ in range(2):  # saving clears the boxes: tick the same ones again
        form.questions[1].value = True
        form.answer.value = "¿Cuánto cuesta?"
        form.save.click()
    assert len(wb.reflections(5, "therapist-questions", viewer="a")) == 1
    assert form.status.message == "Ya estaba guardado; no cambió nada."
