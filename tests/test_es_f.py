"""Issue 21, the domain's and the store's messages in Spanish: bad input, locked entries, busy,
damaged or newer files. Each is raised with its English sentence as a catalogue entry and its
values apart (``raise ValidationError(N_("%(what)s is empty..."), what=N_("Your answer"))``):
``str(err)`` stays the English sentence (logs, the CLI, the library) and a Spanish page shows
``err.in_language(gettext)``, with no English left."""

from __future__ import annotations

import ast
import json
import re
import sqlite3
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest
from babel.messages.pofile import read_po
from english import english_left, shown_text
from widget_utils import walk

import workbook
from workbook import i18n, paths, privacy, store
from workbook.domain import (
    CSI4_DISTRESS_CUTOFF,
    CSI4_ITEMS,
    CSI4_LINE_MEANING,
    CheckIn,
    Promise,
    Reflection,
    SelfCare,
    StepProgress,
    partner_name,
)
from workbook.i18n_extract import marked
from workbook.store.errors import DISK_FULL, cannot_save
from workbook.ui import pages
from workbook.ui.base import resolve_session
from workbook.ui.blocks import Status
from workbook.validation import Message, ValidationError

ROOT = Path(__file__).resolve().parent.parent
#: The files whose messages this part of issue 21 owns.
OWNED = [
    *(
        ROOT / "workbook" / f"{m}.py"
        for m in ("validation", "domain", "step_model", "content", "paths", "privacy")
    ),
    *sorted((ROOT / "workbook" / "store").glob("*.py")),
]
PO = i18n.LOCALE_DIR / "es" / "LC_MESSAGES" / "workbook.po"
#: The errors whose messages are meant for people (`Message` and its subclasses).
PEOPLE_ERRORS = {
    "ValidationError",
    "WorkbookError",
    "StaleEntry",
    "CannotSave",
    "WorkbookNotFound",
    "WorkbookExists",
    "NotAWorkbook",
    "DamagedWorkbook",
    "NewerWorkbook",
    "Locked",
    "WrongPassphrase",
    "BadName",
}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")

es = i18n.translator("es").gettext
en = i18n.translator("en").gettext


