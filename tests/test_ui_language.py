"""Each partner in their own language: kept with the partner (schema 7), carried in the
address as ``lang=es``, chosen on the start page; the interface speaks it, the partners' words
stay as written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import ipywidgets as widgets
import pytest
from widget_utils import html_of, walk

import workbook
from workbook import store
from workbook.domain import ValidationError
from workbook.paths import SUFFIX
from workbook.steps import HEALING_STEPS, steps_in
from workbook.ui import pages
from workbook.ui import start as start_ui
from workbook.ui.base import page_url, resolve_session
from workbook.ui.language import LanguageChooser, language_name


def words_on(w: widgets.Widget) -> str:
    """Everything a person reads in a widget tree: HTML text, labels and placeholders."""
    labels = [getattr(x, a, "") for x in walk(w) for a in ("description", "placeholder")]
    return html_of(w) + "\n" + "\n".join(str(t) for t in labels)


# --- kept with the partner ---------------------------------------------------------------------


def test_a_workbook_of_schema_6_gains_the_partners_language(tmp_path: Path) -> None:
    path = tmp_path / f"old{SUFFIX}"
    con = sqlite3.connect(path)
    for migration in store.MIGRATIONS[:6]:
        con.executescript(migration)
    con.execute(f"PRAGMA application_id = {store.APP_ID}")
    con.execute("PRAGMA user_version = 6")
    con.execute("INSERT INTO meta VALUES ('name', 'old')")
    con.execute("INSERT INTO partners (id, name) VALUES ('a', 'Sam'), ('b', 'Alex')")
    con.commit()
    con.close()
    opened = workbook.open(path)
    assert opened._con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert opened.partner_lang("a") is None
    assert opened.set_partner_lang("a", "es") == "es"
    assert (opened.partner_lang("a"), opened.partner_lang("b")) == ("es", None)
    opened.close()


def test_a_language_not_spoken_is_refused_and_changes_nothing(wb: workbook.Workbook) -> None:
    wb.set_partner_lang("a", "es")
    for bad in ("xx", "", "es'; DROP TABLE partners; --"):
        with pytest.raises(
            ValidationError, match="Choose a language the workbook speaks: en or es"
        ):
            wb.set_partner_lang("a", bad)
    assert wb.partner_lang("a") == "es"


def test_the_language_travels_in_an_export(wb: workbook.Workbook, data_dir: Path) -> None:
    wb.set_partner_lang("b", "es")
    copy = workbook.import_json(wb.export_json(), "copy")
    assert (copy.partner_lang("a"), copy.partner_lang("b")) == (None, "es")
    copy.close()


# --- in the address ------------------------------------------------------------------------------


def test_lang_in_the_address_reaches_the_session_and_its_links(wb: workbook.Workbook) -> None:
    session = resolve_session(query={"wb": wb.name, "who": "a", "lang": "es"})
    assert not isinstance(session, str)
    assert session.lang == "es"
    assert session.url(3) == f"./03_empathy_patience.ipynb?wb={wb.name}&who=a&lang=es"
    assert session.gettext("When to walk away") == "Cuándo alejarse"
    english = resolve_session(query={"wb": wb.name, "who": "b"})
    assert not isinstance(english, str)
    assert english.lang == "en"
    assert "lang" not in english.url(3)
    assert page_url(2, wb.name, "a", lang="fr") == f"./02_acknowledge_pain.ipynb?wb={wb.name}&who=a"


def test_a_kept_language_is_used_when_the_address_has_none(wb: workbook.Workbook) -> None:
    wb.set_partner_lang("a", "es")
    session = resolve_session(query={"wb": wb.name, "who": "a"})
    assert not isinstance(session, str)
    assert session.lang == "es"
    other = resolve_session(query={"wb": wb.name, "who": "a", "lang": "en"})
    assert not isinstance(other, str)
    assert other.lang == "en"  # the address says what this page speaks


@pytest.mark.parametrize("step", sorted(HEALING_STEPS))
def test_a_spanish_step_page_shows_the_steps_prompts_and_resources_in_spanish(
    wb: workbook.Workbook, step: int
) -> None:
    session = resolve_session(query={"wb": wb.name, "who": "a", "lang": "es"})
    assert not isinstance(session, str)
    page = words_on(pages.StepPage(session, step))
    spanish = steps_in("es")[step]
    for ex in spanish.on_page:
        assert ex.title in page or ex.title.replace("“", "&#8220;") in page or not ex.title
    english = HEALING_STEPS[step]
    for ex in english.on_page:
        if ex.question and "{partner}" not in ex.question:
            assert ex.question not in page, f"step {step}: English prompt {ex.question[:40]!r}"
    assert "En Estados Unidos" in page  # the footer's crisis lines
    assert "Línea Nacional sobre la Violencia Doméstica" in page
    session.close()


# --- chosen on the start page; each partner in their own ------------------------------------


def test_each_partner_chooses_their_own_language_on_the_start_page(
    wb: workbook.Workbook,
) -> None:
    start = start_ui.StartPage(wb.name, "a")
    (chooser,) = [w for w in walk(start) if isinstance(w, LanguageChooser)]
    assert [b.description for b in chooser.buttons.values()] == ["English", "Español"]
    assert chooser.buttons["en"].disabled
    chooser.buttons["es"].click()
    assert wb.partner_lang("a") == "es"
    assert wb.partner_lang("b") is None
    assert start.session is not None
    assert start.session.lang == "es"
    assert "lang=es" in start.session.url(1)
    (chooser,) = [w for w in walk(start) if isinstance(w, LanguageChooser)]
    assert chooser.buttons["es"].disabled  # the page was rebuilt in the new language
    assert language_name("es") == "Español"


def test_one_partner_in_spanish_and_one_in_english_see_each_others_words_as_written(
    wb: workbook.Workbook,
) -> None:
    wb.set_partner_lang("a", "es")
    wb.add_reflection("a", 2, "what-happened", "Nos dejamos de hablar en verano.")
    wb.add_reflection("b", 2, "what-happened", "We stopped talking in the summer.")
    sam = resolve_session(query={"wb": wb.name, "who": "a"})
    alex = resolve_session(query={"wb": wb.name, "who": "b"})
    assert not isinstance(sam, str)
    assert not isinstance(alex, str)
    assert (sam.lang, alex.lang) == ("es", "en")
    for session in (sam, alex):
        page = words_on(pages.StepPage(session, 2))
        assert "Nos dejamos de hablar en verano." in page
        assert "We stopped talking in the summer." in page
    assert "Con tus propias palabras, ¿qué pasó?" in words_on(pages.StepPage(sam, 2))
    assert "In your own words, what happened?" in words_on(pages.StepPage(alex, 2))
    sam.close()
    alex.close()


def test_a_first_visit_with_lang_es_keeps_it_with_the_partner(
    wb: workbook.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(start_ui, "read_query", lambda: {"lang": "es"})
    start = start_ui.StartPage(wb.name, "b")
    assert start.session is not None
    assert start.session.lang == "es"
    assert wb.partner_lang("b") == "es"
    assert wb.partner_lang("a") is None


def test_a_spanish_partner_prints_spanish_worksheets_with_the_words_as_written(
    wb: workbook.Workbook,
) -> None:
    import base64
    import re

    wb.add_reflection("b", 2, "what-happened", "We stopped talking in the summer.")
    session = resolve_session(query={"wb": wb.name, "who": "a", "lang": "es"})
    assert not isinstance(session, str)
    links = pages.WorksheetLinks(session, 2)
    links.prepare.click()
    sheets = [
        base64.b64decode(m).decode("utf-8")
        for m in re.findall(r"base64,([A-Za-z0-9+/=]+)", html_of(links))
    ]
    assert len(sheets) == 2  # blank, and with our shared answers
    for sheet in sheets:
        assert "Paso 2: Reconocer el dolor" in sheet
    assert "We stopped talking in the summer." in sheets[1]
    session.close()
