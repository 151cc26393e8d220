"""The frame in Spanish in a real browser, desktop and 375 px phone (issue 21): the tab's
title, the start page of a partner reading Spanish, a step page's header, links and footer."""

from __future__ import annotations

import re
from typing import Any

import pytest
from voila_harness import VoilaServer, assert_no_voila_error, screenshot

import workbook
from workbook.serving import CELL_ERROR_MESSAGE

pytestmark = pytest.mark.browser


def test_the_frame_speaks_spanish_and_fits_a_phone(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = f"es-a-{device}"
    if not (voila_server.data_dir / f"{name}.workbook.sqlite3").exists():
        workbook.create(name, "Sam", "Alex", data_dir=voila_server.data_dir).close()
    width = page_any.viewport_size["width"]

    page_any.goto(voila_server.page_url("00_start.ipynb", wb=name, who="a", lang="es"))
    page_any.get_by_text("Hola, Sam").wait_for()
    assert_no_voila_error(page_any)
    page_any.get_by_text("Sam: 0 de 7 pasos hechos.").wait_for()
    page_any.get_by_text("¿Te sientes a salvo con tu pareja?").wait_for()
    assert page_any.evaluate("document.documentElement.lang") == "es"
    assert page_any.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways"
    screenshot(page_any, f"es-a-start-{device}")

    # Without lang= in the address: the partner's kept choice (from the first visit above);
    # the page puts it in the address, and the quick exit and the tab's title follow.
    page_any.goto(voila_server.page_url("03_empathy_patience.ipynb", wb=name, who="a"))
    page_any.get_by_text("Escribiendo como").first.wait_for()
    page_any.wait_for_function("location.search.includes('lang=es')")
    assert page_any.locator("#ht-exit").inner_text().strip() == "Salida rápida ✕"
    assert_no_voila_error(page_any)
    assert page_any.title() == "Paso 3 · Empatía y paciencia · Healing Together"
    nav = page_any.locator(".ht-nav").first.inner_text()
    assert "Todos los pasos" in nav
    assert "← Paso 2" in nav
    assert "Consulta cuándo alejarse." in page_any.locator(".ht-footer").inner_text()
    assert page_any.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways"
    screenshot(page_any, f"es-a-step3-{device}")
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
    screenshot(page_any, f"es-a-way-back-{device}")


def test_the_spanish_passphrase_panel_and_lock_fit_a_phone(
    voila_server: VoilaServer, page_any: Any, device: str
) -> None:
    name = f"es-a-lock-{device}"
    if not (voila_server.data_dir / f"{name}.workbook.sqlite3").exists():
        workbook.create(name, "Sam", "Alex", data_dir=voila_server.data_dir).close()
    width = page_any.viewport_size["width"]
    page_any.goto(voila_server.page_url("06_self_care.ipynb", wb=name, who="a", lang="es"))
    page_any.get_by_role("button", name="Crear frase de acceso").first.wait_for()
    assert_no_voila_error(page_any)
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
    assert page_any.evaluate("document.documentElement.scrollWidth") <= width + 1, "no sideways"
    screenshot(page_any, f"es-a-passphrase-{device}")
    lock.click()
    page_any.get_by_text("Bloqueado. Tus entradas privadas están ocultas.").first.wait_for()
