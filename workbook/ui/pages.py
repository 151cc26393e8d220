"""Whole pages: the start page and each step page, built from the forms.

A notebook calls one function here (`start_page()` or `step_page(n)`) and shows what it returns.
The workbook and the partner come from the URL query (read after Voila's `wait_for_request`,
so preheated kernels work) or, outside Voila, from the notebook's `parameters` cell.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets

from ..domain import STEPS, ValidationError
from ..paths import list_names, slugify
from ..resources import NOT_ADVISED, resources_line_html
from ..store import Workbook, WorkbookError, create, open_workbook
from ..workshop import PLACEHOLDER_NAMES
from .base import (
    Session,
    Status,
    button,
    card,
    download_link,
    esc,
    guarded,
    heading,
    html_text,
    layout,
    page_inputs,
    page_url,
    paragraph,
    resolve_session,
    served_by_voila,
    step_title,
    text_input,
    way_back,
    workbook_for,
    workshop_mode,
)
from .corrections import on_entries_changed
from .exercises import step_exercises
from .forms import CheckInForm, StepDoneForm
from .satisfaction import SatisfactionCheck


def nav_links(session: Session | None, step: int | str) -> widgets.HTML:
    """Links to all steps, the steps either side of `step`, and the trends page."""
    links = []

    def link(target: int | str, text: str) -> str:
        url = session.url(target) if session else page_url(target)
        return f"<a class='ht-nav-link' href='{esc(url)}'>{esc(text)}</a>"

    links.append(link(0, "All steps"))
    if isinstance(step, int) and step > 1:
        links.append(link(step - 1, f"← Step {step - 1}"))
    if isinstance(step, int) and 0 < step < max(STEPS):
        links.append(link(step + 1, f"Step {step + 1} →"))
    if step != "trends":
        links.append(link("trends", "Trends"))
    return html_text(f"<nav class='ht-nav' aria-label='Pages'>{' '.join(links)}</nav>")


def header(session: Session, step: int | str) -> widgets.VBox:
    """The strip at the top of each page: who is writing, and the way around."""
    who = html_text(
        # <bdi>: a name from an older workbook with direction controls cannot turn the line.
        f"<p class='ht-who'>Writing as <strong><bdi>{esc(session.name)}</bdi></strong> · workbook "
        f"<strong>{esc(session.wb.name)}</strong> · "
        f"<a href='{esc(page_url(0, session.wb.name))}'>not you?</a></p>"
    )
    from .sitting import header_lock

    box = widgets.VBox(
        [who, header_lock(session.privacy), nav_links(session, step), session.privacy.bridge],
        layout=layout(),
    )
    box.add_class("ht-header")
    return box


def footer(session: Session | None) -> widgets.HTML:
    """Safety line at the bottom of every page: the plain word on abuse and every resource."""
    eight = session.url(8) if session else page_url(8)
    return html_text(
        f"<footer class='ht-footer'><p>{esc(NOT_ADVISED)} See <a href='{esc(eight)}'>when to "
        f"walk away</a>. {resources_line_html()}</p></footer>"
    )


class WorksheetLinks(widgets.VBox):
    """This step's printable worksheet: blank at once, or filled with our shared answers.

    The filled one is made when asked for, so it holds what was saved up to that moment,
    including answers written on this page after it opened.
    """

    def __init__(self, session: Session, step: int) -> None:
        from ..worksheets import worksheet_filename, worksheet_html

        self.session, self.step = session, step
        self.filename = worksheet_filename(step)
        blank = download_link(worksheet_html(step), self.filename, "Blank worksheet")
        self.prepare = button("Worksheet with our shared answers", style="")
        self.status = Status()
        self.filled = html_text()
        self.prepare.on_click(lambda _: guarded(self.status, self._prepare))
        super().__init__(
            [
                html_text(
                    "<p class='ht-p'>Print this step:</p>"
                    f"<nav class='ht-nav' aria-label='Worksheets'>{blank}</nav>"
                ),
                self.prepare,
                self.status,
                self.filled,
            ],
            layout=layout(),
        )
        self.add_class("ht-card")
        self.add_class("ht-print")
        on_entries_changed(session.wb, self._forget)

    def _forget(self) -> None:
        # A worksheet made before an answer was corrected or deleted must not still offer it.
        self.filled.value = ""

    def _prepare(self) -> str:
        from ..worksheets import worksheet_html

        page = worksheet_html(self.step, self.session.wb)
        saved_at = datetime.now().strftime("%H:%M")
        self.filled.value = (
            "<nav class='ht-nav' aria-label='Worksheet with answers'>"
            + download_link(
                page, "ours-" + self.filename, f"Download it (answers saved until {saved_at})"
            )
            + "</nav>"
        )
        return ""


class ConsentForm(widgets.VBox):
    """A partner's choice to add their mood and trust, anonymously, to the workshop's chart."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.box = widgets.Checkbox(
            value=session.wb.consent(session.who),
            description=(
                "Add my mood and trust, without my name or words, to the workshop's group chart"
            ),
            indent=False,
            layout=layout(height="auto"),
        )
        self.status = Status()
        self.box.observe(self._changed, names="value")
        super().__init__(
            [
                card(
                    paragraph(
                        "Off unless you turn it on. Only numbers from shared check-ins are "
                        "used, only when both of you agree, and only once at least three couples "
                        "take part. Private entries and the safety check are never included."
                    ),
                    self.box,
                    self.status,
                    title="Workshop group chart",
                )
            ],
            layout=layout(),
        )

    def _changed(self, _change: object = None) -> None:
        def act() -> str:
            self.session.wb.set_consent(self.session.who, bool(self.box.value))
            return "Thank you, you are included." if self.box.value else "You are not included."

        guarded(self.status, act)


