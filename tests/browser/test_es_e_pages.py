"""Issue 21 in Chromium, desktop and 375 px phone: "Keep and move" and the facilitator page
with ``?lang=es`` (the longer Spanish must fit), and a Spanish worksheet downloaded."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from english import english_left
from test_keep import DAYLIO_CSV
from voila_harness import FACILITATOR_TEST_KEY, VoilaServer, assert_no_voila_error, screenshot

from workbook.store import create
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser


def _card(page: Any, title: str) -> Any:
    return page.locator(".ht-card", has=page.locator("h3", has_text=title)).last


def _download(page: Any, link: Any) -> bytes:
    with page.expect_download() as info:
        link.click()
    with open(info.value.path(), "rb") as fh:
        return fh.read()


def _fits(page: Any) -> None:
    width = page.viewport_size["width"]
    wide = page.evaluate(
        "(w) => [...document.querySelectorAll('.ht-page *')]"
        ".filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > w + 1)"
        ".map(e => e.className + ': ' + (e.innerText || '').slice(0, 30)).slice(0, 5)",
        width,
    )
    assert not wide, f"wider than the screen: {wide}"


def _english_in(cards: list[Any], *allowed: str) -> list[str]:
    lines = [line for card in cards for line in card.inner_text().splitlines() if line.strip()]
    return english_left(lines, allowed=allowed)


def test_keep_and_move_in_spanish(voila_server: VoilaServer, page_any: Any, device: str) -> None:
    page = page_any
    name = f"keep-es-{device}"
    create(name, "Noa", "Eli", data_dir=voila_server.data_dir).close()
    page.goto(voila_server.page_url(PAGES["keep"], wb=name, who="a", lang="es"))
    reminders = _card(page, "Recordatorios sin presión")
    reminders.wait_for(timeout=60_000)
    assert_no_voila_error(page)
    _fits(page)
    reminders.get_by_role("button", name="Hacer mi archivo de calendario").click()
    link = reminders.get_by_role("link", name="Descargar healing-together-reminders.ics")
    link.wait_for()
    reminders.get_by_text("Listo: todos los días a las 20:00").wait_for()
    events = icalendar.Calendar.from_ical(_download(page, link)).walk("VEVENT")
    assert "Healing Together: un momento para ver cómo estás" in {str(e["SUMMARY"]) for e in events}

    backup = _card(page, "Una copia de seguridad para guardar")
    backup.get_by_role("button", name="Hacer mi copia de seguridad").click()
    backup.get_by_role("link", name=f"Descargar {name}-backup-", exact=False).wait_for()
    backup.get_by_text("El cuaderno").first.wait_for()

    form = _card(page, "Importar desde Daylio")
    with page.expect_file_chooser() as chooser:
        form.locator(".ht-upload").click()
    chooser.value.set_files(
        {"name": "daylio.csv", "mimeType": "text/csv", "buffer": DAYLIO_CSV.encode()}
    )
    form.get_by_text("4 entradas del 30 nov 2026 al 02 dic 2026").wait_for()
    form.get_by_text("Compartido con mi pareja").click()
    form.get_by_role("button", name="Importar 4 registros").click()
    form.get_by_text("Elige un ánimo del 1 al 10 para 'Sunny'").wait_for()
    _fits(page)
    screenshot(page, f"es-e-keep-{device}")
    cards = [reminders, backup, _card(page, "Restaurar una copia de seguridad"), form]
    words = ["Noa", "Eli", name, "Sunny", "good", "meh", "awful", "We laughed, finally."]
    assert _english_in(cards, *words, "It hurt.", "Dinner", "Argument", "family") == []


def test_the_facilitator_page_in_spanish_prints_either_language(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    page = page_any
    page.goto(voila_server.page_url("10_facilitator.ipynb", key=FACILITATOR_TEST_KEY, lang="es"))
    sheets = _card(page, "Hojas de trabajo")
    sheets.wait_for(timeout=60_000)
    assert_no_voila_error(page)
    link = sheets.get_by_role("link", name="Descargar la hoja de trabajo del Paso 1:", exact=False)
    assert "<html lang='es'>" in _download(page, link).decode()
    sheets.get_by_label("Idioma de la hoja de trabajo").select_option(label="English")
    link = sheets.get_by_role("link", name="Descargar la hoja de trabajo del Paso 1:", exact=False)
    link = link.filter(has_text="en inglés")
    link.wait_for()
    assert "<html lang='en'>" in _download(page, link).decode()
    create_card = _card(page, "Crear parejas")
    create_card.get_by_role("button", name="Crear parejas").click()
    create_card.get_by_text("Se crearon 5 cuadernos de pareja.").wait_for()
    _fits(page)
    screenshot(page, f"es-e-facilitator-{device}")
    cards = [_card(page, t) for t in ("Avance", "Crear parejas", "Hojas de trabajo")]
    assert _english_in(cards, "couple", "English") == []
