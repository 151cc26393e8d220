"""Spanish in a real browser, desktop and 375 px phone (issue 21): one partner in Spanish and
the other in English; the frame (tab title, header, links, footer, way back, passphrase and
Lock); the start page and step 8; keep and move; the facilitator's worksheets in either
language; and every page from an empty workbook with no English left, even after pressing
Save with nothing typed. Screenshots: ``es-*-<device>.png``."""

from __future__ import annotations

import re
from typing import Any

import icalendar
import pytest
import voila_harness as harness
from english import english_left
from test_keep import DAYLIO_CSV
from voila_harness import VoilaServer

import workbook
from workbook import i18n
from workbook.paths import SUFFIX
from workbook.serving import CELL_ERROR_MESSAGE
from workbook.steps import steps_in
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser
es = i18n.translator("es").gettext


def _open_as_sam(server: VoilaServer, page: Any, name: str, notebook: str, ready: str) -> str:
    """Open ``notebook`` in Spanish as Sam of the harness.couple ``name`` (made empty if new), once
    ``ready`` shows; the workbook's name."""
    harness.couple(server, name)
    page.goto(server.page_url(notebook, wb=name, who="a", lang="es"))
    page.get_by_text(ready, exact=False).first.wait_for()
    harness.assert_no_voila_error(page)
    return name