def _marked_in(path: Path) -> list[str]:
    """The texts `N_(...)` marks in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "N_"
        and isinstance(node.args[0], ast.Constant)
    ]


def _catalogue() -> dict[str, str]:
    with PO.open("rb") as fh:
        cat = read_po(fh, locale="es")
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and not m.fuzzy}


# --- the catalogue: every message raised through N_ is there, in Spanish, placeholders kept ----


def test_every_message_raised_through_n_has_a_spanish_translation_with_its_placeholders() -> None:
    ours = {text for path in OWNED for text in _marked_in(path)}
    assert len(ours) > 100  # the messages of the domain and the store, not an empty list
    assert ours <= marked(), "make translations extracts N_ inside raise X(N_(...))"
    entries = _catalogue()
    for text in sorted(ours):
        assert entries.get(text), f"no Spanish for {text!r}"
        assert set(_PLACEHOLDER.findall(text)) == set(_PLACEHOLDER.findall(entries[text])), text
        assert entries[text] != text or text in {"%(said)s Nothing was restored."}, text


def test_no_message_for_people_is_built_from_pieces() -> None:
    """Every ``raise X(...)`` of a person's error passes a catalogue entry (``N_(...)``, a
    constant made with it, or a choice of two), never an f-string or joined text."""
    found = []
    for path in OWNED:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            call, func = node.exc, node.exc.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in PEOPLE_ERRORS or not call.args:
                continue
            first = call.args[0]
            options = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            for arg in options:
                is_n = (
                    isinstance(arg, ast.Call)
                    and isinstance(arg.func, ast.Name)
                    and arg.func.id == "N_"
                )
                constant = isinstance(arg, ast.Name) and (arg.id.isupper() or arg.id == "exists")
                # A library's own words (SQLite, base64) about an export's row, as written.
                library = ast.unparse(arg) == "str(err)" and path.name == "exchange.py"
                if not (is_n or constant or library):
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(arg)[:60]}")
    assert found == []


# --- each message: English as it was, Spanish with no English left ---------------------------


def _raised(action: Callable[[], object]) -> Message:
    with pytest.raises((ValidationError, store.WorkbookError)) as info:
        action()
    assert isinstance(info.value, Message)
    return info.value


def _spanish(err: Message, *allowed: str) -> str:
    said = err.in_language(es)
    assert said != str(err), f"not translated: {str(err)!r}"
    assert english_left([said], allowed=allowed) == [], said
    assert err.in_language(en) == str(err)  # an English page says what it always said
    return said


@pytest.mark.parametrize(
    ("action", "english", "spanish"),
    [
        (
            lambda: Reflection(author="a", step=2, prompt="what-happened", text="  "),
            "Your answer is empty. Write a few words first.",
            "Tu respuesta está en blanco. Escribe unas palabras primero.",
        ),
        (
            lambda: Promise(author="a", text="", made=date(2026, 1, 2)),
            "The promise is empty. Write a few words first.",
            "La promesa está en blanco. Escribe unas palabras primero.",
        ),
        (
            lambda: CheckIn(author="a", mood=None, trust=5),  # type: ignore[arg-type]
            "Mood must be a whole number from 1 to 10, got None.",
            "Ánimo: tiene que ser un número entero del 1 al 10 (llegó None).",
        ),
        (
            lambda: CheckIn(author="a", mood=5, trust=11),
            "Trust must be a whole number from 1 to 10, got 11.",
            "Confianza: tiene que ser un número entero del 1 al 10 (llegó 11).",
        ),
        (
            lambda: Reflection(author="a", step=2, prompt="p", text="x" * 20_001),
            "Your answer is too long: 20,001 characters, the limit is 20,000. "
            "Try splitting it into several entries.",
            "Tu respuesta: el texto es demasiado largo (20,001 caracteres; el límite es "
            "20,000). Prueba a repartirlo en varias entradas.",
        ),
        (
            lambda: Promise(
                author="a", text="Call", made=date(2026, 3, 2), status="kept", resolved=None
            ),
            "Say on which day the promise was kept.",
            "Indica qué día se cumplió la promesa.",
        ),
        (
            lambda: Promise(
                author="a",
                text="Call",
                made=date(2026, 3, 2),
                status="broken",
                resolved=date(2026, 3, 1),
            ),
            "A promise cannot be broken before the day it was made.",
            "Una promesa no puede romperse antes del día en que se hizo.",
        ),
        (
            lambda: StepProgress(author="a", step=8, done=True),
            "Step 8 is never marked done: nothing done on it is saved, so it leaves no trace "
            "your partner could see. Nothing was saved.",
            "El paso 8 nunca se marca como hecho: nada de lo que hagas en él se guarda, así que "
            "no deja ningún rastro que tu pareja pueda ver. No se guardó nada.",
        ),
        (
            lambda: partner_name("\u202eSam"),
            "A partner's name cannot contain invisible or text-direction characters "
            "(it has U+202E). Type the name again by hand.",
            "Un nombre no puede llevar caracteres invisibles ni de dirección del texto (este "
            "tiene U+202E). Escribe el nombre otra vez a mano.",
        ),
        (
            lambda: partner_name("   "),
            "A partner's name is empty. Write a few words first.",
            "El nombre está en blanco. Escribe unas palabras primero.",
        ),
        (
            lambda: privacy.check_passphrase_strength("short"),
            "Choose a passphrase of at least 8 characters; a few words you will remember "
            "work well.",
            "Elige una frase de acceso de 8 caracteres como mínimo; unas cuantas palabras que "
            "vayas a recordar funcionan bien.",
        ),
        (
            lambda: paths.check_name(""),
            "Give the workbook a name, for example 'sam-and-alex'.",
            "Ponle un nombre al cuaderno, por ejemplo 'sam-y-alex'.",
        ),
    ],
)
def test_bad_input_is_refused_in_english_as_before_and_in_spanish(
    action: Callable[[], object], english: str, spanish: str
) -> None:
    err = _raised(action)
    assert str(err) == english
    assert _spanish(err) == spanish


def test_the_domains_other_refusals_read_in_spanish() -> None:
    for action in (
        lambda: Reflection(author="a", step=2, prompt="p", text="a\x00b"),
        lambda: Reflection(author="a", step=2, prompt="p", text="a\ud83d"),
        lambda: Reflection(author="a", step=9, prompt="p", text="a"),
        lambda: CheckIn(author="a", mood=5, trust=5, visibility="paired"),  # type: ignore[arg-type]
        lambda: SelfCare(author="a", day=date(2026, 1, 1), kind="rest", minutes=2000),
        lambda: Promise(author="a", text="x", made=date(2026, 3, 2), due=date(2026, 3, 1)),
        lambda: partner_name("A" * 41),
        lambda: partner_name("<b>"),
        lambda: paths.check_name("Sam & Alex"),
    ):
        _spanish(_raised(action), "Sam & Alex", "AAAA")


# --- the store: entries changed elsewhere, locked, answered; files busy, damaged, newer ----------


def test_the_stores_refusals_read_in_spanish(wb: workbook.Workbook, data_dir: Path) -> None:
    r = wb.add_reflection("a", 2, "what-happened", "We stopped talking.")
    wb.edit_reflection(r.id, author="a", text="We stopped talking in June.", version=1)
    stale = _raised(lambda: wb.edit_reflection(r.id, author="a", text="Older view", version=1))
    assert str(stale).startswith("This entry was changed on another page or device")
    assert _spanish(stale).startswith("Esta entrada se cambió en otra página")
    p = wb.add_promise("a", "Call on Sunday")
    wb.delete_promise(p.id, author="a")
    gone = _raised(lambda: wb.delete_promise(p.id, author="a"))
    assert _spanish(gone) == "Esa entrada ya no está. No se cambió nada."
    _spanish(_raised(lambda: wb.edit_reflection(r.id, author="b", text="Mine now")))
    _spanish(_raised(lambda: wb.add_reflection("a", 2, "x", "Secret", visibility="private")))
    _spanish(_raised(lambda: wb.add_reply("a", "reflections", r.id, "I hear you")))
    wb.set_passphrase("a", "a long passphrase")
    wb.lock("a")
    wrong = _raised(lambda: wb.unlock("a", "not the passphrase"))
    assert _spanish(wrong).startswith("Esa frase de acceso no coincide.")
    _spanish(_raised(lambda: wb.set_partner_lang("a", "fr")))
    assert "en o es" in _raised(lambda: wb.set_partner_lang("a", "fr")).in_language(es)
    _spanish(_raised(lambda: wb.rename_partner("a", "ALEX")), "ALEX")
    _spanish(_raised(lambda: workbook.create(wb.name, "Sam", "Alex")), wb.name)
    _spanish(_raised(lambda: store.open_workbook("no-such-couple")), "no-such-couple")


def test_the_weekly_check_gives_its_dates_in_the_readers_language(wb: workbook.Workbook) -> None:
    day = date(2026, 12, 1)
    wb.add_csi4("a", (4, 4, 4, 4), day=day)
    err = _raised(lambda: wb.add_csi4("a", (4, 4, 4, 4), day=day + timedelta(days=2)))
    assert str(err) == (
        "The satisfaction check is weekly: you answered on 01 Dec, so the next one is due on "
        "08 Dec 2026. Nothing was saved."
    )
    said = _spanish(err)
    assert "respondiste el 1 de diciembre" in said
    assert "te toca el 8 dic 2026" in said  # "dd MMM y": the short date the pages use


def test_damaged_newer_and_foreign_files_are_refused_in_spanish(tmp_path: Path) -> None:
    foreign = tmp_path / f"notes{paths.SUFFIX}"
    foreign.write_text("just some notes")
    err = _raised(lambda: workbook.open(foreign))
    assert isinstance(err, store.NotAWorkbook)
    assert _spanish(err, foreign.name) == (
        f"{foreign.name} no es un cuaderno de Healing Together (no es un archivo SQLite). "
        "No se tocó el archivo."
    )
    newer = tmp_path / f"newer{paths.SUFFIX}"
    con = sqlite3.connect(newer)
    con.execute(f"PRAGMA application_id = {store.APP_ID}")
    con.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    con.close()
    err = _raised(lambda: workbook.open(newer))
    assert isinstance(err, store.NewerWorkbook)
    assert f"formato {store.SCHEMA_VERSION + 1}" in _spanish(err, newer.name)
    other_db = tmp_path / f"other{paths.SUFFIX}"
    sqlite3.connect(other_db).execute("CREATE TABLE t (x)").connection.close()
    _spanish(_raised(lambda: workbook.open(other_db)), other_db.name)
    _spanish(_raised(lambda: workbook.open(tmp_path)), tmp_path.name)


def test_a_save_that_cannot_reach_the_disk_says_so_in_spanish() -> None:
    err = cannot_save(sqlite3.OperationalError("database or disk is full"))
    assert err is not None
    assert str(err) == DISK_FULL
    assert _spanish(err).startswith("No se guardó nada: el disco de la computadora")
    busy = store.WorkbookError(
        "The workbook is busy (another page is saving). Nothing was saved; please try again."
    )
    assert _spanish(busy).startswith("El cuaderno está ocupado")


def test_imports_and_restores_say_what_is_wrong_in_spanish(
    wb: workbook.Workbook, data_dir: Path
) -> None:
    for junk in (b"\xff\xfe", "not json", json.dumps({"format": "something else"})):
        _spanish(_raised(lambda junk=junk: store.read_backup(junk)))
        _spanish(_raised(lambda junk=junk: workbook.import_json(junk, "copy")))
    doc = json.loads(wb.export_json())
    doc["checkins"] = [
        {"author": "a", "at": "2026-01-01T10:00:00+00:00", "mood": 4, "trust": 5,
         "note": "x" * 20_001, "visibility": "shared"}
    ]  # fmt: skip
    bad = json.dumps(doc)
    err = _raised(lambda: workbook.import_json(bad, "copy"))
    assert str(err) == (
        "That export could not be imported (checkins row 1: The note is too long: 20,001 "
        "characters, the limit is 20,000. Try splitting it into several entries.). "
        "Nothing was imported."
    )
    assert _spanish(err, "checkins") == (
        "No se pudo importar ese archivo (checkins, fila 1: La nota: el texto es demasiado "
        "largo (20,001 caracteres; el límite es 20,000). Prueba a repartirlo en varias "
        "entradas.). No se importó nada."
    )
    restored = _raised(lambda: workbook.restore_backup(bad, "copy"))
    assert str(restored).endswith("Nothing was restored.")
    assert "backup could not be imported" in str(restored)  # the English words, as before
    said = _spanish(restored, "checkins")
    assert said.endswith("No se restauró nada.")
    assert "No se importó nada" not in said
    assert not (data_dir / f"copy{paths.SUFFIX}").exists()


# --- on a Spanish page: Save pressed with nothing typed, or with too much --------------------


def _save_buttons(page: widgets.Widget) -> list[widgets.Button]:
    """The buttons that save something typed (not navigation, quick exit or language)."""
    skip = ("English", "Español", "Lock", "Bloquear")
    return [
        b
        for b in walk(page)
        if isinstance(b, widgets.Button) and b.description and b.description not in skip
    ]


def _errors_shown(page: widgets.Widget) -> list[str]:
    """The errors of the forms whose status line knows the reader's language. (A status made
    without one, ``Status()``, is its form's part of issue 21: the passphrase panel's, step
    done's in ui/forms.py, names', corrections'; they show these messages in English until
    their owners give them ``session.gettext``.)"""
    return [
        s.message
        for s in walk(page)
        if isinstance(s, Status) and s.kind == "error" and s.gettext is not str
    ]


def _ours_in_english(text: str) -> bool:
    """Whether `text` is one of this part's messages, still in English."""
    for path in OWNED:
        for msgid in _marked_in(path):
            if len(_PLACEHOLDER.sub("", msgid)) < 12:  # "%(some)s or %(last)s" says nothing alone
                continue
            pattern = re.escape(msgid)
            pattern = re.sub(r"%\\\(\w+\\\)[sdr]", ".+", pattern)
            if re.fullmatch(pattern, text, flags=re.DOTALL):
                return True
    return False


