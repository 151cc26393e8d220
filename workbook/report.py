"""A printable report for the couple's counsellor, made only when both partners agree.

`report_html` renders one standalone page (no scripts; charts as PNG data URIs) with what the
couple chose from: the *shared* answers of each step, the charts with the sentence beside each,
and the weekly CSI-4 totals with the 13.5 line explained. It never reads a private entry (every
read is made with ``viewer=None``, which returns shared entries only, and a paired answer only
once both partners answered), never anything of step 8 (nothing of it is stored; its number is
skipped all the same), and it refuses unless each partner has agreed
(`Workbook.set_report_consent`). It prints well (a print stylesheet) and a browser's
"Save as PDF" keeps it as a PDF.

Domain level: the store, statistics and charts, never widgets.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

import jinja2
from matplotlib.figure import Figure

from . import charts, stats
from .domain import (
    CSI4_DISTRESS_CUTOFF,
    PARTNER_IDS,
    UNRECORDED_STEPS,
    Reflection,
    ValidationError,
)
from .markup import package_templates
from .steps import HEALING_STEPS
from .store import Workbook

#: What a report can hold; the page and the CLI offer these, all chosen by default.
SECTIONS: dict[str, str] = {
    "answers": "Our shared answers, step by step",
    "charts": "The charts of mood, trust and promises, each with its sentence",
    "csi4": "Our weekly satisfaction totals (CSI-4) and what the 13.5 line means",
}

#: What the 13.5 line means (the start page says the same, in `stats.CSI4_LINE_MEANING`).
CSI4_LINE = (
    "The CSI-4 is four short questions about how satisfied you are together; totals run from "
    "0 to 21. " + stats.CSI4_LINE_MEANING
)


class NotAgreed(ValidationError):
    """The report was asked for before both partners agreed to it."""


@dataclass(frozen=True)
class ExerciseAnswers:
    """One exercise's shared answers (or, for the promise ledger, its rows)."""

    title: str
    question: str
    answers: tuple[Reflection, ...] = ()
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class StepAnswers:
    """A step's title and the exercises on it that have shared answers."""

    number: int
    title: str
    exercises: tuple[ExerciseAnswers, ...]


@dataclass(frozen=True)
class Chart:
    """A chart as a PNG data URI, with the sentence that says what it shows."""

    title: str
    data_uri: str
    sentence: str


@dataclass(frozen=True)
class CSI4Row:
    """One CSI-4 total of one partner, with its side of the line and change in points."""

    name: str
    day: date
    total: int
    below: bool
    change: int | None


def missing_consent(wb: Workbook) -> list[str]:
    """The names of the partners who have not agreed to the report (empty: both have)."""
    names = wb.names()
    return [names[p] for p in PARTNER_IDS if wb.report_consent(p) is None]


def check_agreed(wb: Workbook) -> None:
    """Raise `NotAgreed`, naming who has not agreed yet, unless both partners agree."""
    missing = missing_consent(wb)
    if missing:
        who = " and ".join(missing)
        raise NotAgreed(
            f"The report is made only when both of you agree, and {who} "
            f"{'has' if len(missing) == 1 else 'have'} not agreed yet. Each of you ticks "
            "'I agree' on the page For your counsellor. Nothing was written."
        )


def _check_sections(sections: Collection[str] | None) -> tuple[str, ...]:
    chosen = tuple(SECTIONS) if sections is None else tuple(s for s in SECTIONS if s in sections)
    unknown = sorted(set(sections or ()) - set(SECTIONS))
    if unknown:
        raise ValidationError(
            f"A report has no part called {unknown[0][:20]!r}; choose from "
            f"{', '.join(SECTIONS)}. Nothing was written."
        )
    if not chosen:
        raise ValidationError("Choose at least one part for the report. Nothing was written.")
    return chosen


