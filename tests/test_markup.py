"""HTML from Python goes through one path that escapes by default (`workbook.markup`)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from markupsafe import Markup

import workbook
from workbook.markup import esc, html, join

PACKAGE = Path(workbook.__file__).parent
#: `<` then a letter or `/`: the start of a tag.
TAG = re.compile(r"<[A-Za-z/]")
HOSTILE = "<script>alert('x')</script> & \"quoted\""


def _tag_text(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(TAG.search(node.value))
    )


def _builds_a_tag(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(_tag_text(v) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return _tag_text(node.left)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _tag_text(node.left) or _tag_text(node.right)
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("format", "format_map", "join")
        and _tag_text(node.func.value)
    )


def hand_built_tags(source: str) -> list[int]:
    """Lines where an f-string, `%` or `.format` on a plain string, or `+` with a plain string,
    builds a tag."""
    return sorted(node.lineno for node in ast.walk(ast.parse(source)) if _builds_a_tag(node))


def test_the_scan_finds_each_way_of_building_a_tag_by_hand() -> None:
    source = (
        "a = f'<p>{x}</p>'\n"
        "b = '<b>%s</b>' % x\n"
        "c = '<i>{}</i>'.format(x)\n"
        "d = '<ul>' + x\n"
        "e = '</li>'.join(xs)\n"
        "f = html('<p>{}</p>', x)\n"
        "g = f'{a} < {b}'\n"
        "h = '<p>x</p>'\n"
    )
    assert hand_built_tags(source) == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    "path",
    sorted([*(PACKAGE / "ui").glob("*.py"), PACKAGE / "resources.py"]),
    ids=lambda p: p.name,
)
def test_no_module_builds_a_tag_by_hand(path: Path) -> None:
    lines = hand_built_tags(path.read_text(encoding="utf-8"))
    assert not lines, f"{path.name} builds HTML by hand on lines {lines}: use workbook.markup.html"


def test_values_are_escaped_and_markup_is_never_escaped_twice() -> None:
    once = html("<p class='{}'>{}</p>", "ht-p", HOSTILE)
    assert isinstance(once, Markup)
    assert "<script>" not in once
    for escaped in ("&lt;script&gt;", "&amp;", "&#34;quoted&#34;", "&#39;x&#39;"):
        assert escaped in once
    twice = html("<div>{}</div>", once)
    assert twice == Markup("<div>") + once + Markup("</div>")
    assert "&amp;lt;" not in twice
    assert esc(esc(HOSTILE)) == esc(HOSTILE)
    assert join([HOSTILE, once], html("<br>")) == esc(HOSTILE) + Markup("<br>") + once


def test_the_resources_are_markup_for_the_worksheets() -> None:
    from workbook.resources import all_countries_html, resources_line_html, resources_list_html

    for built in (all_countries_html(), resources_line_html(), resources_list_html("ht-list")):
        assert isinstance(built, Markup)
        for twice_escaped in ("&amp;lt;", "&lt;li", "&lt;a", "&lt;strong"):
            assert twice_escaped not in built


#: CSS in Python: an inline `style=` attribute or a `<style>` element in a string.
INLINE_CSS = re.compile(r"""\sstyle=['"]|<style""")
#: The one `<style>` built in Python: the stylesheet itself, for JupyterLab (`pages.styled`).
STYLESHEET_FOR_LAB = "<style>{}</style>"


@pytest.mark.parametrize("path", sorted((PACKAGE / "ui").glob("*.py")), ids=lambda p: p.name)
def test_css_lives_in_the_stylesheet(path: Path) -> None:
    found = [
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and INLINE_CSS.search(node.value)
        and node.value != STYLESHEET_FOR_LAB
    ]
    assert not found, f"{path.name} carries CSS: move it to healing.css: {found}"


def test_the_progress_table_is_styled_by_the_stylesheet() -> None:
    from workbook.aggregates import CoupleProgress
    from workbook.ui.facilitator import progress_html
    from workbook.ui.pages import STYLESHEET

    css = STYLESHEET.read_text(encoding="utf-8")
    for rule in (".ht-table-wrap {", ":is(.ht-progress-table, .ht-preview-table) {", ".ht-code {"):
        assert f"body[data-voila] {rule}" in css, rule
    row = CoupleProgress(name=HOSTILE, steps_a=2, steps_b=3, last_activity=None)
    table = progress_html([row])
    assert "<style" not in table
    assert "<table class='ht-table ht-progress-table'>" in table
    assert f"<th scope='row'>{esc(HOSTILE)}</th>" in table
    assert (
        "<td data-label='Partner A'>2 of 7</td><td data-label='Partner B'>3 of 7</td>"
        "<td data-label='Last shared activity'>none yet</td>"
    ) in table
