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
from ..i18n import SOURCE, translator
from ..markup import Markup, esc, html, join
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
from .blocks import LAB_STYLE
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
    _ = session.gettext if session else str

    def link(target: int | str, text: str) -> Markup:
        url = session.url(target) if session else page_url(target)
        return html("<a class='ht-nav-link' href='{}'>{}</a>", url, text)

    links.append(link(0, _("All steps")))
    if isinstance(step, int) and step > 1:
        links.append(link(step - 1, _("← Step %(number)d") % {"number": step - 1}))
    if isinstance(step, int) and 0 < step < max(STEPS):
        links.append(link(step + 1, _("Step %(number)d →") % {"number": step + 1}))
    if step != "trends":
        links.append(link("trends", _("Trends")))
    if step != "keep":
        links.append(link("keep", _("Keep and move")))
    if step != "counsellor":
        links.append(link("counsellor", _("For your counsellor")))
    return html_text(
        html("<nav class='ht-nav' aria-label='{}'>{}</nav>", _("Pages"), join(links, " "))
    )


def header(session: Session, step: int | str) -> widgets.VBox:
    """The strip at the top of each page: who is writing, and the way around."""
    _ = session.gettext
    who = html_text(
        # <bdi>: a name from an older workbook with direction controls cannot turn the line.
        # One sentence per language; its values are escaped, the translation is text.
        html(
            "<p class='ht-who'>{}</p>",
            esc(_("Writing as %(name)s · workbook %(book)s · %(not_you)s"))
            % {
                "name": html("<strong><bdi>{}</bdi></strong>", session.name),
                "book": html("<strong>{}</strong>", session.wb.name),
                "not_you": html(
                    "<a href='{}'>{}</a>",
                    page_url(0, session.wb.name, lang=session.lang),
                    _("not you?"),
                ),
            },
        )
    )
    box = widgets.VBox(
        [who, header_lock(session.privacy), nav_links(session, step), session.privacy.hidden],
        layout=layout(),
    )
    box.add_class("ht-header")
    return box


def footer(session: Session | None, lang: str | None = None) -> widgets.HTML:
    """Safety line at the bottom of every page: the plain word on abuse and every resource.

    Without a session, `lang` is the reader's language (the address's ``lang=``).
    """
    lang = session.lang if session else lang
    _ = translator(lang).gettext
    eight = session.url(8) if session else page_url(8, lang=lang)
    return html_text(
        html(
            "<footer class='ht-footer'><p>{} {} {}</p></footer>",
            _(NOT_ADVISED),
            esc(_("See %(walk_away)s."))
            % {"walk_away": html("<a href='{}'>{}</a>", eight, _("when to walk away"))},
            resources_line_html(lang),
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
        _ = session.gettext
        self.filename = worksheet_filename(step)
        sheet = worksheet_html(step, lang=session.lang)  # in the partner's language
        blank = download_link(sheet, self.filename, _("Blank worksheet"))
        self.prepare = button(_("Worksheet with our shared answers"), style="")
        self.status = Status(session.gettext)
        self.filled = html_text()
        self.prepare.on_click(lambda _: guarded(self.status, self._prepare))
        # A step that stores nothing (step 8) has no answers to print: its blank sheet only.
        shared = [self.prepare, self.status, self.filled] if healing_step(step).stores else []
        super().__init__(
            [
                html_text(
                    html(
                        "<p class='ht-p'>{}</p><nav class='ht-nav' aria-label='{}'>{}</nav>",
                        _("Print this step:"),
                        _("Worksheets"),
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
        _ = self.session.gettext
        saved_at = datetime.now().strftime("%H:%M")
        text = _("Download it (answers saved until %(time)s)") % {"time": saved_at}
        link = download_link(page, "ours-" + self.filename, text)
        self.filled.value = str(
            html("<nav class='ht-nav' aria-label='{}'>{}</nav>", _("Worksheet with answers"), link)
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
        if session.lang != SOURCE:
            # The address names the reader's language (their kept choice may not be in it):
            # the page's chrome (quick exit, tab title) follows it and a reload keeps it.
            where = {"code": session.code} if session.code else {"wb": session.wb.name}
            session.privacy.set_address({**where, "lang": session.lang}, who=session.who)


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
    style.add_class(LAB_STYLE)
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
        lang = getattr(found, "lang", None)
        reason = getattr(found, "shown", "") or found
        back = way_back(reason, translator(lang).gettext, lang)
        box = widgets.VBox([back, footer(None, lang)], layout=layout())
        box.asked_lang = lang  # the address's language, for the page's intro (`ui.intro`)
        box.add_class("ht-page")
        return styled(box)
    return styled(builder(found))


def step_page(step: int, wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The page of step `step` for the workbook and partner in the URL (or the parameters)."""
    return with_intro(step, page_for(lambda s: StepPage(s, step), wb_name, who))
