"""A printable report for the couple's counsellor, made only when both partners agree.

`report_html` renders one standalone page (no scripts; charts as PNG data URIs) with what the
couple chose from: the *shared* answers of each step, the charts with the sentence beside each,
and the weekly CSI-4 totals with the 13.5 line explained. It never reads a private entry (every
read is made with ``viewer=None``, which returns shared entries only, and a paired answer only
once both partners answered), never anything of step 8 (nothing of it is stored; its number is
skipped all the same), and it refuses unless each partner has agreed
(`Workbook.set_report_consent`). It prints well (a print stylesheet) and a browser's
"Save as PDF" keeps it as a PDF. It is written in the language of the partner who makes it
(``lang``; the couple's words stay as written), dates and numbers in that language's form.

Domain level: the store, statistics and charts, never widgets.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date

import jinja2
from matplotlib.figure import Figure

from . import charts, stats
from .app_phrases import entry_text
from .domain import (
    CSI4_DISTRESS_CUTOFF,
    PARTNER_IDS,
    UNRECORDED_STEPS,
    Reflection,
    ValidationError,
)
from .i18n import N_, format_date, install_jinja, translator
from .markup import package_templates
from .stats.wording import decimal
from .steps import steps_in
from .store import Workbook

#: What a report can hold; the page and the CLI offer these, all chosen by default.
SECTIONS: dict[str, str] = {
    "answers": N_("Our shared answers, step by step"),
    "charts": N_("The charts of mood, trust and promises, each with its sentence"),
    "csi4": N_("Our weekly satisfaction totals (CSI-4) and what the 13.5 line means"),
}

#: What the CSI-4 is, said before what its 13.5 line means.
CSI4_INTRO = N_(
    "The CSI-4 is four short questions about how satisfied you are together; totals run from "
    "0 to 21."
)


def csi4_line(lang: str | None = None) -> str:
    """What the CSI-4 and its 13.5 line mean (the trends page says the same)."""
    return translator(lang).gettext(CSI4_INTRO) + " " + stats.csi4_line_meaning(lang)


#: What the 13.5 line means, in English.
CSI4_LINE = csi4_line()

#: The promise ledger's columns in the report.
PROMISE_COLUMNS = (N_("Who"), N_("Promise"), N_("Made"), N_("How it went"))
#: A promise's outcome in the report, with its day.
PROMISE_OUTCOME = {"kept": N_("kept %(day)s"), "broken": N_("broken %(day)s")}
#: A promise not yet kept or broken.
PROMISE_OPEN = N_("open")
#: How the report writes a day: long ("05 December 2026") and short ("05 Dec 2026").
LONG_DAY = N_("dd MMMM y")
SHORT_DAY = N_("dd MMM y")


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
    if len(missing) == 1:
        raise NotAgreed(
            N_(
                "The report is made only when both of you agree, and %(who)s has not agreed "
                "yet. Each of you ticks 'I agree' on the page For your counsellor. Nothing was "
                "written."
            ),
            who=missing[0],
        )
    if missing:
        raise NotAgreed(
            N_(
                "The report is made only when both of you agree, and %(a)s and %(b)s have not "
                "agreed yet. Each of you ticks 'I agree' on the page For your counsellor. "
                "Nothing was written."
            ),
            a=missing[0],
            b=missing[1],
        )


def _check_sections(sections: Collection[str] | None) -> tuple[str, ...]:
    chosen = tuple(SECTIONS) if sections is None else tuple(s for s in SECTIONS if s in sections)
    unknown = sorted(set(sections or ()) - set(SECTIONS))
    if unknown:
        raise ValidationError(
            N_("A report has no part called %(part)s; choose from %(parts)s. Nothing was written."),
            part=repr(unknown[0][:20]),
            parts=", ".join(SECTIONS),
        )
    if not chosen:
        raise ValidationError(N_("Choose at least one part for the report. Nothing was written."))
    return chosen


def shared_answers(wb: Workbook, lang: str | None = None) -> tuple[StepAnswers, ...]:
    """Each step's shared answers (never private ones, never step 8), steps with none left out;
    the steps' words in `lang`."""
    _ = translator(lang).gettext
    names = wb.names()
    steps = []
    for number, step in steps_in(lang).items():
        if not step.stores or number in UNRECORDED_STEPS:
            continue
        found = []
        for ex in step.exercises:
            if ex.prompt is not None:
                answers = tuple(
                    replace(r, text=entry_text(r, lang))  # the app's checklist items in `lang`
                    for r in wb.reflections(number, ex.prompt, viewer=None)
                    if r.visibility != "private"
                )
                if answers:
                    found.append(
                        ExerciseAnswers(ex.printed_title, ex.printed_question(_), answers=answers)
                    )
            elif ex.kind == "promise-ledger" and (promises := wb.promises()):
                rows = tuple(
                    (
                        names[p.author],
                        p.text,
                        format_date(p.made, lang, _(SHORT_DAY)),
                        _(PROMISE_OPEN)
                        if p.resolved is None or p.status not in PROMISE_OUTCOME
                        else _(PROMISE_OUTCOME[p.status])
                        % {"day": format_date(p.resolved, lang, _(SHORT_DAY))},
                    )
                    for p in promises
                )
                found.append(
                    ExerciseAnswers(
                        ex.printed_title,
                        ex.printed_question(_),
                        columns=tuple(_(c) for c in PROMISE_COLUMNS),
                        rows=rows,
                    )
                )
        if found:
            steps.append(StepAnswers(number, step.title, tuple(found)))
    return tuple(steps)


