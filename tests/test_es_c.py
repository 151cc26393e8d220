"""Issue 21 (Spanish), part c: the question of the day, step 8 and every page's intro speak the
reader's language; English stays as it was.

Each page here is built for a Spanish-speaking partner (``lang=es`` in the address) from an
empty workbook and with entries, and `english_left` must find nothing of ours in English; the
partners' own words and names are passed as `allowed` (they are shown as written).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest
from english import english_left, shown_text
from markupsafe import escape
from widget_utils import html_of, walk

import workbook
from workbook import i18n
from workbook.daily import QUESTIONS
from workbook.intros import INTROS, intro_html
from workbook.ui import intro as intro_ui
from workbook.ui import pages
from workbook.ui import start as start_ui
from workbook.ui.base import Session, resolve_session
from workbook.ui.counsellor import counsellor_page
from workbook.ui.daily import DailyQuestionCard, WhatsNew, what_was_answered
from workbook.ui.facilitator import facilitator_page
from workbook.ui.intro import PageIntro
from workbook.ui.keep import keep_page
from workbook.ui.safety import HelpFirst, SafetyCheck
from workbook.ui.trends import trends_page

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = ["Sam", "Alex", "sam-and-alex"]
es = i18n.translator("es").gettext


def spanish(wb: workbook.Workbook, who: str = "a") -> Session:
    """`who` on a page whose address says ``lang=es``."""
    session = resolve_session(query={"wb": wb.name, "who": who, "lang": "es"})
    assert not isinstance(session, str), session
    assert session.lang == "es"
    return session


def left(*parts: widgets.Widget, allowed: tuple[str, ...] = ()) -> list[str]:
    """The lines of `parts` still in English (names and `allowed` words taken out)."""
    lines = [line for w in parts for line in shown_text(w)]
    return english_left(lines, allowed=[*NAMES, *allowed])


# --- the question of the day ---------------------------------------------------------------------


def test_every_question_of_the_day_has_its_own_spanish() -> None:
    spanish_texts = [es(text) for _key, text in QUESTIONS]
    assert len(QUESTIONS) == 68
    for (key, text), translated in zip(QUESTIONS, spanish_texts, strict=True):
        assert translated != text, f"{key} is not translated"
    assert len(set(spanish_texts)) == len(QUESTIONS), "two questions read the same in Spanish"
    assert english_left(spanish_texts) == []


def _own_parts(card: DailyQuestionCard) -> list[widgets.Widget]:
    """The parts of the card this module writes (the answers' reveal, corrections and replies
    are step 3's shared views, checked with those)."""
    title = card.children[0].children[0]  # the card's heading
    return [title, card.asked, card.note, card.form, card.earlier]


def test_the_question_of_the_day_is_in_spanish_from_an_empty_workbook(
    wb: workbook.Workbook,
) -> None:
    card = DailyQuestionCard(spanish(wb))
    assert left(*_own_parts(card)) == []
    assert "Pregunta del día" in html_of(_own_parts(card)[0])
    assert str(escape(es(card.question.text))) in card.asked.value
    assert card.answer.description == "Tu respuesta"
    assert card.save.description == "Guardar mi respuesta"
    # Without passphrases the note says plainly that the reveal rests on trust, with the names.
    assert "depende de la confianza" in card.note.value
    assert "como Sam puede leer la respuesta de Sam" in card.note.value
    card.save.click()  # nothing typed: an error, and nothing saved
    assert card.status.kind == "error"
    assert wb.reflections(0, card.question.prompt, viewer="a") == []
    assert left(*_own_parts(card)) == []


def test_answers_and_earlier_questions_read_in_spanish_with_the_words_as_written(
    wb: workbook.Workbook,
) -> None:
    yesterday = date.today() - timedelta(days=1)
    before = wb.question_of_the_day(yesterday)
    wb.add_reflection("a", 0, before.prompt, "Un paseo lento", visibility="paired")
    wb.add_reflection("b", 0, before.prompt, "Coffee in the sun", visibility="paired")
    older = wb.question_of_the_day(yesterday - timedelta(days=1))
    wb.add_reflection("a", 0, older.prompt, "Solo yo", visibility="paired")
    card = DailyQuestionCard(spanish(wb))
    assert left(*_own_parts(card), allowed=("Coffee in the sun",)) == []
    assert "Preguntas anteriores (2)" in card.earlier.value
    assert str(escape(es(before.text))) in card.earlier.value
    assert "Solo tú respondiste: Solo yo" in card.earlier.value
    # The day as Spanish writes it ("5 dic 2026"), never an English month.
    assert i18n.format_date(yesterday, "es", "dd MMM y") in card.earlier.value
    english = DailyQuestionCard(Session(wb=wb, who="a"))
    assert yesterday.strftime("%d %b %Y") in english.earlier.value  # English as before
    assert "Earlier questions (2)" in english.earlier.value
    assert "Only you answered: Solo yo" in english.earlier.value
    assert str(escape(before.text)) in english.earlier.value


def test_the_locked_note_names_the_partner_in_spanish(wb: workbook.Workbook) -> None:
    session = spanish(wb)
    wb.set_passphrase("a", "sam's long passphrase")
    session.privacy.lock()
    card = DailyQuestionCard(session)
    assert "Sam, escribe tu frase de acceso para responder y ver las respuestas." in (
        card.note.value
    )
    assert left(*_own_parts(card)) == []


def test_what_is_new_speaks_spanish(wb: workbook.Workbook) -> None:
    session = spanish(wb)
    wb.record_visit("a")
    since = wb.record_visit("a")  # the visit before this one
    assert since is not None
    appreciation = wb.add_reflection("a", 7, "appreciation", "Gracias por la cena")
    journal = wb.add_reflection("a", 2, "what-happened", "Lo que pasó")
    promise = wb.add_promise("a", "cocinar los viernes")
    for entry, table in ((appreciation, "reflections"), (journal, "reflections"),
                         (promise, "promises")):  # fmt: skip
        assert entry.id is not None
        wb.add_reply("b", table, entry.id, "Anytime")
    today = wb.question_of_the_day()
    wb.add_reflection("b", 0, today.prompt, "Alex's answer", visibility="paired")
    news = WhatsNew(session, since)
    what_happened = es("What happened")  # the exercise's title, as step 2 shows it
    assert what_happened != "What happened"
    assert news.items() == [
        "Alex respondió a tu gesto de aprecio: “Anytime”",
        f"Alex respondió a lo que escribiste en “{what_happened}”: “Anytime”",
        "Alex respondió a tu promesa: “Anytime”",
        "Alex respondió la pregunta de hoy.",
    ]
    assert "Novedades desde tu última visita" in html_of(news)
    assert left(news, allowed=("Anytime",)) == []
    english = Session(wb=wb, who="a")
    assert what_was_answered(english, "reflections", journal.id) == "your entry in “What happened”"
    assert what_was_answered(english, "promises", promise.id) == "your promise"


# --- step 8 ------------------------------------------------------------------------------------


def _step8(session: Session) -> tuple[pages.StepPage, HelpFirst, SafetyCheck]:
    page = pages.StepPage(session, 8)
    [help_first] = [w for w in walk(page) if isinstance(w, HelpFirst)]
    [check] = [w for w in walk(page) if isinstance(w, SafetyCheck)]
    return page, help_first, check


def _own_step8(page: pages.StepPage) -> list[widgets.Widget]:
    """Step 8's own parts: its exercises and its no-trace card (not the header and footer)."""
    return [*page.exercises, page.done]


#: The text keyword of the U.S. hotline is START whatever the language (it is what to type).
KEYWORD = ("START",)


def test_step_8_speaks_spanish_and_still_leaves_no_trace(wb: workbook.Workbook) -> None:
    session = spanish(wb)
    changes = wb._con.total_changes
    page, help_first, check = _step8(session)
    assert left(*_own_step8(page), allowed=KEYWORD) == []
    assert help_first.country.description == "¿Dónde estás?"
    assert [label for label, _code in help_first.country.options][:3] == [
        "Estados Unidos",
        "Canadá",
        "Reino Unido",
    ]
    assert "Esta página no deja rastro" in html_of(page.done)
    assert "Muchas parejas logran sanar" in html_of(page)
    assert "Lo que sí ayuda:" in html_of(page)
    # Nothing ticked, then something ticked, then another country, then cleared.
    check.check.click()
    assert "Gracias por darte este momento" in check.result.value
    assert left(*_own_step8(page), allowed=KEYWORD) == []
    check.questions[0].value = True
    check.check.click()
    assert "Tu seguridad es lo primero" in check.result.value
    help_first.country.value = "mx"
    assert "México" in check.result.value
    assert "México" in help_first.list.value
    assert left(*_own_step8(page), allowed=KEYWORD) == []
    check.clear.click()
    assert check.status.message == "Tus respuestas se borraron."
    assert left(*_own_step8(page), allowed=KEYWORD) == []
    # Still nothing written: not the visit, the answers, the country or the language.
    assert wb._con.total_changes == changes
    assert wb.progress() == []


def test_step_8_in_english_is_as_before(sam: Session) -> None:
    page, help_first, check = _step8(sam)
    assert help_first.country.description == "Where are you?"
    assert next(label for label, _code in help_first.country.options) == "United States"
    assert "This page leaves no trace" in html_of(page.done)
    assert "Nothing you do on this page is saved in the workbook" in html_of(page.done)
    assert "What helps instead: Talk in confidence" in html_of(page)
    assert check.questions[0].description == "I am afraid of my partner."
    check.check.click()
    assert "Thank you for checking in with yourself." in check.result.value
    check.clear.click()
    assert check.status.message == "Your answers are cleared."


# --- every page's intro ------------------------------------------------------------------------

#: The words an intro shows as written in every language: the product's name, commands.
AS_WRITTEN = ("Healing Together", "workbook report NAME --out report.html", "CSI-4", "Daylio")

Builder = Callable[[str | None, str | None], widgets.Widget]
BUILDERS: dict[int | str, Builder] = {
    0: start_ui.start_page,
    **{n: (lambda wb_name, who, n=n: pages.step_page(n, wb_name, who)) for n in range(1, 9)},
    "trends": trends_page,
    "keep": keep_page,
    "counsellor": counsellor_page,
}


def _intro(page: widgets.Widget) -> PageIntro:
    first = [w for w in page.children if isinstance(w, PageIntro)]
    assert len(first) == 1, "one intro, at the top"
    assert page.children.index(first[0]) <= 1  # after the notebook's stylesheet at most
    return first[0]


@pytest.mark.parametrize("key", list(BUILDERS))
def test_each_page_starts_with_its_intro_in_the_partners_language(
    wb: workbook.Workbook, key: int | str
) -> None:
    wb.set_partner_lang("b", "es")  # Alex reads Spanish; Sam English
    spanish_intro = _intro(BUILDERS[key](wb.name, "b"))
    assert spanish_intro.value == str(intro_html(key, "es"))
    assert english_left(shown_text(spanish_intro), allowed=AS_WRITTEN) == []
    english_intro = _intro(BUILDERS[key](wb.name, "a"))
    assert english_intro.value == str(intro_html(key, None))


def test_the_facilitator_page_has_its_intro_in_the_addresss_language(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    english = _intro(facilitator_page(data_dir))
    assert "Workshop: for the facilitator" in english.value
    assert "the key leaves the address bar" in english.value
    page = _intro(facilitator_page(data_dir, lang="es"))  # served: the address's lang=es
    assert "Taller: para quien facilita" in page.value
    assert english_left(shown_text(page), allowed=("WORKBOOK_FACILITATOR_KEY",)) == []


def test_a_page_without_a_session_shows_the_intro_in_the_addresss_language(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    way_back = pages.step_page(3, None, None)
    assert "Step 3: Empathy and patience" in _intro(way_back).value
    monkeypatch.setattr(intro_ui, "read_query", lambda: {"lang": "es"})
    assert "Paso 3: Empatía y paciencia" in _intro(pages.step_page(3, None, None)).value


def test_the_start_page_intro_follows_the_language_chosen_there(wb: workbook.Workbook) -> None:
    page = start_ui.start_page(wb.name, "a")
    [start] = {w for w in walk(page) if isinstance(w, start_ui.StartPage)}
    intro = _intro(page)
    assert "Every couple meets stretches of hurt" in intro.value
    assert start.session is not None
    start.session.choose_lang("es")
    start.choose("a")  # what the language chooser does once a language is picked
    assert "Toda pareja atraviesa temporadas de dolor" in intro.value
    assert english_left(shown_text(intro), allowed=AS_WRITTEN) == []


def test_the_english_intros_say_what_the_notebooks_said() -> None:
    assert "<h1 class='ht-h1'>Healing Together</h1>" in str(intro_html(0))
    assert (
        "<strong>How it works.</strong> Open or create your workbook, choose who is writing"
        in str(intro_html(0))
    )
    assert "<h1 class='ht-h1'>Step 1: A safe space for honest conversation</h1>" in str(
        intro_html(1)
    )
    assert "(“I felt hurt when…”) instead of your partner&#39;s faults" in str(intro_html(1))
    assert "under <em>About these measures</em>." in str(intro_html("trends"))
    # No setting's name on a page a projector shows (the facilitator walks): its address.
    assert "the key leaves the address bar" in str(intro_html("facilitator"))
    assert "WORKBOOK_FACILITATOR_KEY" not in str(intro_html("facilitator"))
    # No command line for a hurting couple (the Spanish walk): the README has it.
    assert "workbook report" not in str(intro_html("counsellor"))
    assert (
        str(intro_html(8))
        == "<div class='ht-intro'><h1 class='ht-h1'>Step 8: When to walk away</h1></div>"
    )


def test_intros_carry_only_their_few_tags_in_every_language() -> None:
    for lang in (None, "es"):
        for key in INTROS:
            built = str(intro_html(key, lang))
            tags = set(re.findall(r"</?([a-z0-9]+)", built))
            assert tags <= {"div", "h1", "p", "strong", "em", "code"}, (key, lang, tags)
            assert "*" not in built, (key, lang)
            assert "`" not in built, (key, lang)


def test_step_8s_intro_is_its_title_only(wb: workbook.Workbook) -> None:
    page = pages.step_page(8, wb.name, "a")
    intro = _intro(page)
    assert [t for t in shown_text(intro) if t != "\u200b"] == ["Step 8: When to walk away"]
    # The ways to get help come right after it, before the header.
    assert isinstance(page.children[page.children.index(intro) + 1], HelpFirst)


def test_the_notebooks_are_thin_a_parameters_cell_and_one_call() -> None:
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        kinds = [c["cell_type"] for c in cells]
        assert kinds == ["code", "code"], f"{path.name}: {kinds}"
        assert "parameters" in cells[0]["metadata"].get("tags", [])
        assert all(not c.get("outputs") for c in cells)
