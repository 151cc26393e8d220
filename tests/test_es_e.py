"""Issue 21 in Spanish for "Keep and move" (reminders, backup, restore, the Daylio import),
the facilitator page, the workshop's and worksheets' messages, and the CLI's `--lang`.

Each page is built with a Spanish session from an empty workbook and with entries, buttons
are pressed with nothing chosen or with bad input, and `english_left` must find no English
left (the partners' names and words, mood names and file names are theirs, as written).
The English stays as it was (the existing tests of these files, and the checks here).
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import icalendar
import ipywidgets as widgets
import pytest
from english import english_left, shown_text
from test_keep import DAYLIO_CSV
from widget_utils import html_of

import workbook
from workbook import daylio, reminders, workshop
from workbook.cli import main
from workbook.cli_keep import backup_lines
from workbook.domain import ValidationError
from workbook.i18n import translator
from workbook.store import read_backup
from workbook.ui import facilitator
from workbook.ui.base import Session, resolve_session
from workbook.ui.keep import KeepPage
from workbook.worksheets import worksheet_html

ES = translator("es").gettext
#: What the partners wrote and named (shown as written, never translated).
WORDS = ["Sam", "Alex", "sam-and-alex", "We laughed, finally.", "It hurt.", "Dinner", "Argument"]


def spanish(wb: workbook.Workbook, who: str = "a") -> Session:
    session = resolve_session(query={"wb": wb.name, "who": who, "lang": "es"})
    assert isinstance(session, Session)
    assert session.lang == "es"
    return session


def left(w: widgets.Widget, *also: str) -> list[str]:
    """English left in `w`, but for the people's words and the time zones' place names."""
    places = set(reminders.place_zones())
    lines = [line for line in shown_text(w) if line not in places]
    return english_left(lines, allowed=[*WORDS, *also])


def _choose(upload: widgets.FileUpload, name: str, data: bytes) -> None:
    upload.value = (
        {
            "name": name,
            "type": "",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime(2026, 12, 1, tzinfo=UTC),
        },
    )


def _download(text: str) -> tuple[str, bytes]:
    found = re.search(r"download='([^']+)' href='data:[^;]+;charset=utf-8;base64,([^']+)'", text)
    assert found, text
    return found.group(1), base64.b64decode(found.group(2))


def _keep_cards(page: KeepPage) -> list[widgets.Widget]:
    """The parts of the page this module owns: every card but the passphrase panel's own
    widgets (the page's header and the passphrase panel are checked with their modules)."""
    private_card = next(c for c in page.children if page.passphrase in _descendants(c))
    intro = [w for w in _descendants(private_card) if isinstance(w, widgets.HTML)]
    own = [w for w in intro if w not in _descendants(page.passphrase)]
    zone_card = next(c for c in page.children if page.zone in _descendants(c))
    return [zone_card, page.reminders, page.backup, page.restore, page.daylio, *own]


def _descendants(w: widgets.Widget) -> list[widgets.Widget]:
    from widget_utils import walk

    return list(walk(w))


def _left_on(page: KeepPage, *also: str) -> list[str]:
    return [line for card in _keep_cards(page) for line in left(card, *also)]


# --- Keep and move ------------------------------------------------------------------------------


def test_the_keep_page_of_an_empty_workbook_is_in_spanish(wb: workbook.Workbook) -> None:
    page = KeepPage(spanish(wb))
    assert _left_on(page) == []
    shown = "\n".join(shown_text(page.reminders))
    assert "Recordatorios sin presión" in shown
    assert "Hacer mi archivo de calendario" in shown
    assert "Tu zona horaria" in "\n".join(shown_text(page))
    assert page.reminders.link.value.endswith("?wb=sam-and-alex&who=a&lang=es")
    # Pressed with nothing chosen: the messages are Spanish too, and nothing is made.
    page.reminders.at.value = None
    page.reminders.make.click()
    assert page.reminders.status.message == "Primero elige una hora para el registro del día."
    assert page.reminders.file.value == ""
    page.restore.restore.click()
    assert page.restore.status.message == "Primero elige una copia de seguridad."
    page.daylio.go.click()
    assert page.daylio.status.kind == "error"
    assert "Primero elige el archivo CSV de Daylio" in page.daylio.status.message
    assert _left_on(page) == []


def test_a_spanish_calendar_file_and_backup_from_the_page(wb: workbook.Workbook) -> None:
    wb.set_passphrase("a", "sam private words")
    wb.add_checkin("a", 2, 2, "SAM-PRIVATE", visibility="private")
    wb.add_checkin("a", 7, 6, "sam shared")
    wb.add_checkin("b", 5, 5, "alex shared")
    session = spanish(wb)
    page = KeepPage(session)
    page.zone.value = "America/Chicago"
    page.reminders.at.value = time(20, 0)
    page.reminders.make.click()
    assert page.reminders.status.kind == "ok"
    assert page.reminders.status.message.startswith("Listo: todos los días a las 20:00 (8:00 p.")
    name, data = _download(page.reminders.file.value)
    assert f">Descargar {name}</a>" in page.reminders.file.value
    events = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert {str(e["SUMMARY"]) for e in events} == {
        "Healing Together: un momento para ver cómo estás",
        "Healing Together: la revisión semanal",
    }
    assert all("Abre la página: http" in str(e["DESCRIPTION"]) for e in events)
    assert "lang=es" in str(events[0]["URL"])
    # The backup: made once unlocked; what it holds is said in Spanish.
    page.passphrase.password.value = "sam private words"
    page.passphrase.unlock_button.click()
    page.backup.make.click()
    assert page.backup.status.kind == "", page.backup.status.message
    said = html_of(page.backup)
    assert "3 registros" in said
    assert "1 entrada privada, aún bloqueada" in said
    assert "Hecha por Sam" in said
    assert _left_on(page, "America/Chicago") == []


def test_restore_says_in_spanish_what_the_file_holds(wb: workbook.Workbook, data_dir: Path) -> None:
    wb.add_checkin("a", 7, 6, "sam shared")
    data = wb.backup().encode()
    page = KeepPage(spanish(wb))
    _choose(page.restore.upload, "backup.json", data)
    said = "\n".join(shown_text(page.restore))
    assert "Este archivo contiene:" in said
    assert "El cuaderno 'sam-and-alex' de Sam y Alex, guardado el" in said
    assert "Ninguna entrada privada." in said
    page.restore.name.value = "moved-here"
    page.restore.restore.click()
    assert page.restore.status.message == (
        "Restaurada como el cuaderno nuevo 'moved-here'. "
        "Las entradas privadas se abren con sus frases de acceso."
    )
    assert "./00_start.ipynb?wb=moved-here&amp;lang=es" in html_of(page.restore)
    assert ">Abrir moved-here<" in html_of(page.restore)
    assert _left_on(page, "moved-here") == []
    assert "moved-here" in workbook.list_names(data_dir)


def test_the_daylio_import_speaks_spanish_from_file_to_import(wb: workbook.Workbook) -> None:
    page = KeepPage(spanish(wb))
    page.zone.value = "Europe/Madrid"
    form = page.daylio
    _choose(form.upload, "notes.csv", b"date,mood\n2026-01-01,good\n")
    assert form.status.kind == "error"
    assert form.status.message.startswith("Eso no es una exportación de Daylio")
    _choose(form.upload, "bad.csv", b"full_date,time,mood\n2026-01-01,25:99,good\n")
    assert form.status.message == (
        "No se puede leer la línea 2 de esa exportación de Daylio (la hora '25:99' no es "
        "una hora del día). No se importó nada."
    )
    _choose(form.upload, "daylio_export.csv", DAYLIO_CSV.encode("utf-8-sig"))
    assert form.moods["awful"].description == "awful (1 entrada)"
    assert form.moods["Sunny"].options[0] == ("elige", None)
    assert "4 entradas del 30 nov 2026 al 2 dic 2026: 4 nuevas, 0 ya entre tus registros." in (
        form.preview.value
    )
    assert form.go.description == "Importar 4 registros"
    moods = ["good", "meh", "awful", "Sunny", "family, cooking", "walk"]
    assert _left_on(page, *moods) == []
    form.go.click()
    assert form.status.message == "Elige un ánimo del 1 al 10 para 'Sunny'. No se importó nada."
    form.moods["Sunny"].value = 8
    form.private.value = "shared"
    form.go.click()
    assert form.status.message == (
        "Se importaron 4 registros desde Daylio. Están en la página de tendencias."
    )
    assert any("Actividades: family, cooking" in c.note for c in wb.checkins())
    form.go.click()
    assert form.status.message == (
        "Todas las entradas de este archivo ya están entre tus registros: no hay nada que importar."
    )
    assert _left_on(page, *moods) == []


def test_the_english_keep_page_says_what_it_said(sam: Session, wb: workbook.Workbook) -> None:
    page = KeepPage(sam)
    assert "Reminders without pressure" in html_of(page)
    assert page.reminders.link.value.endswith("?wb=sam-and-alex&who=a"), "no lang=en"
    form = page.daylio
    _choose(form.upload, "daylio_export.csv", DAYLIO_CSV.encode("utf-8-sig"))
    assert "Activities: family, cooking" in html_of(form)
    assert "<caption>The first 4 as they will be saved, each with trust 5</caption>" in (
        form.preview.value
    )
    assert "<th>When</th><th>Mood</th><th>Note</th>" in form.preview.value
    assert form.moods["Sunny"].options[0] == ("choose", None)


@pytest.mark.parametrize("by", [None, "a", "b"])
def test_the_english_backup_summary_is_unchanged(wb: workbook.Workbook, by: str | None) -> None:
    empty = read_backup(wb.backup(viewer=by) if by else wb.backup())
    assert backup_lines(empty) == empty.lines()
    wb.set_passphrase("a", "sam private words")
    wb.add_checkin("a", 2, 2, "x", visibility="private")
    wb.add_checkin("a", 7, 6, "y")
    wb.add_reflection("a", 3, "partner-feelings", "z")
    full = read_backup(wb.backup(viewer=by) if by else wb.backup())
    assert backup_lines(full) == full.lines()
    assert english_left(backup_lines(full, "es"), allowed=WORDS) == []


# --- the facilitator page -----------------------------------------------------------------------


def _facilitator_own(dash: facilitator.FacilitatorDashboard) -> list[str]:
    """What the page shows but its group summary (workbook.aggregates) and footer (pages)."""
    others = {id(w) for w in _descendants(dash.summary)} | {
        id(w) for w in _descendants(dash.children[-1])
    }
    lines: list[str] = []
    for w in _descendants(dash):
        if id(w) in others or not isinstance(w, widgets.DOMWidget) or isinstance(w, widgets.Box):
            continue
        lines += shown_text(w)
    return english_left(lines, allowed=["couple", "room"])


def test_the_facilitator_page_in_spanish(data_dir: Path) -> None:
    dash = facilitator.FacilitatorDashboard(data_dir, lang="es")
    assert _facilitator_own(dash) == []
    assert "Todavía no hay parejas" in dash.progress.value
    assert "Menos de tres parejas" in dash.summary.value, dash.summary.value
    assert "En Estados Unidos" in html_of(dash), "the footer's crisis lines in Spanish"
    assert dash.prefix.value == "pareja", "new workbooks are called pareja-01, ..."
    assert facilitator.FacilitatorDashboard(data_dir).prefix.value == "couple"
    dash.replace_button.click()
    assert dash.replace_status.message == (
        "Primero crea las parejas; después podrás cambiar sus códigos aquí."
    )
    dash.prefix.value = "Bad Prefix"
    dash.create_button.click()
    assert dash.create_status.message.startswith("El prefijo del nombre debe tener")
    dash.prefix.value = "room"
    dash.count.value = 2
    dash.create_button.click()
    assert dash.create_status.message == "Se crearon 2 cuadernos de pareja."
    assert "Dale a cada pareja su código" in dash.codes.value
    assert "data-label='Código de acceso'" in dash.progress.value
    assert "0 de 7" in dash.progress.value
    assert "ninguna todavía" in dash.progress.value
    dash.replace_button.click()
    assert dash.replace_status.message.startswith("Elige la pareja cuyo código se perdió")
    dash.replace_which.value = "room-01"
    dash.replace_button.click()
    assert dash.replace_status.message.startswith(
        "Pulsa otra vez «Darle a esta pareja un código nuevo»"
    )
    dash.replace_button.click()
    assert dash.replace_status.message == (
        "room-01 tiene un código nuevo; el anterior ya no abre su cuaderno."
    )
    assert _facilitator_own(dash) == []


def test_the_facilitator_prints_blank_worksheets_in_either_language(data_dir: Path) -> None:
    dash = facilitator.FacilitatorDashboard(data_dir)
    assert dash.sheet_lang.options == (("English", "en"), ("Español", "es"))
    dash.step.value = 3
    assert _download(dash.download.value)[1].decode() == worksheet_html(3)
    assert "Download the Step 3: " in dash.download.value
    dash.sheet_lang.value = "es"
    name, sheet = _download(dash.download.value)
    assert sheet.decode() == worksheet_html(3, lang="es")
    assert "<html lang='es'>" in sheet.decode()
    assert name == "step-3-worksheet.html"
    assert "Download the Step 3: " in dash.download.value, "the page's words stay English"
    assert " worksheet in Spanish</a>" in dash.download.value
    # A Spanish page prints Spanish sheets unless English is chosen.
    es = facilitator.FacilitatorDashboard(data_dir, lang="es")
    es.step.value = 8
    assert _download(es.download.value)[1].decode() == worksheet_html(8, lang="es")
    assert "Descargar la hoja de trabajo del Paso 8: " in es.download.value
    es.sheet_lang.value = "en"
    assert _download(es.download.value)[1].decode() == worksheet_html(8)
    assert "Descargar la hoja de trabajo del Paso 8: " in es.download.value
    assert " en inglés</a>" in es.download.value


def test_the_facilitator_page_takes_its_language_from_the_address(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("WORKBOOK_FACILITATOR_KEY", "room-key-123")
    monkeypatch.setenv("QUERY_STRING", "key=wrong&lang=es")
    locked = facilitator.facilitator_page()
    assert "Para quien facilita" in html_of(locked)
    assert english_left(shown_text(locked.children[0]), allowed=["WORKBOOK_FACILITATOR_KEY"]) == []
    monkeypatch.setenv("QUERY_STRING", "key=room-key-123&lang=es")
    page = facilitator.facilitator_page()
    assert isinstance(page, facilitator.FacilitatorDashboard)
    assert page.lang == "es"
    assert "Hojas de trabajo" in html_of(page)


# --- the workshop's, reminders', Daylio's and worksheets' messages --------------------------------


def _said(err: ValidationError) -> tuple[str, str]:
    return str(err), err.in_language(ES)


def test_join_code_messages_are_spanish_for_a_spanish_page_and_english_in_logs(
    data_dir: Path,
) -> None:
    with pytest.raises(workshop.UnknownCode) as empty:
        workshop.normalize_code(" ")
    assert _said(empty.value) == (
        "Type the join code your facilitator gave you.",
        "Escribe el código de acceso que te dio la persona que facilita.",
    )
    with pytest.raises(workshop.UnknownCode) as bad:
        workshop.normalize_code("hello")
    english, spanish_ = _said(bad.value)
    assert english.startswith("'hello' is not a join code. A code has 12 letters")
    assert spanish_.startswith("'hello' no es un código de acceso. Un código tiene 12 letras")
    with pytest.raises(workshop.UnknownCode) as unknown:
        workshop.resolve_code(data_dir, "KT7Q-4MXP-9RWA")
    assert _said(unknown.value)[1].startswith("Ese código de acceso no es de este taller.")
    wait = workshop.TooManyAttempts(1.5)
    assert str(wait).startswith("Several codes did not match. Please wait 2 seconds, then")
    assert wait.in_language(ES).startswith("Varios códigos no coincidieron. Espera 2 segundos")
    assert str(workshop.TooManyAttempts(0.2)).startswith(
        "Several codes did not match. Please wait 1 second, then"
    )
    assert wait.wait == 1.5
    with pytest.raises(ValidationError) as many:
        workshop.create_couples(data_dir, 0)
    assert _said(many.value) == (
        "Choose how many couples: a whole number from 1 to 100.",
        "Elige cuántas parejas: un número entero del 1 al 100.",
    )


def test_reminders_in_the_partners_language_and_english_as_before() -> None:
    plan = reminders.ReminderPlan("a", tz="Europe/Madrid", start=date(2026, 12, 7), lang="es")
    events = icalendar.Calendar.from_ical(reminders.reminders_ics(plan, "x")).walk("VEVENT")
    assert "Cuatro preguntas breves" in str(events[1]["DESCRIPTION"])
    plain = reminders.ReminderPlan("a", tz="Europe/Madrid", discreet=True, lang="es")
    cal = icalendar.Calendar.from_ical(reminders.reminders_ics(plain, "x"))
    assert str(cal["X-WR-CALNAME"]) == "Recordatorios"
    assert {str(e["SUMMARY"]) for e in cal.walk("VEVENT")} == {
        "Registro del día",
        "Revisión semanal",
    }
    english = reminders.ReminderPlan("a", tz="Europe/Madrid", url="http://127.0.0.1:8866/x")
    events = icalendar.Calendar.from_ical(reminders.reminders_ics(english, "x")).walk("VEVENT")
    assert str(events[0]["SUMMARY"]) == "Healing Together: a moment to check in"
    assert str(events[0]["DESCRIPTION"]).endswith("\n\nOpen the page: http://127.0.0.1:8866/x")
    for bad in ({"tz": "Mars/Olympus"}, {"url": "http://x/?token=1"}):
        with pytest.raises(ValidationError) as err:
            reminders.ReminderPlan("a", **bad)  # type: ignore[arg-type]
        assert english_left([err.value.in_language(ES)], allowed=["Mars/Olympus"]) == []
    with pytest.raises(ValidationError) as err:
        reminders.parse_time("soon")
    assert err.value.in_language(ES) == (
        "'soon' no es una hora del día; escríbela como HH:MM, por ejemplo 08:30 o 20:00."
    )
    assert reminders.both_clocks(time(20, 0)) == "20:00 (8 pm)"


def test_daylio_and_worksheet_errors_in_spanish() -> None:
    with pytest.raises(ValidationError) as err:
        daylio.read_daylio(b"full_date,time,mood\n2026-01-01,08:00,\n")
    assert str(err.value) == (
        "Line 2 of that Daylio export cannot be read (it has no mood). Nothing was imported."
    )
    assert err.value.in_language(ES) == (
        "No se puede leer la línea 2 de esa exportación de Daylio (no tiene ánimo). "
        "No se importó nada."
    )
    with pytest.raises(ValidationError) as err:
        daylio.read_daylio(b"full_date,time,mood\n5 Dec,08:00,good\n")
    assert str(err.value) == (
        "Line 2 of that Daylio export cannot be read (the date '5 Dec' is not a date such as "
        "2026-12-05). Nothing was imported."
    )
    assert "(la fecha '5 Dec' no es una fecha como 2026-12-05)" in err.value.in_language(ES)
    with pytest.raises(ValidationError) as err:
        daylio.parse_mapping("rad=11")
    assert err.value.in_language(ES).startswith("'rad=11' no es una correspondencia de ánimo")
    assert daylio.entries_text(1, "es") == "1 entrada"
    assert daylio.entries_text(3) == "3 entries"
    with pytest.raises(ValidationError) as err:
        worksheet_html(9)
    assert _said(err.value) == (
        "There is no worksheet for step '9'. Choose a step from 1 to 8.",
        "No hay hoja de trabajo para el paso '9'. Elige un paso del 1 al 8.",
    )


# --- the command line ---------------------------------------------------------------------------


def test_the_cli_prints_in_spanish_with_lang_es(
    wb: workbook.Workbook, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb.add_checkin("a", 7, 6, "sam shared")
    out = tmp_path / "b.json"
    assert main(["--data-dir", str(data_dir), "backup", wb.name, "--out", str(out)]) == 0
    english = capsys.readouterr().out
    assert english.startswith(f"Wrote a backup of 'sam-and-alex' to {out}:\n  The workbook")
    assert (
        main(["--data-dir", str(data_dir), "backup", wb.name, "--out", str(out), "--lang", "es"])
        == 0
    )
    said = capsys.readouterr().out
    assert said.startswith(f"Se guardó una copia de seguridad de 'sam-and-alex' en {out}:")
    assert english_left(said.splitlines(), allowed=[*WORDS, str(out)]) == []
    args = ["--data-dir", str(data_dir), "restore", str(out), "--as", "copy", "--lang", "es"]
    assert main(args) == 0
    said = capsys.readouterr().out
    assert said.startswith("Esa copia de seguridad contiene:")
    assert "Restaurada como 'copy'" in said
    path = str(data_dir / "copy.workbook.sqlite3")
    assert english_left(said.splitlines(), allowed=[*WORDS, path]) == []
    ics = tmp_path / "r.ics"
    args = ["--data-dir", str(data_dir), "reminders", wb.name, "--partner", "b"]
    assert main([*args, "--out", str(ics), "--tz", "America/Chicago", "--lang", "es"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Se guardaron un registro del día a las 20:00 y la revisión semanal")
    assert "lang=es" in said
    assert "Healing Together: la revisión semanal" in ics.read_text(encoding="utf-8")
    assert main([*args, "--out", str(ics), "--time", "later", "--lang", "es"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "workbook: 'later' no es una hora del día; escríbela como HH:MM, "
        "por ejemplo 08:30 o 20:00.\n"
    )
    assert main([*args, "--out", str(ics), "--time", "later"]) == 2
    assert "'later' is not a time of day" in capsys.readouterr().err
    csv = tmp_path / "d.csv"
    csv.write_text(DAYLIO_CSV, encoding="utf-8")
    args = ["--data-dir", str(data_dir), "import-daylio", str(csv), "--into", wb.name]
    assert main([*args, "--partner", "b", "--map", "Sunny=8", "--shared", "--lang", "es"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Se leyeron 4 entradas de Daylio (")
    assert "se guardaron 4 registros compartidos nuevos" in said
    assert main(["worksheet", "9", "--lang", "es"]) == 2
    assert capsys.readouterr().err == (
        "workbook: no hay hoja de trabajo para el paso '9'; elige un paso del 1 al 8.\n"
    )
    assert main(["restore", str(tmp_path / "none.json"), "--lang", "es"]) == 2
    assert capsys.readouterr().err.startswith("workbook: no se puede leer ")
    assert json.loads(out.read_text(encoding="utf-8"))


def test_the_report_command_says_what_it_wrote_in_spanish(
    wb: workbook.Workbook, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    wb.set_report_consent("a", True)
    wb.set_report_consent("b", True)
    args = ["--data-dir", str(data_dir), "report", wb.name, "--out", str(out), "--parts", "csi4"]
    assert main([*args, "--lang", "es"]) == 0
    assert "<html lang='es'" in out.read_text(encoding="utf-8"), "the report itself is Spanish"
    said = capsys.readouterr().err.splitlines()
    assert said[0].startswith(f"Se guardó el informe para tu terapeuta en {out} (")
    assert (
        said[1] == "Ábrelo en un navegador para imprimirlo, o elige «Guardar como PDF» al imprimir."
    )
    assert main(args) == 0
    assert capsys.readouterr().err.splitlines()[1] == (
        "Open it in a browser to print it, or print to 'Save as PDF'."
    )


def test_a_workshops_restore_card_and_a_locked_import_speak_spanish(
    wb: workbook.Workbook, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = KeepPage(spanish(wb))
    page.passphrase.password.value = page.passphrase.confirm.value = "sam private words"
    page.passphrase.set_button.click()
    form = page.daylio
    assert "Tus entradas privadas están abiertas" in html_of(form)
    _choose(form.upload, "daylio_export.csv", DAYLIO_CSV.encode())
    assert form.entries
    page.passphrase.lock_button.click()
    assert form.status.message == "Bloqueado: vuelve a elegir el archivo de Daylio para importarlo."
    assert "Para importar en privado hace falta tu frase de acceso" in html_of(form)
    assert _left_on(page) == []
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")
    session = Session(wb=wb, who="a", code="ABCD-EFGH-JKLM", lang="es")
    workshop_page = KeepPage(session)
    assert "Restaurar una copia de seguridad es para tu propia computadora" in html_of(
        workshop_page.restore
    )
    assert workshop_page.reminders.link.value.endswith("/00_start.ipynb")
    assert _left_on(workshop_page) == []
