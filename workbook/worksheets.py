"""Printable worksheets: one page per step, blank for paper or with a workbook's shared answers.

`worksheet_html` renders a standalone page for any step, blank (for paper) or with one
workbook's *shared* answers. It never reads private entries, and step 8's safety check is never
stored, so it can never be printed.

This module is domain level: it uses the store and plain data, never widgets.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from .content import AGREEMENTS, SITUATIONS, THERAPIST_QUESTIONS
from .domain import PARTNER_IDS, STEPS, ValidationError
from .resources import (
    HELP_INSTEAD,
    NOT_ADVISED,
    NOT_ADVISED_WHY,
    RESOURCES_TITLE,
    resources_line_html,
    resources_list_html,
)
from .store import Workbook


@dataclass(frozen=True)
class Exercise:
    """One exercise on a worksheet.

    `prompt` is the key the step page saves answers under (None for exercises with nothing
    saved); `items` become tick boxes; `lines` is the blank space on the paper version;
    `columns` make a table with blank rows instead of lines.
    """

    title: str
    question: str
    prompt: str | None = None
    items: tuple[str, ...] = ()
    lines: int = 5
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Worksheet:
    """A step's worksheet: an intro and its exercises."""

    intro: str
    exercises: tuple[Exercise, ...]


WORKSHEETS: dict[int, Worksheet] = {
    1: Worksheet(
        "Honest conversation needs a place where both of you feel safe to speak. Agree on a few "
        "ground rules, say what you feel rather than what your partner is, take turns to "
        "speak and listen, and show that you understood.",
        (
            Exercise(
                "Our agreements",
                "Tick the ground rules you both want for hard conversations, and add your own.",
                "agreements",
                items=AGREEMENTS,
                lines=2,
            ),
            Exercise(
                "An “I” statement",
                "I feel … when … and I need … (avoid “you always” and “you never”).",
                "i-statement",
                lines=4,
            ),
            Exercise(
                "Speaker and listener",
                "Take turns of two or three minutes. The speaker talks about their own "
                "experience; the listener does not interrupt, then sums up what they heard. "
                "What did you hear?",
                None,
                lines=4,
            ),
            Exercise(
                "Validation",
                "What did you hear your partner say, and what makes sense about it?",
                "validation",
            ),
        ),
    ),
    2: Worksheet(
        "Healing starts with naming what hurt, without blame: what happened, how it affected "
        "each of you and the two of you together, and what part you played.",
        (
            Exercise(
                "What brings us here",
                "Tick what applies to your relationship now. There is no score.",
                "situations",
                items=SITUATIONS,
                lines=1,
            ),
            Exercise("What happened", "In your own words, what happened?", "what-happened"),
            Exercise("How it affected me", "How has it affected you?", "how-it-affected-me"),
            Exercise(
                "How it affected us",
                "How has it affected the two of you as a couple?",
                "how-it-affected-us",
            ),
            Exercise("Naming my part", "What mistakes of your own can you name?", "my-mistakes"),
            Exercise(
                "Pain I have not shared",
                "Is there pain you have not shared before? You may keep this one to yourself.",
                "unshared-pain",
                lines=4,
            ),
        ),
    ),
    3: Worksheet(
        "Empathy means imagining the other side before defending your own. Healing is not a "
        "straight line: setbacks happen, and patience, with each other and yourself, helps.",
        (
            Exercise(
                "Perspective-taking: feelings",
                "What might your partner be feeling about what happened? Answer separately, "
                "then compare.",
                "perspective-feel",
            ),
            Exercise(
                "Perspective-taking: needs",
                "What might your partner need from you right now?",
                "perspective-need",
            ),
            Exercise(
                "Setbacks log",
                "A setback, what set it off, and how you came back from it.",
                "setback",
                columns=("Date", "What happened", "How we came back"),
                lines=4,
            ),
            Exercise(
                "Patience with myself",
                "What would you tell a friend who was healing at your pace?",
                "patience",
                lines=4,
            ),
        ),
    ),
    4: Worksheet(
        "Trust comes back through small promises kept, over and over. Keep a record of "
        "promises made, kept and broken, so you can both see whether words and actions align.",
        (
            Exercise(
                "Promise ledger",
                "Small, concrete promises; mark each one kept or broken honestly.",
                None,
                columns=("Who", "I promise to…", "Made", "By", "Kept / broken"),
                lines=6,
            ),
            Exercise(
                "Honesty notes",
                "Something small you were honest about this week, even when it was easier not "
                "to be.",
                "honesty",
            ),
            Exercise(
                "Signs of trust",
                "When did your partner's words and actions line up recently?",
                "trust-signs",
            ),
        ),
    ),
    5: Worksheet(
        "A qualified couples therapist gives you both a neutral place to be heard. Common "
        "approaches are Emotionally Focused Therapy (EFT), the Gottman Method, CBT for "
        "couples and trauma-informed counselling; an LMFT is a licensed marriage and family "
        "therapist. Many also see couples online.",
        (
            Exercise(
                "Questions to ask a therapist",
                "Tick the questions you would like to ask, and add your own.",
                "therapist-questions",
                items=THERAPIST_QUESTIONS,
                lines=2,
            ),
            Exercise(
                "Session notes",
                "What stood out for me in our last session?",
                "session-notes",
            ),
            Exercise(
                "Preparing for the next session",
                "What would I like to bring up next time?",
                "session-prep",
            ),
        ),
    ),
    6: Worksheet(
        "Looking after yourself helps you show up for the relationship: a journal, a few "
        "minutes of mindfulness, a hobby, and people you can talk to.",
        (
            Exercise(
                "Journal", "What is on my mind today? (This is yours to keep.)", "journal", lines=8
            ),
            Exercise(
                "Self-care log",
                "Mindfulness, journaling, a hobby, exercise, talking with someone, rest.",
                None,
                columns=("Day", "What I did", "Minutes", "How it felt"),
                lines=7,
            ),
            Exercise(
                "People I can talk to",
                "Who can I turn to when things feel heavy, and how do I reach them?",
                "support-people",
                lines=4,
            ),
        ),
    ),
    7: Worksheet(
        "Closeness grows back through shared goals, time together, small appreciations and "
        "boundaries that help both of you feel respected and safe.",
        (
            Exercise(
                "Shared goals and values",
                "What matters to us both, and what would we like to build together?",
                "shared-goal",
            ),
            Exercise(
                "Time together",
                "What would we like to do together, and when?",
                "quality-time",
                lines=4,
            ),
            Exercise(
                "Appreciations",
                "Something I appreciated about you this week.",
                "appreciation",
                lines=4,
            ),
            Exercise(
                "Healthy boundaries",
                "What do I need so I feel respected and safe with you?",
                "boundary",
            ),
        ),
    ),
    # The safety check itself never appears on paper: its answers are never stored, and a
    # printed sheet with ticks could be found by the person a partner is afraid of.
    8: Worksheet(
        f"{NOT_ADVISED} {NOT_ADVISED_WHY}",
        (
            Exercise(
                "What helps instead",
                HELP_INSTEAD,
                None,
                lines=0,
            ),
            Exercise(
                "A private safety check",
                "The safety check is only on screen, for you alone: its answers are never "
                "saved and are not printed here.",
                None,
                lines=0,
            ),
        ),
    ),
}

