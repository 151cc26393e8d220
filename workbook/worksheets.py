"""Printable worksheets: one page per step, blank for paper or with a workbook's shared answers.

`worksheet_html` renders a standalone page for any step from its definition (`workbook.steps`),
blank (for paper) or with one workbook's *shared* answers. It never reads private entries, and
step 8's safety check is never stored, so it can never be printed.

This module is domain level: it uses the store and plain data, never widgets.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import jinja2

from .domain import PARTNER_IDS, Reflection, ValidationError
from .resources import NOT_ADVISED, all_countries_html, resources_line_html
from .steps import HEALING_STEPS, Exercise
from .store import Workbook


@dataclass(frozen=True)
class Shown:
    """What one exercise shows on a sheet: shared answers (None on a blank sheet) and their
    authors' names, table rows and blank rows, or lines to write on."""

    exercise: Exercise
    answers: tuple[Reflection, ...] | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    rows: tuple[tuple[str, ...], ...] = ()
    blank_rows: int = 0
    lines: int = 0


def _promise_rows(wb: Workbook, who: str | None) -> tuple[tuple[str, ...], ...]:
    names = wb.names()
    return tuple(
        (
            names[p.author],
            p.text,
            f"{p.made:%d %b %Y}",
            f"{p.due:%d %b %Y}" if p.due else "",
            p.status if p.status == "open" else f"{p.status} {p.resolved:%d %b %Y}",
        )
        for p in wb.promises(who)
    )


def _on_paper(ex: Exercise) -> Exercise:
    """The exercise with its printed title and question in place of the page's."""
    return replace(ex, title=ex.printed_title, question=ex.printed_question)


def _shown(ex: Exercise, step: int, wb: Workbook | None, who: str | None) -> Shown:
    """An exercise with the workbook's shared answers (private ones are never read)."""
    paper = _on_paper(ex)
    if wb is not None and ex.prompt is not None:
        answers = tuple(
            r
            for r in wb.reflections(step, ex.prompt, viewer=None, author=who)
            if r.visibility != "private"
        )
        return Shown(paper, answers=answers, names=wb.names(), lines=min(ex.lines, 3))
    if ex.columns:
        rows = _promise_rows(wb, who) if wb is not None and ex.kind == "promise-ledger" else ()
        return Shown(paper, rows=rows, blank_rows=2 if rows else ex.lines)
    return Shown(paper, lines=ex.lines)


@functools.cache
def _templates() -> jinja2.Environment:
    """The worksheet templates (package files), escaping every value they are given."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("workbook", "templates/worksheet"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def _check_step(step: object) -> int:
    if isinstance(step, str) and step.strip().isdigit():
        step = int(step.strip())
    if isinstance(step, bool) or not isinstance(step, int) or step not in HEALING_STEPS:
        raise ValidationError(
            f"There is no worksheet for step {str(step)[:20]!r}. Choose a step from 1 to "
            f"{max(HEALING_STEPS)}."
        )
    return step


def worksheet_html(step: int, wb: Workbook | None = None, who: str | None = None) -> str:
    """A standalone, printable HTML page for a step (1 to 8), with no scripts.

    Without a workbook the page is blank, with lined space to write on. With one, each
    exercise shows that workbook's *shared* answers (only `who`'s, when given); private
    entries are never read. Step 8 never shows any answers: its safety check is not stored.
    Every piece of text is escaped (Jinja2 templates with autoescaping, in
    ``workbook/templates/worksheet/``).
    """
    step = _check_step(step)
    if who is not None and who not in PARTNER_IDS:
        raise ValidationError(f"Who is writing must be partner 'a' or 'b', got {who!r}.")
    sheet = HEALING_STEPS[step]
    source = wb if sheet.stores else None  # a step that stores nothing shows nothing of a file
    title = f"Step {step}: {sheet.title}"
    if source is not None:
        names = source.names()
        whose = names[who] if who else " & ".join(names[p] for p in PARTNER_IDS)
        sub = f"Shared answers of {whose}, printed {date.today():%d %B %Y}."
    elif not sheet.stores:
        sub = "Free, confidential help. Nothing from the safety check is ever printed."
    else:
        sub = "Name: ____________________   Date: ______________"
    # The resources are `Markup` from their module (every value escaped there), kept as is.
    return (
        _templates()
        .get_template("worksheet.html.j2")
        .render(
            title=title,
            sub=sub,
            intro=sheet.intro,
            exercises=[_shown(ex, step, source, who) for ex in sheet.printed],
            resources=None if sheet.stores else all_countries_html(),
            not_advised=NOT_ADVISED,
            resources_line=resources_line_html(),
        )
    )


def worksheet_filename(step: int) -> str:
    """A file name for a step's worksheet, e.g. ``step-3-worksheet.html``."""
    return f"step-{_check_step(step)}-worksheet.html"