@pytest.mark.parametrize("step", [1, 2, 3, 4, 5, 6, 7])
@pytest.mark.parametrize("typed", ["", "x" * 20_001])
def test_save_on_a_spanish_step_page_shows_the_domains_messages_in_spanish(
    wb: workbook.Workbook, step: int, typed: str
) -> None:
    wb.add_reflection("b", step, "some-prompt", "Alex wrote this before.")
    session = resolve_session(query={"wb": wb.name, "who": "a", "lang": "es"})
    assert not isinstance(session, str)
    page = pages.StepPage(session, step)
    for box in walk(page):
        if isinstance(box, widgets.Textarea | widgets.Text) and not isinstance(
            box, widgets.Password
        ):
            box.value = typed
    for b in _save_buttons(page):
        b.click()
    shown = _errors_shown(page)
    assert shown, f"step {step}: pressing Save showed no message"
    ours = [m for m in shown if not english_left([m])]
    assert ours, f"step {step}: none of the messages is in Spanish: {shown}"
    assert [m for m in shown if _ours_in_english(m)] == [], shown
    if typed:
        assert any("el límite es 20,000" in m for m in shown), shown
    else:
        assert "Tu respuesta está en blanco. Escribe unas palabras primero." in shown or (
            step == 4 and "La promesa está en blanco. Escribe unas palabras primero." in shown
        )
    assert english_left(ours, allowed=["Alex", "Sam"]) == []
    session.close()


def test_the_english_page_says_what_it_always_said(wb: workbook.Workbook) -> None:
    session = resolve_session(query={"wb": wb.name, "who": "a"})
    assert not isinstance(session, str)
    page = pages.StepPage(session, 2)
    for b in _save_buttons(page):
        b.click()
    assert "Your answer is empty. Write a few words first." in _errors_shown(page)
    assert english_left(shown_text(page))  # English, as it was
    session.close()


def test_the_csi4_questions_and_its_line_have_spanish_for_the_pages_that_show_them() -> None:
    """The CSI-4 is defined in the domain; the pages that show it translate it (``_(q)``)."""
    for question, labels in CSI4_ITEMS:
        assert es(question) != question
        assert english_left([es(question), *map(es, labels)]) == []
        assert len({es(label) for label in labels}) == len(labels)  # the choices stay apart
    assert str(CSI4_DISTRESS_CUTOFF) in CSI4_LINE_MEANING  # the line's number, as defined
    assert i18n.format_decimal(CSI4_DISTRESS_CUTOFF, "es") in es(CSI4_LINE_MEANING)