class StepPage(widgets.VBox):
    """A step's page: header, exercises, and 'mark this step done'.

    The daily check-in is on the start page and the trends page, where people look for it,
    not on every step (one partner logged eleven on a first day, once per page).
    """

    def __init__(self, session: Session, step: int) -> None:
        self.session, self.step = session, step
        self.exercises = step_exercises(session, step)
        self.done = StepDoneForm(session, step)
        items: list[widgets.Widget] = [header(session, step), *self.exercises]
        items += [
            self.done,
            WorksheetLinks(session, step),
            nav_links(session, step),
            footer(session),
        ]
        super().__init__(items, layout=layout())
        self.add_class("ht-page")


# -- outside Voila: JupyterLab or a plain notebook ---------------------------------------------

#: The workbook the notebooks' `parameters` cells name; made up, so it may be written freely.
DEMO_NAME = "demo"
#: The page stylesheet Voila serves (the "healing" template).
STYLESHEET = (
    Path(__file__).resolve().parents[1] / "templates/voila/templates/healing/static/healing.css"
)


def demo_when_missing(wb_name: str | None) -> None:
    """Outside Voila, write the made-up demo couple when a notebook asks for it and it is
    missing, so that a notebook opened in JupyterLab and run as it is shows a working page.

    Only for the demo's name, and never for a served page (a visitor's request must not write
    anything that was not asked for).
    """
    if wb_name != DEMO_NAME or served_by_voila() or DEMO_NAME in list_names():
        return
    from ..demo import write_demo

    write_demo(DEMO_NAME).close()


def _in_notebook_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - ipykernel depends on IPython
        return False
    return getattr(get_ipython(), "kernel", None) is not None


@functools.cache
def notebook_css() -> str:
    """The page stylesheet for a notebook front end, scoped to the page (class ht-lab).

    Voila's pages have ``body[data-voila]``; in JupyterLab the same rules apply under the
    page's own box, so they style the workbook and nothing else of JupyterLab.
    """
    css = STYLESHEET.read_text(encoding="utf-8").replace("body[data-voila]", ".ht-lab")
    return css + ("\n.ht-lab { padding: 1rem; border-radius: var(--ht-radius); }\n")


def styled(page: widgets.Widget) -> widgets.Widget:
    """The page, carrying its stylesheet when shown by a notebook front end, not by Voila."""
    if served_by_voila() or not _in_notebook_kernel() or not isinstance(page, widgets.Box):
        return page
    # Only the project's own stylesheet goes into this <style>; no user text.
    style = widgets.HTML(f"<style>{notebook_css()}</style>", layout=widgets.Layout(height="0"))
    page.children = (style, *page.children)
    page.add_class("ht-lab")
    return page


def page_for(
    builder: Callable[[Session], widgets.Widget], wb_name: str | None, who: str | None
) -> widgets.Widget:
    """The page `builder` makes for the workbook and partner in the URL, or a way back."""
    demo_when_missing(wb_name)
    found = resolve_session(wb_name, who)
    if isinstance(found, str):
        box = widgets.VBox([way_back(found), footer(None)], layout=layout())
        box.add_class("ht-page")
        return styled(box)
    return styled(builder(found))


