"""Issue 21, the frame in Spanish: the start page, each page's header, links and footer, the
way-back panel, the passphrase panels and Lock speak the reader's language; names and the
workbook's name stay as written, and the English pages read as before.

Parts of a page that other forms own (check-in, question of the day, exercises, ...) are left
out of these checks (`frame_text`): their own tests check them.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import pytest
from english import english_left, shown_text
from widget_utils import html_of, walk

import workbook
from workbook import workshop
from workbook.ui import pages, passphrase
from workbook.ui import session as session_ui
from workbook.ui import start as start_ui
from workbook.ui.base import Session, resolve_session, step_title
from workbook.ui.sitting import header_lock

#: Names and words typed by the couple in these tests: shown as written in every language.
NAMES = ["Sam", "Alex", "sam-and-alex", "Healing Together"]
#: Words the helplines ask for as they are (text START to 88788), in every language.
KEYWORDS = ["START"]


def spanish(wb: workbook.Workbook, who: str = "a") -> Session:
    found = resolve_session(query={"wb": wb.name, "who": who, "lang": "es"})
    assert isinstance(found, Session), found
    return found


def english(wb: workbook.Workbook, who: str = "a") -> Session:
    found = resolve_session(query={"wb": wb.name, "who": who})
    assert isinstance(found, Session), found
    return found


def frame_text(page: widgets.Widget) -> list[str]:
    """What the page shows, without the parts other forms own (checked by their own tests)."""
    from workbook.ui.checkin import CheckInForm
    from workbook.ui.daily import DailyQuestionCard, WhatsNew
    from workbook.ui.forms import StepDoneForm
    from workbook.ui.satisfaction import SatisfactionCheck

    foreign = (CheckInForm, DailyQuestionCard, WhatsNew, SatisfactionCheck, StepDoneForm)
    theirs: set[int] = set()
    for w in walk(page):
        if isinstance(w, foreign):
            theirs |= {id(x) for x in walk(w)}
    if isinstance(page, pages.StepPage):
        # The step's exercises and its "done" card (or step 8's no-trace card): their own tests.
        for part in [*page.exercises, page.done]:
            theirs |= {id(x) for x in walk(part)}
    leaves = [x for x in walk(page) if id(x) not in theirs and not getattr(x, "children", ())]
    return [line for x in leaves for line in shown_text(x)]


def no_english(lines: list[str], *allowed: str) -> None:
    left = english_left(lines, allowed=[*NAMES, *KEYWORDS, *allowed])
    assert left == [], left


# --- the start page, before anyone is chosen ---------------------------------------------------


def test_the_first_screen_of_an_empty_data_folder_is_spanish_and_so_is_its_error(
    data_dir: Path,
) -> None:
    start = start_ui.StartPage(lang="es")
    no_english(shown_text(start))
    assert "Empieza tu cuaderno" in html_of(start)
    start.create_button.click()  # nothing typed
    assert start.status.message == "Escribe el nombre de las dos personas."
    assert not list(data_dir.glob("*.*"))  # nothing was created
    no_english(shown_text(start))


def test_creating_then_choosing_who_is_writing_speaks_spanish(data_dir: Path) -> None:
    start = start_ui.StartPage(lang="es")
    start.new_a.value, start.new_b.value = "Lucía", "Dan"
    start.create_button.click()
    # Named in Spanish, accents folded (it was 'luc-a-and-dan': found in the Spanish walk).
    assert start.status.message == "Se creó el cuaderno «lucia-y-dan»."
    buttons = [w.description for w in walk(start) if isinstance(w, widgets.Button)]
    assert "Soy Lucía" in buttons
    assert "Soy Dan" in buttons
    no_english(shown_text(start))
    # A second visit: the list of workbooks to open, and its error when none is chosen.
    again = start_ui.StartPage(lang="es")
    assert "Abre tu cuaderno" in html_of(again)
    again.existing.value = None
    again.open_button.click()
    assert again.status.message == "Elige un cuaderno para abrirlo."
    no_english(shown_text(again))
    english = start_ui.StartPage()
    english.new_a.value, english.new_b.value = "Zoë", "Sam"
    english.create_button.click()
    assert english.status.message == "Created the workbook “zoe-and-sam”."


def test_the_workshop_join_screen_is_spanish(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")
    workshop.create_couples(data_dir, 3)
    start = start_ui.StartPage(lang="es")
    assert "Entra a tu cuaderno" in html_of(start)
    no_english(shown_text(start), "KT7Q-4MXP-9RWA")
    # A name in the address does not open a workbook in a workshop: said in Spanish.
    named = start_ui.StartPage("couple-01", lang="es")
    assert named.status.message == (
        "En este taller, abre tu cuaderno con el código de acceso de tu pareja."
    )


# --- the start page of a partner -------------------------------------------------------------


@pytest.mark.parametrize("with_entries", [False, True])
def test_a_partners_start_page_frame_is_spanish(
    wb: workbook.Workbook, monkeypatch: pytest.MonkeyPatch, with_entries: bool
) -> None:
    if with_entries:
        wb.mark_step("a", 1)
        wb.mark_step("b", 2)
        wb.add_reflection("b", 2, "what-happened", "We stopped talking in the summer.")
    start = start_ui.StartPage(wb.name, "a", lang="es")
    assert start.session is not None
    assert start.session.lang == "es"
    text = frame_text(start)
    no_english(text)
    done = "1" if with_entries else "0"
    assert f"Sam: {done} de 7 pasos hechos." in text
    assert "Hola, Sam" in text
    assert "Paso 3: Empatía y paciencia" in " ".join(text)
    # The safety question: both answers reply in Spanish; the English value is what counts.
    q = next(w for w in walk(start) if isinstance(w, start_ui.SafetyQuestion))
    assert [label for label, _ in q.answer.options] == ["Sí", "No siempre, o no lo sé"]
    for answer in ("Yes", "Not always, or I am not sure"):
        q.answer.value = answer
        no_english(shown_text(q))
    # Changing one's name says thank you in Spanish.
    start.names.name.value = "Sami"
    start.names.save.click()
    assert "Hola, Sami" in frame_text(start)
    no_english(frame_text(start), "Sami")


def test_the_workshop_consent_and_the_name_asked_first_are_spanish(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")
    code = workshop.create_couples(data_dir, 3)[0]
    start = start_ui.StartPage(code=code.code, who="b", lang="es")
    assert start.session is not None
    first = start.session.name
    assert "¿Cómo te llamamos?" in html_of(start)
    consent = next(w for w in walk(start) if isinstance(w, start_ui.ConsentForm))
    consent.box.value = True
    assert consent.status.message == "Gracias, tus números ya forman parte del gráfico."
    consent.box.value = False
    assert consent.status.message == "Tus números no forman parte del gráfico."
    no_english(frame_text(start), first, code.code)


def test_choosing_english_on_the_start_page_turns_the_frame_back_to_english(
    wb: workbook.Workbook,
) -> None:
    start = start_ui.StartPage(wb.name, "a", lang="es")
    chooser = next(w for w in walk(start) if w.__class__.__name__ == "LanguageChooser")
    chooser.buttons["en"].click()
    text = frame_text(start)
    assert "Hello, Sam" in text
    assert "Sam: 0 of 7 steps done." in text
    assert "Español" in [w.description for w in walk(start) if isinstance(w, widgets.Button)]


# --- every page's header, links and footer; the worksheet links ---------------------------


@pytest.mark.parametrize("step", range(1, 9))
def test_a_step_pages_frame_is_spanish(wb: workbook.Workbook, step: int) -> None:
    wb.add_reflection("b", 2, "what-happened", "We stopped talking in the summer.")
    page = pages.StepPage(spanish(wb), step)
    text = frame_text(page)
    no_english(text)
    words = " ".join(text)
    assert "Escribiendo como Sam · cuaderno sam-and-alex · ¿no eres tú?" in words
    assert "Todos los pasos" in words
    assert "Consulta <a href='./08_walk_away.ipynb?wb=sam-and-alex&amp;who=a&amp;lang=es'>" in (
        html_of(page)
    )
    if step < 8:
        assert f"Paso {step + 1} →" in words
    if step > 1:
        assert f"← Paso {step - 1}" in words
    links = [w for w in walk(page) if isinstance(w, pages.WorksheetLinks)]
    if links and links[0].children[1:]:
        links[0].prepare.click()
        assert "Descargarla (respuestas guardadas hasta las" in html_of(links[0])
        no_english(shown_text(links[0]))


def test_a_step_page_puts_the_partners_kept_language_in_the_address(
    wb: workbook.Workbook,
) -> None:
    wb.set_partner_lang("a", "es")
    s = english(wb)  # no lang= in the address: the partner's kept choice
    assert s.lang == "es"
    pages.StepPage(s, 3)
    bridge = s.privacy.bridge.value
    assert "data-op='address'" in bridge
    assert "data-value='wb=sam-and-alex&amp;lang=es&amp;who=a'" in bridge
    b = english(wb, "b")  # English: the address is left as it is
    pages.StepPage(b, 3)
    assert "data-op='address'" not in b.privacy.bridge.value


def test_the_english_frame_reads_as_before(wb: workbook.Workbook) -> None:
    s = english(wb)
    page = pages.StepPage(s, 3)
    words = " ".join(frame_text(page))
    assert "Writing as Sam · workbook sam-and-alex · not you?" in words
    for link in ("All steps", "← Step 2", "Step 4 →", "Trends", "Keep and move"):
        assert link in words
    assert (
        "See <a href='./08_walk_away.ipynb?wb=sam-and-alex&amp;who=a'>when to walk away</a>."
        in (html_of(page))
    )
    assert step_title(3) == "Step 3: Empathy and patience"
    assert step_title(0) == "Start here"
    assert "Sam: 0 of 7 steps done." in frame_text(start_ui.StartPage(wb.name, "a"))


def test_the_header_escapes_names_inside_the_translated_sentence(
    wb: workbook.Workbook,
) -> None:
    wb.rename_partner("a", "Sam & 'Jo'")
    head = html_of(pages.header(spanish(wb), 3))
    assert "<strong><bdi>Sam &amp; &#39;Jo&#39;</bdi></strong>" in head


# --- the way back: a page opened without a workbook or partner ---------------------------------


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ({"lang": "es"}, "Esta página no sabe qué cuaderno abrir."),
        ({"lang": "es", "wb": "sam-and-alex"}, "Esta página no sabe quién escribe."),
    ],
)
def test_the_way_back_panel_speaks_the_address_language(
    wb: workbook.Workbook, monkeypatch: pytest.MonkeyPatch, query: dict[str, str], reason: str
) -> None:
    monkeypatch.setattr(session_ui, "read_query", lambda: query)
    page = pages.step_page(3, query.get("wb"), None)
    text = shown_text(page)
    no_english(text)
    assert reason in " ".join(text)
    assert "Empecemos desde el principio" in text
    assert "./00_start.ipynb?lang=es" in html_of(page)
    # The English sentence stays the value for logs and the library.
    found = resolve_session(query=query)
    assert isinstance(found, str)
    assert "This page does not know" in found


def test_a_way_back_without_lang_is_english_as_before(
    wb: workbook.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_ui, "read_query", lambda: {})
    text = " ".join(shown_text(pages.step_page(3, None, None)))
    assert "This page does not know which workbook to open. Start from the first page" in text
    assert "Let's start from the beginning" in text


# --- passphrase panels and Lock ----------------------------------------------------------------


def test_setting_unlocking_and_locking_speak_spanish(wb: workbook.Workbook) -> None:
    s = spanish(wb)
    panel = passphrase.PassphrasePanel(s.privacy, compact=False)
    no_english(shown_text(panel))
    assert "Frase de acceso" in [getattr(w, "description", "") for w in walk(panel)]
    panel.password.value, panel.confirm.value = "river stone", "river stones"
    panel.set_button.click()
    assert panel.status.message == (
        "Las dos frases de acceso no coinciden. No se creó nada; escríbelas de nuevo, por favor."
    )
    assert not wb.has_passphrase("a")
    no_english(shown_text(panel))
    panel.password.value, panel.confirm.value = "river stone", "river stone"
    panel.set_button.click()
    assert panel.status.message.startswith("Frase de acceso creada.")
    no_english(shown_text(panel))
    lock = header_lock(s.privacy)
    assert [w.description for w in walk(lock) if isinstance(w, widgets.Button)] == ["Bloquear"]
    panel.lock_button.click()
    assert panel.status.message == "Bloqueado. Tus entradas privadas están ocultas."
    no_english(shown_text(panel))


@pytest.mark.parametrize(
    ("count", "start"),
    [
        (0, "Escribe tu frase de acceso para abrir tus entradas privadas"),
        (1, "Tienes 1 entrada privada. Escribe tu frase de acceso para abrirla;"),
        (2, "Tienes 2 entradas privadas. Escribe tu frase de acceso para abrirlas;"),
    ],
)
def test_the_unlock_panel_counts_private_entries_in_spanish(
    wb: workbook.Workbook, count: int, start: str
) -> None:
    wb.set_passphrase("a", "river stone")
    wb.unlock("a", "river stone")
    for n in range(count):
        wb.add_reflection("a", 2, "what-happened", f"only mine {n}", visibility="private")
    wb.lock("a")
    panel = passphrase.PassphrasePanel(spanish(wb).privacy)
    text = " ".join(shown_text(panel))
    assert start in text
    assert "15 minutos" in text
    no_english(shown_text(panel))
    panel.unlock_button.click()  # nothing typed: an error, the panel still in Spanish
    assert panel.status.kind == "error"


def test_the_english_unlock_panel_reads_as_before(wb: workbook.Workbook) -> None:
    wb.set_passphrase("a", "river stone")
    wb.unlock("a", "river stone")
    wb.add_reflection("a", 2, "what-happened", "only mine", visibility="private")
    wb.lock("a")
    text = html_of(passphrase.PassphrasePanel(english(wb).privacy))
    assert (
        "You have 1 private entry. Type your passphrase to open it; it stays open on the pages "
        "you visit until you lock it, or until 15 minutes pass without you using the workbook."
    ) in text


# --- step 5's kinds of therapy and questions, step 7's time together -------------------------


def test_step_5s_kinds_of_therapy_are_in_spanish(wb: workbook.Workbook) -> None:
    from workbook.steps import steps_in
    from workbook.ui.support import approaches

    s = spanish(wb)
    ex = steps_in("es")[5].exercise("therapy-approaches")
    shown = approaches(ex, s.gettext)
    acc = next(w for w in walk(shown) if isinstance(w, widgets.Accordion))
    assert acc.titles[0] == "Terapia centrada en las emociones (EFT)"
    no_english([*shown_text(shown), *acc.titles], "EFT", "LMFT", "Gottman")
    page = pages.StepPage(s, 5)  # the page builds it in the partner's language
    built = next(w for w in walk(page) if isinstance(w, widgets.Accordion))
    assert built.titles == acc.titles
    english_titles = next(
        w for w in walk(pages.StepPage(english(wb), 5)) if isinstance(w, widgets.Accordion)
    ).titles
    assert english_titles[0] == "Emotionally Focused Therapy (EFT)"


def test_step_5s_questions_for_a_therapist_ask_in_spanish(wb: workbook.Workbook) -> None:
    from workbook.steps import steps_in
    from workbook.ui.support import TherapistQuestionsForm

    form = TherapistQuestionsForm(spanish(wb), steps_in("es")[5].exercise("therapist-questions"))
    assert form.answer.description == "Mi propia pregunta (opcional)"
    form.save.click()  # nothing ticked or typed
    assert form.status.message == "Marca al menos una pregunta, o escribe la tuya, y luego guarda."
    assert wb.reflections(author="a") == []


def test_step_7s_time_together_is_saved_as_the_writer_reads_it(wb: workbook.Workbook) -> None:
    from datetime import date

    from workbook.ui.connection import QualityTimeForm

    es = QualityTimeForm(spanish(wb))
    assert es.when.description == "Cuándo (opcional)"
    es.save.click()  # nothing typed
    assert es.status.message == "Escribe lo que te gustaría hacer en pareja y luego guarda."
    es.answer.value, es.when.value = "Cenar en la terraza", date(2026, 12, 5)
    es.save.click()
    en = QualityTimeForm(english(wb, "b"))
    en.answer.value, en.when.value = "A walk by the river", date(2026, 12, 5)
    en.save.click()
    texts = sorted(r.text for r in wb.reflections())
    assert texts == [
        "A walk by the river — on Saturday 05 December 2026",
        "Cenar en la terraza — el sábado, 5 de diciembre de 2026",
    ]


# --- the page chrome: the tab's title and Voila's loading line ---------------------------------

TEMPLATE = Path(workbook.__file__).parent / "templates/voila/templates/healing"


def test_every_pages_tab_title_has_its_spanish_words() -> None:
    import json

    from workbook.page_words import APP, english_titles, page_words

    words = page_words()["es"]
    titles = words["titles"]
    assert isinstance(titles, dict)
    notebooks = Path(workbook.__file__).parents[1] / "notebooks"
    for nb in sorted(notebooks.glob("*.ipynb")):
        title = json.loads(nb.read_text(encoding="utf-8"))["metadata"]["title"]
        # Every title that says more than the app's name (step 8's says nothing) is known.
        assert title == APP or title in titles, nb.name
    assert titles["Step 3 · Empathy and patience · Healing Together"] == (
        "Paso 3 · Empatía y paciencia · Healing Together"
    )
    assert titles["Workshop · Healing Together"] == "Taller: para quien facilita · Healing Together"
    assert set(titles) == set(english_titles().values())
    assert words["loading"] == "Abriendo %(page)s…"
    assert words["progress"] == "Preparando la página: %(done)s de %(total)s"
    # A part of the page that failed: Voila's English stays, the reader's words go above it.
    from workbook.serving import CELL_ERROR_MESSAGE

    assert CELL_ERROR_MESSAGE not in str(words), "the page's error checks look for it"
    assert words["cell_error"] == {
        "text": (
            "Esta parte de la página no se pudo mostrar. No se perdió nada de lo que "
            "escribiste. Vuelve a cargar la página para intentarlo de nuevo; si vuelve a "
            "pasar, avísale a la persona que administra el cuaderno."
        ),
    }


def test_the_template_carries_the_page_words_and_turns_voilas_loading_line() -> None:
    import html as html_lib
    import json
    import re

    import jinja2
    from jupyter_core.paths import jupyter_path

    from workbook.page_words import page_words

    template = (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
    start = template.index('<a id="ht-exit"')
    link = template[start : template.index("</script>", start) + 9]
    rendered = (
        jinja2.Environment(autoescape=True)
        .from_string("{% set exit_url = 'https://x.test/' %}" + link)
        .render(resources={"ht_page_words": page_words()})
    )
    found = re.search(r"data-page-words='([^']*)'", rendered)
    assert found is not None
    carried = json.loads(html_lib.unescape(found.group(1)))
    assert carried["es"]["loading"] == "Abriendo %(page)s…"
    assert "window.htSpeakPage && window.htSpeakPage();" in rendered
    # The lines the template turns are Voila's own, as installed (else it shows English).
    macros = [
        Path(d) / "voila_setup.macro.html.j2" for d in jupyter_path("voila", "templates", "base")
    ]
    voila_macro = next(m for m in macros if m.is_file()).read_text(encoding="utf-8")
    turned = re.findall(
        r"replace\('(`[A-Z][a-z]+ \$\{cell_index\} of \$\{cell_count\}`)'", template
    )
    assert len(turned) == 2
    for line in turned:
        assert line in voila_macro
    script = (TEMPLATE / "static/healing.js").read_text(encoding="utf-8")
    assert "window.htSpeakPage = function" in script
    assert "window.htProgress = function (english, done, total)" in script
    assert "function speakCellErrors()" in script
    assert "line.textContent = said.text;" in script  # the words go in as text, never HTML


# --- the crisis resources ---------------------------------------------------------------------


def test_every_countrys_resources_read_as_spanish_and_gender_neutral() -> None:
    import html as html_lib
    import re

    from workbook.resources import all_countries_html, resources_line_html

    text = str(all_countries_html(lang="es")) + str(resources_line_html("es"))
    lines = html_lib.unescape(re.sub(r"<[^>]+>", "\n", text)).splitlines()
    no_english([line.strip() for line in lines if line.strip()])
    # "press 1 for veterans": for people, not "veterano o veterana".
    assert "o 1 para personas veteranas" in text
    assert "veterano o veterana" not in text


# --- the server's own pages: an address without its key, and /logout ---------------------------


def page_lines(page: str) -> list[str]:
    import html as html_lib
    import re

    body = page[page.index("<body>") :]
    return [
        line.strip()
        for line in html_lib.unescape(re.sub(r"<[^>]+>", "\n", body)).splitlines()
        if line.strip()
    ]


def test_the_key_page_speaks_the_language_of_the_page_asked_for() -> None:
    from workbook.server_pages import KEY_NEEDED_PAGE

    spanish_page = KEY_NEEDED_PAGE.render(
        xsrf="",
        next="/voila/render/03_empathy_patience.ipynb?wb=ours&who=a&lang=es",
        refused=True,
        exit_url="https://example.org/",
    )
    assert '<html lang="es">' in spanish_page
    no_english(page_lines(spanish_page))
    assert "Esta página necesita el enlace completo" in spanish_page
    assert "la parte larga que va después de <code>?token=</code>." in spanish_page
    assert "Esa clave no abrió el cuaderno." in spanish_page
    assert ">Salida rápida ✕</a>" in spanish_page
    english_page = KEY_NEEDED_PAGE.render(
        xsrf="", next="/voila/render/03_empathy_patience.ipynb", refused=False, exit_url="x"
    )
    assert '<html lang="en">' in english_page
    assert "the long part after <code>?token=</code>. Open the whole link" in english_page
    assert "That key did not open" not in english_page


def test_signing_out_is_said_in_the_addresss_language() -> None:
    from workbook.server_pages import signed_out_page

    spanish_page = signed_out_page("es")
    assert "<h1>Cerraste la sesión</h1>" in spanish_page
    no_english(page_lines(spanish_page))
    assert "<h1>You are signed out</h1>" in signed_out_page(None)
    assert "<title>Signed out</title>" in signed_out_page("xx")


def test_a_page_whose_kernel_is_gone_has_its_words_in_every_language() -> None:
    from workbook.page_words import CLOSED, CLOSED_BUTTON, CLOSED_UNSAVED, closed_words

    words = closed_words()
    assert words["en"] == {"text": CLOSED, "unsaved": CLOSED_UNSAVED, "button": CLOSED_BUTTON}
    assert words["es"]["button"] == "Volver a abrir la página"
    assert words["es"]["text"].startswith("Esta página ya no puede guardar")
    assert "copy" not in words["es"]["unsaved"]
