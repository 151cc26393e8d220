"""Printable worksheets: one page per step, blank for paper or with a workbook's shared answers.

`worksheet_html` renders a standalone page for any step, blank (for paper) or with one
workbook's *shared* answers. It never reads private entries, and step 8's safety check is never
stored, so it can never be printed.

This module is domain level: it uses the store and plain data, never widgets.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import jinja2
from markupsafe import Markup

from .content import AGREEMENTS, SITUATIONS, THERAPIST_QUESTIONS
from .domain import PARTNER_IDS, STEPS, Reflection, ValidationError
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


def _shown(step: int, ex: Exercise, wb: Workbook | None, who: str | None) -> Shown:
    """An exercise with the workbook's shared answers (private ones are never read)."""
    if wb is not None and ex.prompt is not None:
        answers = tuple(
            r
            for r in wb.reflections(step, ex.prompt, viewer=None, author=who)
            if r.visibility != "private"
        )
        return Shown(ex, answers=answers, names=wb.names(), lines=min(ex.lines, 3))
    if ex.columns:
        rows = _promise_rows(wb, who) if wb is not None and step == 4 else ()
        return Shown(ex, rows=rows, blank_rows=2 if rows else ex.lines)
    return Shown(ex, lines=ex.lines)


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
    Every piece of text is escaped (Jinja2 templates with autoescaping, in
    ``workbook/templates/worksheet/``).
    """
    step = _check_step(step)
    if who is not None and who not in PARTNER_IDS:
        raise ValidationError(f"Who is writing must be partner 'a' or 'b', got {who!r}.")
    sheet = WORKSHEETS[step]
    source = wb if step != 8 else None  # nothing from a workbook is ever shown on step 8
    title = f"Step {step}: {STEPS[step]}"
    if wb is not None and step != 8:
        names = wb.names()
        whose = names[who] if who else " & ".join(names[p] for p in PARTNER_IDS)
        sub = f"Shared answers of {whose}, printed {date.today():%d %B %Y}."
    elif step == 8:
        sub = "Free, confidential help. Nothing from the safety check is ever printed."
    else:
        sub = "Name: ____________________   Date: ______________"
    # The resources are fixed project text, rendered with every value escaped by their module.
    return (
        _templates()
        .get_template("worksheet.html.j2")
        .render(
            title=title,
            sub=sub,
            intro=sheet.intro,
            exercises=[_shown(step, ex, source, who) for ex in sheet.exercises],
            resources=Markup(resources_list_html()) if step == 8 else None,  # noqa: S704
            resources_title=RESOURCES_TITLE,
            not_advised=NOT_ADVISED,
            resources_line=Markup(resources_line_html()),  # noqa: S704
        )
    )


def worksheet_filename(step: int) -> str:
    """A file name for a step's worksheet, e.g. ``step-3-worksheet.html``."""
    return f"step-{_check_step(step)}-worksheet.html"