def step_page(step: int, wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The page of step `step` for the workbook and partner in the URL (or the parameters)."""
    return page_for(lambda s: StepPage(s, step), wb_name, who)


# -- the start page --------------------------------------------------------------------------


class StepMap(widgets.VBox):
    """All steps with each partner's progress, linking to each page."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.html = html_text()
        super().__init__([card(self.html, title="Your steps")], layout=layout())
        session.live.subscribe(self.refresh)  # the partner's progress shows as it happens
        self.refresh()

    def refresh(self) -> None:
        """Re-read progress and rebuild the map."""
        wb, who = self.session.wb, self.session.who
        names = wb.names()
        mine, theirs = wb.steps_done(who), wb.steps_done(self.session.other)
        rows = []
        for step in range(1, max(STEPS) + 1):
            marks = []
            if step in mine:
                marks.append(f"<span class='ht-done'>✓ {esc(names[who])}</span>")
            if step in theirs:
                marks.append(f"<span class='ht-done'>✓ {esc(names[self.session.other])}</span>")
            rows.append(
                f"<li class='ht-step{' ht-step-done' if step in mine else ''}'>"
                f"<a href='{esc(self.session.url(step))}'>{esc(step_title(step))}</a> "
                f"{' '.join(marks)}</li>"
            )
        total = len(mine)
        self.html.value = (
            f"<p class='ht-summary'>{esc(names[who])}: {total} of {max(STEPS)} steps done.</p>"
            f"<progress max='{max(STEPS)}' value='{total}' aria-label='Steps done'></progress>"
            f"<ol class='ht-steps'>{''.join(rows)}</ol>"
            f"<p><a class='ht-link-button' href='{esc(self.session.url('trends'))}'>"
            "See your trends</a></p>"
        )


class SafetyQuestion(widgets.VBox):
    """The first question on the start page. The answer is never stored."""

    def __init__(self, session: Session | None = None) -> None:
        self.session = session
        self.answer = widgets.RadioButtons(
            options=["Yes", "Not always, or I am not sure"],
            value=None,
            description="Do you feel safe with your partner?",
            layout=layout(),
            style={"description_width": "initial"},
        )
        self.answer.add_class("ht-stacked")
        self.reply = html_text()
        self.answer.observe(self._answered, names="value")
        super().__init__(
            [
                card(
                    paragraph("Only you see this answer; it is not saved anywhere."),
                    self.answer,
                    self.reply,
                    title="First, your safety",
                )
            ],
            layout=layout(),
        )

    def _answered(self, _change: object = None) -> None:
        url = self.session.url(8) if self.session else page_url(8)
        if self.answer.value == "Yes":
            self.reply.value = (
                "<p class='ht-msg ht-ok'>Good. If that ever changes, the last step, "
                f"<a href='{esc(url)}'>when to walk away</a>, is there for you.</p>"
            )
        elif self.answer.value:
            self.reply.value = (
                "<div class='ht-msg ht-error' role='alert'><p>Your safety comes first. "
                f"{esc(NOT_ADVISED)}</p><p>{resources_line_html()} "
                f"<a href='{esc(url)}'>Read more, privately</a>.</p></div>"
            )
        else:
            self.reply.value = ""


class StartPage(widgets.VBox):
    """Create or open a workbook, choose who is writing, then see the map of steps."""

    def __init__(
        self, wb_name: str | None = None, who: str | None = None, code: str | None = None
    ) -> None:
        self.status = Status()
        self.body = widgets.VBox(layout=layout())
        self.session: Session | None = None
        self.book: Workbook | None = None
        self.code: str | None = None
        super().__init__([self.body, self.status], layout=layout())
        self.add_class("ht-page")
        if code or wb_name:
            name, problem = workbook_for(wb_name, code)
            if problem:
                self.status.show(problem, "error")
            elif name:
                try:
                    self.book = open_workbook(name)
                except (ValidationError, WorkbookError) as err:
                    self.status.show(str(err), "error")
                else:
                    self.code = code
                    if who in ("a", "b"):
                        self.choose(who)
                    else:
                        self.show_who()
                    return
        if workshop_mode():
            self.show_join()
        else:
            self.show_open_or_create()

    # workshop: join with the couple's code
    def show_join(self) -> None:
        """In a workshop: the couple types the code the facilitator gave them."""
        self.join_code = text_input("Your couple's code", "for example KT7Q-4MXP-9RWA")
        self.join_button = button("Join")
        self.join_button.on_click(lambda _: guarded(self.status, self._join))
        # The notebook's own first cell is the page's "Healing Together" heading.
        self.body.children = [
            paragraph(
                "Welcome to the workshop. Type the code you were given; it opens your own "
                "workbook and no one else's."
            ),
            card(self.join_code, self.join_button, title="Join your workbook"),
        ]

    def _join(self) -> str:
        from ..workshop import normalize_code, resolve_code

        name = resolve_code(None, self.join_code.value)
        self.code = normalize_code(self.join_code.value)
        self.book = open_workbook(name)
        self.show_who()
        return ""

    # first screen: open or create
    def show_open_or_create(self) -> None:
        """The first screen: open an existing workbook or create one."""
        names = [] if os.environ.get("WORKBOOK_HIDE_LIST") or workshop_mode() else list_names()
        self.existing = widgets.Dropdown(
            options=names,
            value=names[0] if names else None,
            description="Workbook",
            layout=layout(),
        )
        self.open_button = button("Open")
        self.open_button.on_click(lambda _: guarded(self.status, self._open))
        self.new_a = text_input("Partner one's name", "Sam")
        self.new_b = text_input("Partner two's name", "Alex")
        self.new_name = text_input("Workbook name (optional)", "sam-and-alex")
        self.create_button = button("Create our workbook")
        self.create_button.on_click(lambda _: guarded(self.status, self._create))
        # The notebook's own first cell is the page's "Healing Together" heading.
        parts: list[widgets.Widget] = [
            paragraph(
                "A quiet place for the two of you to work through what hurt, one step at a "
                "time. What you write stays in your own workbook file."
            ),
        ]
        if names:
            parts.append(card(self.existing, self.open_button, title="Open your workbook"))
        parts.append(
            card(
                self.new_a,
                self.new_b,
                self.new_name,
                self.create_button,
                title="Start a new workbook" if names else "Start your workbook",
            )
        )
        self.body.children = parts

    def _open(self) -> str:
        if not self.existing.value:
            raise ValidationError("Choose a workbook to open.")
        self.book = open_workbook(self.existing.value)
        self.show_who()
        return ""

    def _create(self) -> str:
        a, b = self.new_a.value.strip(), self.new_b.value.strip()
        if not a or not b:
            raise ValidationError("Write both partners' names.")
        name = self.new_name.value.strip() or slugify(f"{a} and {b}")
        self.book = create(name, a, b)
        self.show_who()
        return f"Created the workbook “{name}”."

    # second screen: who is writing
    def show_who(self) -> None:
        """Ask who is writing, with one button per partner."""
        assert self.book is not None
        buttons = []
        for p in self.book.partners:
            b = button(f"I am {p.name}")
            b.on_click(lambda _, pid=p.id: guarded(self.status, lambda: self.choose(pid)))
            buttons.append(b)
        self.body.children = [
            heading(f"Welcome to {self.book.name}", 1),
            card(
                paragraph("On a shared device, pick your name each time."),
                widgets.HBox(buttons, layout=layout(flex_flow="row wrap")),
                title="Who is writing?",
            ),
        ]

    def choose(self, who: str) -> str:
        """Continue as one partner: safety question, steps map, check-in."""
        assert self.book is not None
        if who not in ("a", "b"):
            raise ValidationError("Choose one of the two partners.")
        if self.session is None or self.session.who != who:
            self.session = Session(wb=self.book, who=who, code=self.code)  # type: ignore[arg-type]
        s = self.session
        self.map = StepMap(s)
        keep = html_text(
            f"<p class='ht-small'>Bookmark <a href='{esc(s.url(0))}'>this link</a> to come back "
            f"as {esc(s.name)} without choosing again.</p>"
        )
        from .sitting import header_lock

        self.names = NameForm(s, on_renamed=lambda: self.choose(s.who))
        first_visit = s.name in PLACEHOLDER_NAMES
        self.body.children = [
            heading(f"Hello, {s.name}", 1),
            keep,
            header_lock(s.privacy),
            s.privacy.bridge,
            *([self.names] if first_visit else []),
            SafetyQuestion(s),
            *([ConsentForm(s)] if workshop_mode() else []),
            self.map,
            CheckInForm(s),
            SatisfactionCheck(s),
            *([] if first_visit else [self.names]),
            footer(s),
        ]
        # The address now names the partner too, so reloading keeps this choice.
        s.privacy.set_address({"code": s.code} if s.code else {"wb": s.wb.name}, who=s.who)
        self.status.clear()
        return ""


class NameForm(widgets.VBox):
    """A partner's own display name: asked for first in a workshop, changeable any time."""

    def __init__(self, session: Session, *, on_renamed: Callable[[], object]) -> None:
        self.session = session
        self._on_renamed = on_renamed
        placeholder = session.name in PLACEHOLDER_NAMES
        self.name = text_input("Your name in this workbook", "" if placeholder else session.name)
        self.name.value = "" if placeholder else session.name
        self.save = button("Save my name" if placeholder else "Change my name", style="")
        self.status = Status()
        self.save.on_click(lambda _: guarded(self.status, self._save))
        lead = (
            "What should this workbook call you? Your partner sees this name; choose any you "
            "like, a first name or a nickname."
            if placeholder
            else "Your partner sees this name on every page. You can change your own, not theirs."
        )
        title = "What should we call you?" if placeholder else "Your name"
        super().__init__(
            [card(paragraph(lead), self.name, self.save, self.status, title=title)],
            layout=layout(),
        )

    def _save(self) -> str:
        new = self.session.wb.rename_partner(self.session.who, self.name.value)
        self._on_renamed()
        return f"Thank you, {new.name}."


def start_page(wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The start page, continuing a session when the URL names the workbook and partner."""
    demo_when_missing(wb_name)
    return styled(StartPage(*page_inputs(wb_name, who)))
