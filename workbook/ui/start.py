"""The start page: create, open or join a workbook, choose who is writing, then the map of
steps, a first safety question, the daily check-in and the weekly satisfaction check.

A notebook calls `start_page()` and shows what it returns. The workbook and the partner come
from the URL query or, outside Voila, from the notebook's `parameters` cell.
"""

from __future__ import annotations

from datetime import datetime

import ipywidgets as widgets

from .. import settings
from ..domain import RECORDED_STEPS, STEPS, UNRECORDED_STEPS, ValidationError
from ..markup import html, join
from ..paths import list_names, slugify
from ..resources import NOT_ADVISED, resources_line_html
from ..store import Workbook, WorkbookError, create, open_workbook
from ..workshop import PLACEHOLDER_NAMES
from .base import (
    Session,
    Status,
    button,
    card,
    guarded,
    heading,
    html_text,
    layout,
    page_inputs,
    page_url,
    paragraph,
    read_query,
    step_title,
    text_input,
    workbook_for,
    workshop_mode,
)
from .checkin import CheckInForm
from .daily import DailyQuestionCard, WhatsNew, note_visit
from .events import Group
from .intro import with_intro
from .language import LanguageChooser, start_lang
from .names import NameForm
from .pages import demo_when_missing, footer, styled
from .satisfaction import SatisfactionCheck
from .sitting import header_lock


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


class StepMap(widgets.VBox):
    """All steps with each partner's progress, linking to each page."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.html = html_text()
        super().__init__([card(self.html, title="Your steps")], layout=layout())
        session.subscribe(self.refresh, "progress")
        session.live.start()  # the partner's progress shows as it happens
        self.refresh()

    def refresh(self) -> None:
        """Re-read progress and rebuild the map."""
        wb, who = self.session.wb, self.session.who
        names = wb.names()
        mine, theirs = wb.steps_done(who), wb.steps_done(self.session.other)
        rows = []
        for step in range(1, max(STEPS) + 1):
            marks = []
            if step in UNRECORDED_STEPS:
                # The same whatever anyone did there: nothing on step 8 is ever recorded.
                marks.append(html("<span class='ht-quiet'>(nothing here is saved)</span>"))
            if step in mine:
                marks.append(html("<span class='ht-done'>✓ {}</span>", names[who]))
            if step in theirs:
                marks.append(html("<span class='ht-done'>✓ {}</span>", names[self.session.other]))
            rows.append(
                html(
                    "<li class='ht-step{}'><a href='{}'>{}</a> {}</li>",
                    " ht-step-done" if step in mine else "",
                    self.session.url(step),
                    step_title(step),
                    join(marks, " "),
                )
            )
        total, out_of = len(mine), len(RECORDED_STEPS)
        self.html.value = str(
            html(
                "<p class='ht-summary'>{0}: {1} of {2} steps done.</p>"
                "<progress max='{2}' value='{1}' aria-label='Steps done'></progress>"
                "<ol class='ht-steps'>{3}</ol>"
                "<p><a class='ht-link-button' href='{4}'>See your trends</a></p>"
                "<p class='ht-p'><a href='{5}'>Reminders, a backup, or your Daylio diary: "
                "keep and move</a></p>"
                "<p class='ht-p'><a href='{6}'>A report for your counsellor, if you both "
                "agree</a></p>",
                names[who],
                total,
                out_of,
                join(rows),
                self.session.url("trends"),
                self.session.url("keep"),
                self.session.url("counsellor"),
            )
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
            self.reply.value = str(
                html(
                    "<p class='ht-msg ht-ok'>Good. If that ever changes, the last step, "
                    "<a href='{}'>when to walk away</a>, is there for you.</p>",
                    url,
                )
            )
        elif self.answer.value:
            self.reply.value = str(
                html(
                    "<div class='ht-msg ht-error' role='alert'><p>Your safety comes first. "
                    "{}</p><p>{} <a href='{}'>Read more, privately</a>.</p></div>",
                    NOT_ADVISED,
                    resources_line_html(),
                    url,
                )
            )
        else:
            self.reply.value = ""


def version_line() -> widgets.HTML:
    """The start page's last line: the app's name and version (workbook.__version__)."""
    from .. import __version__

    return html_text(html("<p class='ht-small ht-version'>Healing Together {}</p>", __version__))


class StartPage(widgets.VBox):
    """Create or open a workbook, choose who is writing, then see the map of steps."""

    def __init__(
        self, wb_name: str | None = None, who: str | None = None, code: str | None = None
    ) -> None:
        self.status = Status()
        self.body = widgets.VBox(layout=layout())
        self.session: Session | None = None
        #: The subscriptions of the views `choose` built last: released when they are replaced.
        self.views: Group | None = None
        self.book: Workbook | None = None
        self.code: str | None = None
        #: Each partner's visit before this page opened, for "what is new" (read once).
        self.visits: dict[str, datetime | None] = {}
        self.asked_lang = read_query().get("lang")  # ?lang=es: a first visit's language
        super().__init__([self.body, self.status, version_line()], layout=layout())
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
        names = [] if settings.HIDE_LIST.is_on() or workshop_mode() else list_names()
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
        parts: list[widgets.Widget] = [
            paragraph(
                "A quiet place for the two of you to work through what hurt, one step at a time."
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
        if self.views is not None:
            # The views built before (step map, check-in, ...) are replaced: they stop listening.
            self.views.release()
        if self.session is None or self.session.who != who:
            if self.session is not None:
                self.session.close()
            lang = start_lang(self.book, who, self.asked_lang)
            self.session = Session(wb=self.book, who=who, code=self.code, lang=lang)  # type: ignore[arg-type]
            # On a shared device the one writing before is done: their sitting in this
            # browser ends here and in every other tab, so choosing them again asks for
            # their passphrase.
            self.session.privacy.end_other_writer()
        s = self.session
        with s.bus.collect() as self.views:
            self._build(s)
        # The address now names the partner too, so reloading keeps this choice.
        where = {"code": s.code} if s.code else {"wb": s.wb.name}
        s.privacy.set_address({**where, "lang": s.lang if s.lang != "en" else None}, who=s.who)
        self.status.clear()
        return ""

    def _build(self, s: Session) -> None:
        self.map = StepMap(s)
        keep = html_text(
            html(
                "<p class='ht-small'>Bookmark <a href='{}'>this link</a> to come back "
                "as {} without choosing again.</p>",
                s.url(0),
                s.name,
            )
        )
        self.names = NameForm(s, on_renamed=lambda: self.choose(s.who))
        first_visit = s.name in PLACEHOLDER_NAMES
        # A locked writer's news (and visit) wait for them: "I am Maya" on a shared laptop
        # neither shows Jordan her news nor uses it up before she comes back.
        if s.who not in self.visits and s.wb.may_view_as(s.who):
            self.visits[s.who] = note_visit(s)
        self.body.children = [
            heading(f"Hello, {s.name}", 1),
            LanguageChooser(s, on_chosen=lambda: self.choose(s.who)),
            keep,
            header_lock(s.privacy),
            s.privacy.hidden,
            *([self.names] if first_visit else []),
            SafetyQuestion(s),
            WhatsNew(s, self.visits.get(s.who)),
            DailyQuestionCard(s),
            *([ConsentForm(s)] if workshop_mode() else []),
            self.map,
            CheckInForm(s),
            SatisfactionCheck(s),
            *([] if first_visit else [self.names]),
            footer(s),
        ]


def start_page(wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The start page, continuing a session when the URL names the workbook and partner."""
    demo_when_missing(wb_name)
    return styled(with_intro(0, StartPage(*page_inputs(wb_name, who))))