_CSS = """\
@page { size: auto; margin: 18mm 16mm 20mm; }
* { box-sizing: border-box; }
html { font-family: Georgia, 'Times New Roman', serif; font-size: 12pt; color: #1a1a1a; }
body { max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }
header { border-bottom: 2px solid #2f5d62; margin-bottom: 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; color: #2f5d62; }
h2 { font-size: 1.15rem; margin: 1.4rem 0 .3rem; break-after: avoid; page-break-after: avoid; }
.sub { margin: 0 0 .6rem; color: #444; }
.intro { font-size: 1.02rem; }
section { break-inside: avoid; page-break-inside: avoid; }
.q { margin: .2rem 0 .5rem; }
.line { border-bottom: 1px solid #8a8a8a; height: 1.9rem; }
ul.ticks { list-style: none; padding-left: 0; margin: .3rem 0; }
ul.ticks li { margin: .25rem 0; padding-left: 1.6rem; text-indent: -1.6rem; }
ul.ticks li::before { content: '\\2610'; display: inline-block; width: 1.6rem; text-indent: 0; }
table.grid { width: 100%; border-collapse: collapse; margin-top: .3rem; }
table.grid th, table.grid td { border: 1px solid #8a8a8a; padding: .3rem .4rem; text-align: left;
  vertical-align: top; }
table.grid td { height: 1.9rem; }
.answers { list-style: none; padding: 0; margin: .3rem 0; }
.answer { border-left: 3px solid #2f5d62; padding: .2rem .6rem; margin: .5rem 0; }
.meta { font-size: .85rem; color: #555; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.empty { color: #555; font-style: italic; }
.resources { border: 2px solid #2f5d62; padding: .6rem .9rem; margin: 1rem 0; }
.resources p { margin: 0 0 .3rem; }
.resources ul { margin: .3rem 0; padding-left: 1.2rem; }
footer { margin-top: 2rem; border-top: 1px solid #bbb; padding-top: .5rem; font-size: .85rem;
  color: #333; }
@media print {
  body { margin: 0; max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _lines(n: int) -> str:
    return "<div class='lines'>" + "<div class='line'></div>" * n + "</div>" if n > 0 else ""


def _grid(columns: tuple[str, ...], rows: list[tuple[str, ...]], blank: int) -> str:
    head = "".join(f"<th scope='col'>{_e(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{_e(v)}</td>" for v in r) + "</tr>" for r in rows)
    body += ("<tr>" + "<td></td>" * len(columns) + "</tr>") * blank
    return f"<table class='grid'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def resources_html() -> str:
    """The U.S. crisis resources as printable HTML, from the one list in workbook.resources."""
    return (
        f"<div class='resources'><p><strong>{_e(RESOURCES_TITLE)}</strong></p>"
        f"{resources_list_html()}</div>"
    )


def _answers_html(wb: Workbook, step: int, ex: Exercise, who: str | None) -> str:
    """The workbook's shared answers to one exercise (private ones are never read)."""
    if ex.prompt is None:
        return ""
    names = wb.names()
    entries = [
        r
        for r in wb.reflections(step, ex.prompt, viewer=None, author=who)
        if r.visibility != "private"
    ]
    if not entries:
        return "<p class='empty'>No shared answers yet.</p>" + _lines(min(ex.lines, 3))
    items = "".join(
        "<li class='answer'>"
        f"<div class='meta'>{_e(names[r.author])} · {_e(f'{r.at.astimezone():%d %B %Y}')}</div>"
        f"<div class='text'>{_e(r.text)}</div></li>"
        for r in entries
    )
    return f"<ul class='answers'>{items}</ul>"


