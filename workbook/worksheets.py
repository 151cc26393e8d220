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

from .app_phrases import entry_text
from .domain import PARTNER_IDS, Reflection, ValidationError
from .i18n import N_, format_date, install_jinja, languages, translator
from .markup import package_templates
from .resources import NOT_ADVISED, all_countries_html, resources_line_html
from .steps import HEALING_STEPS, Exercise, steps_in
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


#: A promise's status on paper ("kept 5 December 2026").
_STATUS = {"open": N_("open"), "kept": N_("kept %(day)s"), "broken": N_("broken %(day)s")}


def _promise_rows(wb: Workbook, who: str | None, lang: str | None) -> tuple[tuple[str, ...], ...]:
    names = wb.names()
    _ = translator(lang).gettext

    def day(d: date | None) -> str:
        return format_date(d, lang, "medium") if d else ""

    return tuple(
        (
            names[p.author],
            p.text,
            day(p.made),
            day(p.due),
            _(_STATUS.get(p.status, p.status)) % {"day": day(p.resolved)},
        )
        for p in wb.promises(who)
    )


def _on_paper(ex: Exercise, lang: str | None) -> Exercise:
    """The exercise with its printed title and question in place of the page's."""
    question = ex.printed_question(translator(lang).gettext)
    return replace(ex, title=ex.printed_title, question=question)


def _shown(
    ex: Exercise, step: int, wb: Workbook | None, who: str | None, lang: str | None = None
) -> Shown:
    """An exercise with the workbook's shared answers (private ones are never read)."""
    paper = _on_paper(ex, lang)
    if wb is not None and ex.prompt is not None:
        answers = tuple(
            replace(r, text=entry_text(r, lang))  # the app's checklist items in `lang`
            for r in wb.reflections(step, ex.prompt, viewer=None, author=who)
            if r.visibility != "private"
        )
        return Shown(paper, answers=answers, names=wb.names(), lines=min(ex.lines, 3))
    if ex.columns:
        rows = (
            _promise_rows(wb, who, lang) if wb is not None and ex.kind == "promise-ledger" else ()
        )
        return Shown(paper, rows=rows, blank_rows=2 if rows else ex.lines)
    return Shown(paper, lines=ex.lines)


@functools.cache
def _templates(lang: str | None) -> jinja2.Environment:
    """The worksheet templates (package files) in `lang`, escaping every value they are given."""
    env = package_templates("templates/worksheet", ["jinja2.ext.i18n"])
    env.globals["format_date"] = lambda day: format_date(day, lang)
    return install_jinja(env, lang)


def compile_templates() -> None:
    """Compile the worksheet template in every language now, once: the kernel template
    process (`workbook.kernel_zygote`) does, so that no page kernel forked from it compiles
    it again for its blank worksheet (about 30 ms of every step page's start)."""
    for lang in (None, *languages()):
        _templates(lang).get_template("worksheet.html.j2")


def _check_step(step: object) -> int:
    if isinstance(step, str) and step.strip().isdigit():
        step = int(step.strip())
    if isinstance(step, bool) or not isinstance(step, int) or step not in HEALING_STEPS:
        raise ValidationError(
            N_("There is no worksheet for step %(step)r. Choose a step from 1 to %(last)d."),
            step=str(step)[:20],
            last=max(HEALING_STEPS),
        )
    return step


def worksheet_html(
    step: int, wb: Workbook | None = None, who: str | None = None, lang: str | None = None
) -> str:
    """A standalone, printable HTML page for a step (1 to 8), with no scripts.

    Without a workbook the page is blank, with lined space to write on. With one, each
    exercise shows that workbook's *shared* answers (only `who`'s, when given); private
    entries are never read. Step 8 never shows any answers: its safety check is not stored.
    Every piece of text is escaped (Jinja2 templates with autoescaping, in
    ``workbook/templates/worksheet/``). `lang` ("es") prints it in that language (English
    for None); the partners' answers are printed as they wrote them.
    """
    step = _check_step(step)
    if who is not None and who not in PARTNER_IDS:
        raise ValidationError(
            N_("Who is writing must be partner 'a' or 'b', got %(who)r."), who=who
        )
    sheet = steps_in(lang)[step]
    _ = translator(lang).gettext
    source = wb if sheet.stores else None  # a step that stores nothing shows nothing of a file
    title = _("Step %(number)d: %(title)s") % {"number": step, "title": sheet.title}
    if source is not None:
        names = source.names()
        whose = names[who] if who else _("%(a)s & %(b)s") % {"a": names["a"], "b": names["b"]}
        sub = _("Shared answers of %(whose)s, printed %(day)s.") % {
            "whose": whose,
            "day": format_date(date.today(), lang),
        }
    elif not sheet.stores:
        sub = _("Free, confidential help. Nothing from the safety check is ever printed.")
    else:
        sub = _("Name: %(blank)s   Date: %(date)s") % {"blank": "_" * 20, "date": "_" * 14}
    # The resources are `Markup` from their module (every value escaped there), kept as is.
    return (
        _templates(lang)
        .get_template("worksheet.html.j2")
        .render(
            lang=lang or "en",
            title=title,
            sub=sub,
            intro=sheet.intro,
            exercises=[_shown(ex, step, source, who, lang) for ex in sheet.printed],
            resources=None if sheet.stores else all_countries_html(lang=lang),
            not_advised=_(NOT_ADVISED),
            resources_line=resources_line_html(lang),
        )
    )


def worksheet_filename(step: int) -> str:
    """A file name for a step's worksheet, e.g. ``step-3-worksheet.html``."""
    return f"step-{_check_step(step)}-worksheet.html"
