"""Opened in JupyterLab and run as they are, the notebooks show working, styled pages.

A data-minded person opens a notebook with its `parameters` defaults (``wb_name = "demo"``) in
a data folder that has never held the demo: the demo couple is written, the page works, and it
carries the page's stylesheet, scoped to itself. Served by Voila, nothing of this happens.
"""

from __future__ import annotations

import json
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest
from nbclient import NotebookClient
from widget_utils import html_of

from workbook.paths import list_names
from workbook.ui import pages
from workbook.ui import start as start_ui
from workbook.ui.base import PAGES

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def _widget_html(notebook: nbformat.NotebookNode) -> str:
    """Every HTML value of the widgets the run left in the notebook's saved widget state."""
    state = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    return "\n".join(
        str(model["state"].get("value", ""))
        for model in state.values()
        if model["model_name"] == "HTMLModel"
    )


@pytest.mark.parametrize("page", list(PAGES))
def test_notebook_runs_as_opened_in_jupyterlab(
    page: int | str, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("VOILA_PREHEAT", "VOILA_BASE_URL", "WORKBOOK_WORKSHOP"):
        monkeypatch.delenv(name, raising=False)
    notebook = nbformat.read(NOTEBOOKS / PAGES[page], as_version=4)
    client = NotebookClient(notebook, timeout=180, kernel_name="python3", store_widget_state=True)
    client.execute(cwd=str(NOTEBOOKS))
    errors = [
        o for c in notebook.cells for o in c.get("outputs", []) if o["output_type"] == "error"
    ]
    assert not errors, errors
    shown = _widget_html(notebook)
    assert "There is no workbook" not in shown
    assert "Go to the start page" not in shown, "the page did not open the demo"
    assert "<style>" in shown, "the page came without its stylesheet"
    assert ".ht-lab " in shown, "the stylesheet is not scoped to the page"
    assert "body[data-voila]" not in shown
    # The facilitator's page reads the whole data folder and needs no demo couple.
    assert list_names(data_dir) == ([] if page == "facilitator" else ["demo"])


def test_demo_is_written_only_outside_voila_and_only_for_its_name(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pages.demo_when_missing("sam-and-alex")
    assert list_names(data_dir) == []
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv("QUERY_STRING", "")
    pages.demo_when_missing("demo")
    assert list_names(data_dir) == [], "a served page wrote the demo"
    monkeypatch.delenv("VOILA_BASE_URL")
    pages.demo_when_missing("demo")
    assert list_names(data_dir) == ["demo"]


def test_stylesheet_only_in_a_notebook_front_end(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = start_ui.start_page("demo", "a")  # plain Python (tests, scripts): no <style>
    assert "<style>" not in html_of(plain)
    monkeypatch.setattr(pages, "_in_notebook_kernel", lambda: True)
    page = pages.step_page(3, "demo", "a")
    first = page.children[0]
    assert isinstance(first, widgets.HTML)
    assert first.value.startswith("<style>")
    assert "ht-lab" in page._dom_classes
    # Every rule of the served stylesheet is there, under the page's own class.
    served = pages.STYLESHEET.read_text(encoding="utf-8")
    assert served.count("body[data-voila]") == first.value.count(".ht-lab") - 1
    assert json.dumps(first.value)  # plain text, no widget references


def test_every_page_has_a_title_and_step_8s_gives_nothing_away() -> None:
    """Tabs and the browser's history show the notebook's title, never a file name; step 8's
    title is the app's name alone, so the history list does not say "When to walk away"."""
    from workbook.steps import HEALING_STEPS

    folder = Path(__file__).resolve().parents[1] / "notebooks"
    titles = {
        p.name: json.loads(p.read_text(encoding="utf-8"))["metadata"].get("title")
        for p in folder.glob("*.ipynb")
    }
    assert all(titles.values()), [name for name, t in titles.items() if not t]
    for step in HEALING_STEPS.values():
        if step.stores:
            assert titles[step.notebook] == f"Step {step.number} · {step.title} · Healing Together"
    assert titles[HEALING_STEPS[8].notebook] == "Healing Together"