def test_spanish_for_one_partner_english_for_the_other(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    question = steps_in("es")[2].exercise("what-happened").question
    name = _open_as_sam(voila_server, page_any, f"es-{device}", PAGES[2], question)
    exit_link = page_any.locator("#ht-exit")
    assert exit_link.inner_text().strip() == "Salida rápida ✕"
    assert page_any.evaluate("document.documentElement.lang") == "es"
    assert page_any.locator(".ht-footer").inner_text().count("En Estados Unidos") == 1
    harness.fits_the_screen(page_any)
    harness.screenshot(page_any, f"spanish-step2-{device}")

    page_any.goto(voila_server.page_url("00_start.ipynb", wb=name, who="b"))
    page_any.locator(".ht-language").wait_for()
    assert page_any.locator("#ht-exit").inner_text().strip() == "Quick exit ✕"
    page_any.get_by_role("button", name="Español").click()
    page_any.wait_for_function("location.search.includes('lang=es')")
    # The language read now looks chosen, not switched off (it is the pressed, disabled one).
    chosen = page_any.get_by_role("button", name="Español")
    chosen.wait_for()
    assert chosen.is_disabled()
    assert chosen.evaluate("b => getComputedStyle(b).opacity") == "1"
    assert page_any.locator("#ht-exit").inner_text().strip() == "Salida rápida ✕"
    book = workbook.open(name, data_dir=voila_server.data_dir)
    # b chose on the start page; a only visited a step page with ?lang=es (not kept there).
    assert (book.partner_lang("a"), book.partner_lang("b")) == (None, "es")
    book.close()
    harness.fits_the_screen(page_any)
    harness.screenshot(page_any, f"spanish-start-chooser-{device}")


def test_the_frame_speaks_spanish_and_fits_a_phone(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = _open_as_sam(voila_server, page_any, f"es-a-{device}", PAGES[0], "Hola, Sam")
    page_any.get_by_text("Sam: 0 de 7 pasos hechos.").wait_for()
    page_any.get_by_text("¿Te sientes a salvo con tu pareja?").wait_for()
    assert page_any.evaluate("document.documentElement.lang") == "es"
    harness.fits_the_screen(page_any)
    harness.screenshot(page_any, f"es-a-start-{device}")

    # Without lang= in the address: the partner's kept choice (from the first visit above);
    # the page puts it in the address, and the quick exit and the tab's title follow.
    page_any.goto(voila_server.page_url("03_empathy_patience.ipynb", wb=name, who="a"))
    page_any.get_by_text("Escribiendo como").first.wait_for()
    page_any.wait_for_function("location.search.includes('lang=es')")
    assert page_any.locator("#ht-exit").inner_text().strip() == "Salida rápida ✕"
    harness.assert_no_voila_error(page_any)
    assert page_any.title() == "Paso 3 · Empatía y paciencia · Healing Together"
    nav = page_any.locator(".ht-nav").first.inner_text()
    assert "Todos los pasos" in nav
    assert "← Paso 2" in nav
    assert "Consulta cuándo alejarse." in page_any.locator(".ht-footer").inner_text()
    harness.fits_the_screen(page_any)
    harness.screenshot(page_any, f"es-a-step3-{device}")
    # Voila's loading line asks the page's script for its words (as the template turns it).
    progress = page_any.evaluate("window.htProgress('Executing 1 of 2', 1, 2)")
    assert progress == "Preparando la página: 1 de 2"

    # A part of the page that failed (Voila's English error output): Spanish words above it.
    page_any.evaluate(
        """message => {
            const out = document.createElement("div");
            out.className = "jp-RenderedText";
            out.setAttribute("data-mime-type", "application/vnd.jupyter.stderr");
            out.innerHTML = "<pre></pre>";
            out.firstChild.textContent = "There was an error when executing cell [3]. " + message;
            document.getElementById("rendered_cells").appendChild(out);
        }""",
        CELL_ERROR_MESSAGE,
    )
    said = page_any.locator(".ht-cell-error")
    said.wait_for()
    assert said.inner_text().startswith("Esta parte de la página no se pudo mostrar.")

    # A page opened without its workbook: the way back, in the address's language.
    page_any.goto(voila_server.page_url("04_rebuild_trust.ipynb", lang="es"))
    page_any.get_by_text("Empecemos desde el principio").wait_for()
    assert (
        "Esta página no sabe qué cuaderno abrir." in page_any.locator(".ht-way-back").inner_text()
    )
    assert page_any.title() == "Paso 4 · Reconstruir la confianza poco a poco · Healing Together"
    harness.screenshot(page_any, f"es-a-way-back-{device}")


def test_the_spanish_passphrase_panel_and_lock_fit_a_phone(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    _open_as_sam(voila_server, page_any, f"es-a-lock-{device}", PAGES[6], "Crear frase de acceso")
    page_any.get_by_label("Frase de acceso", exact=True).first.fill("river stone")
    page_any.get_by_label("Escríbela otra vez").first.fill("river stones")
    page_any.get_by_role("button", name="Crear frase de acceso").first.click()
    page_any.get_by_text("Las dos frases de acceso no coinciden.").wait_for()
    page_any.get_by_label("Frase de acceso", exact=True).first.fill("river stone")
    page_any.get_by_label("Escríbela otra vez").first.fill("river stone")
    page_any.get_by_role("button", name="Crear frase de acceso").first.click()
    page_any.get_by_text("Frase de acceso creada.").wait_for()
    lock = page_any.get_by_role("button", name=re.compile(r"\bBloquear$")).first
    lock.wait_for()
    harness.fits_the_screen(page_any)
    harness.screenshot(page_any, f"es-a-passphrase-{device}")
    lock.click()
    page_any.get_by_text("Bloqueado. Tus entradas privadas están ocultas.").first.wait_for()


def _lines_in(page: Any, selector: str) -> list[str]:
    text = "\n".join(page.locator(selector).all_inner_texts())
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_a_spanish_start_page_and_step_8_fit_and_read_in_spanish(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    intro = "Toda pareja atraviesa temporadas de dolor"
    name = _open_as_sam(voila_server, page_any, f"es-c-{device}", PAGES[0], intro)
    names = ["Sam", "Alex", name, "Healing Together"]
    page_any.locator(".ht-daily").wait_for()
    assert english_left(_lines_in(page_any, ".ht-intro"), allowed=names) == []
    assert es("Question of the day") in page_any.locator(".ht-daily").inner_text()
    harness.fits_the_screen(page_any)
    harness.screenshot(page_any, f"es-c-start-{device}")

    page_any.goto(voila_server.page_url("08_walk_away.ipynb", wb=name, who="a", lang="es"))
    page_any.locator(".ht-safety").wait_for()
    harness.assert_no_voila_error(page_any)
    assert page_any.locator(".ht-intro").inner_text().strip() == "Paso 8: Cuándo alejarse"
    # The longer Spanish title still leaves the first hotline on the first screen.
    first = page_any.evaluate(
        """() => {
          const c = document.querySelector('#rendered_cells');
          if (c) c.scrollTop = 0;
          const a = document.querySelector("a[href^='tel:'], a[href^='sms:']");
          const r = a.getBoundingClientRect();
          return {href: a.getAttribute('href'), bottom: r.bottom, height: window.innerHeight};
        }"""
    )
    assert first["href"] == "tel:911", first
    assert first["bottom"] <= first["height"], f"the first hotline is below the screen: {first}"
    harness.screenshot(page_any, f"es-c-step8-first-screen-{device}", full_page=False)
    own = [".ht-help-first", ".ht-safety", ".ht-no-trace"]
    assert english_left([t for s in own for t in _lines_in(page_any, s)], allowed=["START"]) == []
    page_any.get_by_text(es("I feel unsafe going home.")).click()
    page_any.get_by_role("button", name=es("Check")).click()
    page_any.locator(".ht-safety-yes").wait_for()
    harness.fits_the_screen(page_any)
    harness.screenshot(page_any, f"es-c-step8-{device}")


def _workbooks(server: VoilaServer) -> list[str]:
    """The names of the workbooks on the server (the start and facilitator pages list them:
    names, shown as written)."""
    return sorted(
        (p.name.removesuffix(SUFFIX) for p in server.data_dir.glob(f"*{SUFFIX}")),
        key=len,
        reverse=True,
    )


def _english_in(cards: list[Any], *allowed: str) -> list[str]:
    lines = [line for card in cards for line in card.inner_text().splitlines() if line.strip()]
    return english_left(lines, allowed=allowed)


def test_keep_and_move_in_spanish(voila_server: VoilaServer, page_any: Any, device: str) -> None:
    page = page_any
    name = f"keep-es-{device}"
    harness.couple(voila_server, name, "Noa", "Eli")
    page.goto(voila_server.page_url(PAGES["keep"], wb=name, who="a", lang="es"))
    reminders = harness.card_titled(page, "Recordatorios sin presión")
    reminders.wait_for(timeout=60_000)
    harness.assert_no_voila_error(page)
    harness.fits_the_screen(page)
    reminders.get_by_role("button", name="Hacer mi archivo de calendario").click()
    link = reminders.get_by_role("link", name="Descargar healing-together-reminders.ics")
    link.wait_for()
    reminders.get_by_text("Listo: todos los días a las 20:00").wait_for()
    events = icalendar.Calendar.from_ical(harness.download(page, link)).walk("VEVENT")
    assert "Healing Together: un momento para ver cómo estás" in {str(e["SUMMARY"]) for e in events}

    backup = harness.card_titled(page, "Una copia de seguridad para guardar")
    backup.get_by_role("button", name="Hacer mi copia de seguridad").click()
    backup.get_by_role("link", name=f"Descargar {name}-backup-", exact=False).wait_for()
    backup.get_by_text("El cuaderno").first.wait_for()

    form = harness.card_titled(page, "Importar desde Daylio")
    with page.expect_file_chooser() as chooser:
        form.locator(".ht-upload").click()
    chooser.value.set_files(
        {"name": "daylio.csv", "mimeType": "text/csv", "buffer": DAYLIO_CSV.encode()}
    )
    form.get_by_text("4 entradas del 30 nov 2026 al 2 dic 2026").wait_for()
    form.get_by_text("Compartido con mi pareja").click()
    form.get_by_role("button", name="Importar 4 registros").click()
    form.get_by_text("Elige un ánimo del 1 al 10 para 'Sunny'").wait_for()
    harness.fits_the_screen(page)
    harness.screenshot(page, f"es-e-keep-{device}")
    cards = [reminders, backup, harness.card_titled(page, "Restaurar una copia de seguridad"), form]
    words = ["Noa", "Eli", name, "Sunny", "good", "meh", "awful", "We laughed, finally."]
    assert _english_in(cards, *words, "It hurt.", "Dinner", "Argument", "family") == []


def test_the_facilitator_page_in_spanish_prints_either_language(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    page = page_any
    page.goto(
        voila_server.page_url("10_facilitator.ipynb", key=harness.FACILITATOR_TEST_KEY, lang="es")
    )
    sheets = harness.card_titled(page, "Hojas de trabajo")
    sheets.wait_for(timeout=60_000)
    harness.assert_no_voila_error(page)
    link = sheets.get_by_role("link", name="Descargar la hoja de trabajo del Paso 1:", exact=False)
    assert "<html lang='es'>" in harness.download(page, link).decode()
    sheets.get_by_label("Idioma de la hoja de trabajo").select_option(label="English")
    link = sheets.get_by_role("link", name="Descargar la hoja de trabajo del Paso 1:", exact=False)
    link = link.filter(has_text="en inglés")
    link.wait_for()
    assert "<html lang='en'>" in harness.download(page, link).decode()
    create_card = harness.card_titled(page, "Crear parejas")
    create_card.get_by_role("button", name="Crear parejas").click()
    create_card.get_by_text("Se crearon 5 cuadernos de pareja.").wait_for()
    harness.fits_the_screen(page)
    harness.screenshot(page, f"es-e-facilitator-{device}")
    cards = [harness.card_titled(page, t) for t in ("Avance", "Crear parejas", "Hojas de trabajo")]
    assert _english_in(cards, "harness.couple", "English", *_workbooks(voila_server)) == []


#: Names, the same in every language: the partners, the app, a hotline's text keyword, a
#: journal's title, a command and a setting.
NAMES = [
    "Sam",
    "Alex",
    "Healing Together",
    "START",
    "Journal of Family Psychology",
    "workbook report",
    "WORKBOOK_FACILITATOR_KEY",
]

#: What a person reads: the text, and the words only tooltips and screen readers say.
_SHOWN_JS = """() => {
  const root = document.querySelector('#rendered_cells') || document.body;
  const lines = root.innerText.split('\\n');
  for (const el of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    if (!el.getClientRects().length) continue;
    for (const a of ['placeholder', 'title', 'aria-label']) {
      const v = el.getAttribute(a);
      if (v) lines.push(v);
    }
  }
  const exit = document.querySelector('#ht-exit');
  if (exit) lines.push(exit.innerText);
  return lines.map(l => l.trim()).filter(l => l);
}"""

_STILL_JS = """() => {
  const t = (document.querySelector('#rendered_cells') || document.body).innerText;
  const same = window.__htLast === t;
  window.__htLast = t;
  return same && document.querySelectorAll('#rendered_cells .jupyter-widgets').length > 0;
}"""


def _settled(page: Any) -> None:
    """Wait until the page's widgets are there and its text stops changing (polled 0.5 s)."""
    page.wait_for_function(_STILL_JS, polling=500, timeout=120_000)


def _shown(page: Any) -> list[str]:
    return list(page.evaluate(_SHOWN_JS))


def _press_every_save(page: Any) -> int:
    """Press each visible Save button once with nothing typed; how many were pressed."""
    buttons = page.get_by_role("button", name="Guardar")
    pressed = 0
    for i in range(buttons.count()):
        b = buttons.nth(i)
        if b.is_visible() and b.is_enabled():
            b.click()
            pressed += 1
            page.wait_for_timeout(400)
    if pressed:
        _settled(page)
    return pressed


def _pages(name: str) -> list[tuple[str, str, dict[str, str]]]:
    sam = {"wb": name, "who": "a", "lang": "es"}
    return [
        ("start-new", PAGES[0], {"lang": "es"}),
        ("way-back", PAGES[3], {"lang": "es"}),
        ("start", PAGES[0], sam),
        *((f"step{n}", PAGES[n], sam) for n in range(1, 9)),
        ("trends", PAGES["trends"], sam),
        ("keep", PAGES["keep"], sam),
        ("counsellor", PAGES["counsellor"], sam),
        ("facilitator", PAGES["facilitator"], {"key": harness.FACILITATOR_TEST_KEY, "lang": "es"}),
    ]


def test_every_page_in_spanish_has_no_english_left(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = f"es-everywhere-{device}"
    harness.couple(voila_server, name)
    width = page_any.viewport_size["width"]
    left: dict[str, list[str]] = {}
    for label, notebook, query in _pages(name):
        page_any.goto(voila_server.page_url(notebook, **query))
        _settled(page_any)
        harness.assert_no_voila_error(page_any)
        assert page_any.evaluate("document.documentElement.lang") == "es", label
        allowed = [*NAMES, *_workbooks(voila_server)]  # other tests' couples are listed too
        found = english_left(_shown(page_any), allowed=allowed)
        if label != "facilitator":  # its Save buttons make couples; "Crear" is pressed elsewhere
            _press_every_save(page_any)
            found += english_left(_shown(page_any), allowed=allowed)
        if found:
            left[label] = sorted(set(found))
        overflow = page_any.evaluate("document.documentElement.scrollWidth") - width
        assert overflow <= 1, f"{label}: {overflow}px sideways on {device}"
        harness.screenshot(page_any, f"es-{label}-{device}")
    assert not left, "English left on Spanish pages:\n" + "\n".join(
        f"{page}: {lines}" for page, lines in left.items()
    )