def shared_answers(wb: Workbook) -> tuple[StepAnswers, ...]:
    """Each step's shared answers (never private ones, never step 8), steps with none left out."""
    names = wb.names()
    steps = []
    for number, step in HEALING_STEPS.items():
        if not step.stores or number in UNRECORDED_STEPS:
            continue
        found = []
        for ex in step.exercises:
            if ex.prompt is not None:
                answers = tuple(
                    r
                    for r in wb.reflections(number, ex.prompt, viewer=None)
                    if r.visibility != "private"
                )
                if answers:
                    found.append(
                        ExerciseAnswers(ex.printed_title, ex.printed_question, answers=answers)
                    )
            elif ex.kind == "promise-ledger" and (promises := wb.promises()):
                rows = tuple(
                    (
                        names[p.author],
                        p.text,
                        f"{p.made:%d %b %Y}",
                        p.status if p.resolved is None else f"{p.status} {p.resolved:%d %b %Y}",
                    )
                    for p in promises
                )
                found.append(
                    ExerciseAnswers(
                        ex.printed_title,
                        ex.printed_question,
                        columns=("Who", "Promise", "Made", "How it went"),
                        rows=rows,
                    )
                )
        if found:
            steps.append(StepAnswers(number, step.title, tuple(found)))
    return tuple(steps)


def _png_uri(fig: Figure) -> str:
    png = charts.figure_to_png(fig, dpi=150)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def report_charts(wb: Workbook, today: date, *, csi4: bool = False) -> tuple[Chart, ...]:
    """The trends charts of shared entries with their sentences (or the CSI-4 chart only)."""
    names = wb.names()
    if csi4:
        answers = wb.csi4()
        return (
            Chart(
                "Relationship satisfaction (CSI-4)",
                _png_uri(charts.csi4_chart(answers, names, titled=False)),
                stats.summarize_csi4(answers, names),
            ),
        )
    checkins = wb.checkins(viewer=None)  # shared check-ins only
    promises = wb.promises()
    weeks = max(1, -(-((today - min((c.day for c in checkins), default=today)).days + 1) // 7))
    return (
        Chart(
            "Mood and trust",
            _png_uri(charts.mood_trust_chart(checkins, names, wb.milestones(), titled=False)),
            stats.summarize_mood_trust(checkins, names, today=today, weeks=weeks),
        ),
        Chart(
            "The gap between you",
            _png_uri(charts.partner_gap_chart(checkins, names, titled=False)),
            stats.summarize_gap(checkins, names, today=today, weeks=weeks),
        ),
        Chart(
            "Promises kept",
            _png_uri(charts.promise_keeping_chart(promises, names, titled=False)),
            stats.summarize_promises(promises, names),
        ),
    )


def csi4_rows(wb: Workbook) -> tuple[CSI4Row, ...]:
    """Every CSI-4 total, each partner's in turn, with change in points from their first."""
    names = wb.names()
    series = stats.csi4_series(wb.csi4())
    return tuple(
        CSI4Row(names[p.partner], p.day, p.total, p.distressed, p.change)
        for pid in PARTNER_IDS
        for p in series
        if p.partner == pid
    )


@functools.cache
def _templates() -> jinja2.Environment:
    """The report's templates (package files), escaping every value they are given."""
    return package_templates("templates/report")


def report_html(
    wb: Workbook,
    sections: Collection[str] | None = None,
    *,
    today: date | None = None,
) -> str:
    """The counsellor's report as a standalone printable page; `NotAgreed` unless both agree.

    `sections` chooses from `SECTIONS` (all by default). Only shared entries are read.
    """
    check_agreed(wb)
    chosen = _check_sections(sections)
    today = today or date.today()
    names = wb.names()
    consents: Mapping[str, date] = {
        names[p]: wb.report_consent(p).astimezone().date()  # type: ignore[union-attr]
        for p in PARTNER_IDS
    }
    return (
        _templates()
        .get_template("report.html.j2")
        .render(
            couple=" & ".join(names[p] for p in PARTNER_IDS),
            printed=today,
            consents=consents,
            steps=shared_answers(wb) if "answers" in chosen else None,
            charts=report_charts(wb, today) if "charts" in chosen else None,
            csi4_chart=report_charts(wb, today, csi4=True)[0] if "csi4" in chosen else None,
            csi4_rows=csi4_rows(wb) if "csi4" in chosen else (),
            csi4_line=CSI4_LINE,
            cutoff=CSI4_DISTRESS_CUTOFF,
            names=names,
        )
    )


def report_filename(wb: Workbook, today: date | None = None) -> str:
    """A file name for the report, e.g. ``counsellor-report-2026-12-05.html``."""
    return f"counsellor-report-{(today or date.today()).isoformat()}.html"
