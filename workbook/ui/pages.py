"""Step pages and what every page shares: header, footer, navigation, worksheets, styling.

A notebook calls `step_page(n)` here (the start page is `workbook.ui.start`) and shows it.
The workbook and the partner come from the URL query (read after Voila's `wait_for_request`,
so preheated kernels work) or, outside Voila, from the notebook's `parameters` cell.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import ipywidgets as widgets

from ..domain import STEPS
from ..markup import Markup, html, join
from ..paths import list_names
from ..resources import NOT_ADVISED, resources_line_html
from ..steps import healing_step
from .base import (
    Session,
    Status,
    button,
    download_link,
    guarded,
    html_text,
    layout,
    page_url,
    resolve_session,
    served_by_voila,
    way_back,
)
from .corrections import on_entries_changed
from .exercises import step_exercises
from .forms import StepDoneForm
from .intro import with_intro
from .safety import no_trace_card
from .sitting import header_lock


def nav_links(session: Session | None, step: int | str) -> widgets.HTML:
    """Links to all steps, the steps either side of `step`, the trends page, "Keep and move"
    and the page for the couple's counsellor."""
    links = []

    def link(target: int | str, text: str) -> Markup:
        url = session.url(target) if session else page_url(target)
        return html("<a class='ht-nav-link' href='{}'>{}</a>", url, text)

    links.append(link(0, "All steps"))
    if isinstance(step, int) and step > 1:
        links.append(link(step - 1, f"← Step {step - 1}"))
    if isinstance(step, int) and 0 < step < max(STEPS):
        links.append(link(step + 1, f"Step {step + 1} →"))
    if step != "trends":
        links.append(link("trends", "Trends"))
    if step != "keep":
        links.append(link("keep", "Keep and move"))
    if step != "counsellor":
        links.append(link("counsellor", "For your counsellor"))
    return html_text(html("<nav class='ht-nav' aria-label='Pages'>{}</nav>", join(links, " ")))


def header(session: Session, step: int | str) -> widgets.VBox:
    """The strip at the top of each page: who is writing, and the way around."""
    who = html_text(
        # <bdi>: a name from an older workbook with direction controls cannot turn the line.
        html(
            "<p class='ht-who'>Writing as <strong><bdi>{}</bdi></strong> · workbook "
            "<strong>{}</strong> · <a href='{}'>not you?</a></p>",
            session.name,
            session.wb.name,
            page_url(0, session.wb.name),
        )
    )
    box = widgets.VBox(
        [who, header_lock(session.privacy), nav_links(session, step), session.privacy.hidden],
        layout=layout(),
    )
    box.add_class("ht-header")
    return box


def footer(session: Session | None) -> widgets.HTML:
    """Safety line at the bottom of every page: the plain word on abuse and every resource."""
    eight = session.url(8) if session else page_url(8)
    return html_text(
        html(
            "<footer class='ht-footer'><p>{} See <a href='{}'>when to walk away</a>. {}</p>"
            "</footer>",
            session.gettext(NOT_ADVISED) if session else NOT_ADVISED,
            eight,
            resources_line_html(session.lang if session else None),
        )
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
        sheet = worksheet_html(step, lang=session.lang)  # in the partner's language
        blank = download_link(sheet, self.filename, "Blank worksheet")
        self.prepare = button("Worksheet with our shared answers", style="")
        self.status = Status()
        self.filled = html_text()
        self.prepare.on_click(lambda _: guarded(self.status, self._prepare))
        # A step that stores nothing (step 8) has no answers to print: its blank sheet only.
        shared = [self.prepare, self.status, self.filled] if healing_step(step).stores else []
        super().__init__(
            [
                html_text(
                    html(
                        "<p class='ht-p'>Print this step:</p>"
                        "<nav class='ht-nav' aria-label='Worksheets'>{}</nav>",
                        blank,
                    )
                ),
                *shared,
            ],
            layout=layout(),
        )
        self.add_class("ht-card")
        self.add_class("ht-print")
        on_entries_changed(session, self._forget)

    def _forget(self) -> None:
        # A worksheet made before an answer was corrected or deleted must not still offer it.
        self.filled.value = ""

    def _prepare(self) -> str:
        from ..worksheets import worksheet_html

        page = worksheet_html(self.step, self.session.wb, lang=self.session.lang)
        saved_at = datetime.now().strftime("%H:%M")
        link = download_link(
            page, "ours-" + self.filename, f"Download it (answers saved until {saved_at})"
        )
        self.filled.value = str(
            html("<nav class='ht-nav' aria-label='Worksheet with answers'>{}</nav>", link)
        )
        return ""


class Page(widgets.VBox):
    """A couple's page: its header, its parts, the links to the other pages, the footer.

    `first`, when given, stands above the header (step 8's ways to get help).
    """

    def __init__(
        self,
        session: Session,
        key: int | str,
        *parts: widgets.Widget,
        first: widgets.Widget | None = None,
    ) -> None:
        self.session = session  # the page's language, for its intro (`ui.intro`)
        top = [first] if first is not None else []
        items = [*top, header(session, key), *parts, nav_links(session, key), footer(session)]
        super().__init__(items, layout=layout())
        self.add_class("ht-page")


class StepPage(Page):
    """A step's page: header, exercises, and 'mark this step done'.

    The daily check-in is on the start page and the trends page, where people look for it,
    not on every step (one partner logged eleven on a first day, once per page).

    Step 8 (a step that stores nothing) is different: its ways to get help come first, above
    the header, and in place of "Finished this step?" it says that nothing there is saved.
    """

    def __init__(self, session: Session, step: int) -> None:
        self.session, self.step = session, step
        self.exercises = step_exercises(session, step)
        self.done: widgets.Widget
        first: widgets.Widget | None = None
        parts = self.exercises
        if healing_step(step).stores:
            self.done = StepDoneForm(session, step)
        else:
            self.done = no_trace_card(session.lang)
            first, *parts = self.exercises
        super().__init__(
            session, step, *parts, self.done, WorksheetLinks(session, step), first=first
        )


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
    # Only the project's own stylesheet (a package file, no user text) goes into this <style>;
    # CSS is not HTML text, so it is marked as markup rather than escaped.
    css = Markup(notebook_css())
    style = widgets.HTML(str(html("<style>{}</style>", css)), layout=widgets.Layout(height="0"))
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
    return with_intro(step, page_for(lambda s: StepPage(s, step), wb_name, who))