def _promise_rows(wb: Workbook, who: str | None) -> list[tuple[str, ...]]:
    names = wb.names()
    return [
        (
            names[p.author],
            p.text,
            f"{p.made:%d %b %Y}",
            f"{p.due:%d %b %Y}" if p.due else "",
            p.status if p.status == "open" else f"{p.status} {p.resolved:%d %b %Y}",
        )
        for p in wb.promises(who)
    ]


def _exercise_html(step: int, ex: Exercise, wb: Workbook | None, who: str | None) -> str:
    parts = [f"<section><h2>{_e(ex.title)}</h2><p class='q'>{_e(ex.question)}</p>"]
    if ex.items:
        parts.append(
            "<ul class='ticks'>" + "".join(f"<li>{_e(i)}</li>" for i in ex.items) + "</ul>"
        )
    if wb is not None and ex.prompt is not None:
        parts.append(_answers_html(wb, step, ex, who))
    elif ex.columns:
        rows = _promise_rows(wb, who) if wb is not None and step == 4 else []
        parts.append(_grid(ex.columns, rows, 2 if rows else ex.lines))
    else:
        parts.append(_lines(ex.lines))
    parts.append("</section>")
    return "".join(parts)


def _check_step(step: object) -> int:
    if isinstance(step, str) and step.strip().isdigit():
        step = int(step.strip())
    if isinstance(step, bool) or not isinstance(step, int) or step not in WORKSHEETS:
        raise ValidationError(
            f"There is no worksheet for step {str(step)[:20]!r}. Choose a step from 1 to "
            f"{max(WORKSHEETS)}."
        )
    return step


def worksheet_html(step: int, wb: Workbook | None = None, who: str | None = None) -> str:
    """A standalone, printable HTML page for a step (1 to 8), with no scripts.

    Without a workbook the page is blank, with lined space to write on. With one, each
    exercise shows that workbook's *shared* answers (only `who`'s, when given); private
    entries are never read. Step 8 never shows any answers: its safety check is not stored.
    Every piece of text is escaped.
    """
    step = _check_step(step)
    if who is not None and who not in PARTNER_IDS:
        raise ValidationError(f"Who is writing must be partner 'a' or 'b', got {who!r}.")
    sheet = WORKSHEETS[step]
    source = wb if step != 8 else None  # nothing from a workbook is ever shown on step 8
    title = f"Step {step}: {STEPS[step]}"
    if wb is not None and step != 8:
        names = wb.names()
        whose = names[who] if who else " & ".join(names[p] for p in PARTNER_IDS)  # type: ignore[index]
        sub = f"Shared answers of {whose}, printed {date.today():%d %B %Y}."
    elif step == 8:
        sub = "Free, confidential help. Nothing from the safety check is ever printed."
    else:
        sub = "Name: ____________________   Date: ______________"
    body = [
        f"<header><h1>{_e(title)}</h1><p class='sub'>{_e(sub)}</p></header>",
        f"<p class='intro'>{_e(sheet.intro)}</p>",
    ]
    if step == 8:
        body.append(resources_html())
    body += [_exercise_html(step, ex, source, who) for ex in sheet.exercises]
    body.append(f"<footer>Healing Together · {_e(NOT_ADVISED)} {resources_line_html()}</footer>")
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'\">"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)} · Healing Together worksheet</title>"
        f"<style>\n{_CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def worksheet_filename(step: int) -> str:
    """A file name for a step's worksheet, e.g. ``step-3-worksheet.html``."""
    return f"step-{_check_step(step)}-worksheet.html"
