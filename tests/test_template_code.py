"""Every page's exporter shares one compiled copy of the templates (workbook.template_code)."""

from __future__ import annotations

import nbformat
from nbconvert.exporters import HTMLExporter

from workbook import template_code
from workbook.template_code import SharedBytecode, install


def _notebook() -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("A calm page")])


def test_a_second_page_reuses_the_first_pages_compiled_templates() -> None:
    class Exporter(HTMLExporter):  # a class of its own: the test leaves HTMLExporter untouched
        pass

    cache = SharedBytecode()
    install(Exporter, cache)
    install(Exporter, cache)  # twice changes nothing
    first_html, _ = Exporter().from_notebook_node(_notebook())
    compiled = cache.compiled
    assert compiled > 0
    second_html, _ = Exporter().from_notebook_node(_notebook())
    assert cache.compiled == compiled, "the second exporter compiled the templates again"
    assert cache.reused >= compiled
    assert "A calm page" in second_html
    assert first_html.count("A calm page") == second_html.count("A calm page")


def test_the_server_installs_the_shared_cache_on_voilas_exporter() -> None:
    from voila.exporter import VoilaExporter

    from workbook.voila_app import make_app_class

    make_app_class()
    environment = VoilaExporter(template_name="lab")._create_environment()
    assert environment.bytecode_cache is template_code.SHARED