def _png_uri(fig: Figure) -> str:
    png = charts.figure_to_png(fig, dpi=150)
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def report_charts(
    wb: Workbook, today: date, *, csi4: bool = False, lang: str | None = None
) -> tuple[Chart, ...]:
    """The trends charts of shared entries with their sentences (or the CSI-4 chart only),
    in `lang`."""
    _ = translator(lang).gettext
    names = wb.names()
    if csi4:
        answers = wb.csi4()
        return (
            Chart(
                _("Relationship satisfaction (CSI-4)"),
                _png_uri(charts.csi4_chart(answers, names, titled=False, lang=lang)),
                stats.summarize_csi4(answers, names, lang=lang),
            ),
        )
    checkins = wb.checkins(viewer=None)  # shared check-ins only
    promises = wb.promises()
    weeks = max(1, -(-((today - min((c.day for c in checkins), default=today)).days + 1) // 7))
    return (
        Chart(
            _("Mood and trust"),
            _png_uri(
                charts.mood_trust_chart(checkins, names, wb.milestones(), titled=False, lang=lang)
            ),
            stats.summarize_mood_trust(checkins, names, today=today, weeks=weeks, lang=lang),
        ),
        Chart(
            _("The gap between you"),
            _png_uri(charts.partner_gap_chart(checkins, names, titled=False, lang=lang)),
            stats.summarize_gap(checkins, names, today=today, weeks=weeks, lang=lang),
        ),
        Chart(
            _("Promises kept"),
            _png_uri(charts.promise_keeping_chart(promises, names, titled=False, lang=lang)),
            stats.summarize_promises(promises, names, lang=lang),
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
def _templates(lang: str | None) -> jinja2.Environment:
    """The report's templates (package files) in `lang`, escaping every value they are given;
    ``long_day`` / ``short_day`` write a day as the language does."""
    env = package_templates("templates/report", ["jinja2.ext.i18n"])
    _ = translator(lang).gettext
    env.globals["long_day"] = lambda day: format_date(day, lang, _(LONG_DAY))
    env.globals["short_day"] = lambda day: format_date(day, lang, _(SHORT_DAY))
    env.globals["lang"] = lang or "en"
    return install_jinja(env, lang)


def report_html(
    wb: Workbook,
    sections: Collection[str] | None = None,
    *,
    today: date | None = None,
    lang: str | None = None,
) -> str:
    """The counsellor's report as a standalone printable page; `NotAgreed` unless both agree.

    `sections` chooses from `SECTIONS` (all by default). Only shared entries are read. It is
    written in `lang` (English by default); the couple's words stay as written.
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
        _templates(lang)
        .get_template("report.html.j2")
        .render(
            couple=translator(lang).gettext("%(a)s & %(b)s") % {"a": names["a"], "b": names["b"]},
            printed=today,
            consent_list=", ".join(
                translator(lang).gettext("%(name)s on %(day)s")
                % {"name": name, "day": format_date(day, lang, translator(lang).gettext(LONG_DAY))}
                for name, day in consents.items()
            ),
            steps=shared_answers(wb, lang) if "answers" in chosen else None,
            charts=report_charts(wb, today, lang=lang) if "charts" in chosen else None,
            csi4_chart=(
                report_charts(wb, today, csi4=True, lang=lang)[0] if "csi4" in chosen else None
            ),
            csi4_rows=csi4_rows(wb) if "csi4" in chosen else (),
            csi4_line=csi4_line(lang),
            cutoff=decimal(CSI4_DISTRESS_CUTOFF, lang),
            names=names,
        )
    )


def report_filename(wb: Workbook, today: date | None = None) -> str:
    """A file name for the report, e.g. ``counsellor-report-2026-12-05.html``."""
    return f"counsellor-report-{(today or date.today()).isoformat()}.html"
