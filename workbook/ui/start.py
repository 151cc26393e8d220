"""The start page: create, open or join a workbook, choose who is writing, then the map of
steps, a first safety question, the daily check-in and the weekly satisfaction check.

A notebook calls `start_page()` and shows what it returns. The workbook and the partner come
from the URL query or, outside Voila, from the notebook's `parameters` cell.
"""

from __future__ import annotations

from datetime import datetime

import ipywidgets as widgets

from .. import settings
from ..domain import ValidationError
from ..i18n import N_, translator
from ..markup import esc, html
from ..paths import list_names, slugify
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
    paragraph,
    read_query,
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
from .start_cards import ConsentForm, SafetyQuestion, StepMap, version_line

__all__ = ["ConsentForm", "SafetyQuestion", "StartPage", "StepMap", "start_page", "version_line"]


class StartPage(widgets.VBox):
    """Create or open a workbook, choose who is writing, then see the map of steps."""

    def __init__(
        self,
        wb_name: str | None = None,
        who: str | None = None,
        code: str | None = None,
        lang: str | None = None,
    ) -> None:
        # ?lang=es: a first visit's language, spoken until a partner with their own is chosen.
        self.asked_lang = lang or read_query().get("lang")
        self._ = translator(self.asked_lang).gettext
        self.status = Status(self._)
        self.body = widgets.VBox(layout=layout())
        self.session: Session | None = None
        #: The subscriptions of the views `choose` built last: released when they are replaced.
        self.views: Group | None = None
        self.book: Workbook | None = None
        self.code: str | None = None
        #: Each partner's visit before this page opened, for "what is new" (read once).
        self.visits: dict[str, datetime | None] = {}
        super().__init__([self.body, self.status, version_line()], layout=layout())
        self.add_class("ht-page")
        if code or wb_name:
            name, problem = workbook_for(wb_name, code, self.asked_lang)
            if problem:
                self.status.show(getattr(problem, "shown", "") or problem, "error")
            elif name:
                try:
                    self.book = open_workbook(name)
                except (ValidationError, WorkbookError) as err:
                    self.status.show(err.in_language(self._), "error")
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
        _ = self._
        self.join_code = text_input(_("Your couple's code"), _("for example KT7Q-4MXP-9RWA"))
        self.join_button = button(_("Join"))
        self.join_button.on_click(lambda _: guarded(self.status, self._join))
        self.body.children = [
            paragraph(
                _(
                    "Welcome to the workshop. Type the code you were given; it opens your own "
                    "workbook and no one else's."
                )
            ),
            card(self.join_code, self.join_button, title=_("Join your workbook")),
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
        _ = self._
        names = [] if settings.HIDE_LIST.is_on() or workshop_mode() else list_names()
        self.existing = widgets.Dropdown(
            options=names,
            value=names[0] if names else None,
            description=_("Workbook"),
            layout=layout(),
        )
        self.open_button = button(_("Open"))
        self.open_button.on_click(lambda _: guarded(self.status, self._open))
        # The examples are names, shown as they are in every language.
        self.new_a = text_input(_("Partner one's name"), "Sam")
        self.new_b = text_input(_("Partner two's name"), "Alex")
        self.new_name = text_input(_("Workbook name (optional)"), _("sam-and-alex"))
        self.create_button = button(_("Create our workbook"))
        self.create_button.on_click(lambda _: guarded(self.status, self._create))
        parts: list[widgets.Widget] = [
            paragraph(
                _("A quiet place for the two of you to work through what hurt, one step at a time.")
            ),
        ]
        if names:
            parts.append(card(self.existing, self.open_button, title=_("Open your workbook")))
        parts.append(
            card(
                self.new_a,
                self.new_b,
                self.new_name,
                self.create_button,
                title=_("Start a new workbook") if names else _("Start your workbook"),
            )
        )
        self.body.children = parts

    def _open(self) -> str:
        if not self.existing.value:
            raise ValidationError(N_("Choose a workbook to open."))
        self.book = open_workbook(self.existing.value)
        self.show_who()
        return ""

    def _create(self) -> str:
        a, b = self.new_a.value.strip(), self.new_b.value.strip()
        if not a or not b:
            raise ValidationError(N_("Write both partners' names."))
        name = self.new_name.value.strip() or slugify(self._("%(a)s and %(b)s") % {"a": a, "b": b})
        self.book = create(name, a, b)
        self.show_who()
        return self._("Created the workbook “%(name)s”.") % {"name": name}

    # second screen: who is writing
    def show_who(self) -> None:
        """Ask who is writing, with one button per partner."""
        assert self.book is not None
        _ = self._
        buttons = []
        for p in self.book.partners:
            b = button(_("I am %(name)s") % {"name": p.name})
            b.on_click(lambda _, pid=p.id: guarded(self.status, lambda: self.choose(pid)))
            buttons.append(b)
        self.body.children = [
            heading(_("Welcome to %(name)s") % {"name": self.book.name}, 1),
            card(
                paragraph(_("On a shared device, pick your name each time.")),
                widgets.HBox(buttons, layout=layout(flex_flow="row wrap")),
                title=_("Who is writing?"),
            ),
        ]

    def choose(self, who: str) -> str:
        """Continue as one partner: safety question, steps map, check-in."""
        assert self.book is not None
        if who not in ("a", "b"):
            raise ValidationError(N_("Choose one of the two partners."))
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
        self.status.gettext = s.gettext  # from now on the page speaks this partner's language
        with s.bus.collect() as self.views:
            self._build(s)
        # The address now names the partner too, so reloading keeps this choice.
        where = {"code": s.code} if s.code else {"wb": s.wb.name}
        s.privacy.set_address({**where, "lang": s.lang if s.lang != "en" else None}, who=s.who)
        self.status.clear()
        return ""

    def _build(self, s: Session) -> None:
        self.map = StepMap(s)
        _ = s.gettext
        sentence = _("Bookmark %(this_link)s to come back as %(name)s without choosing again.")
        link = html("<a href='{}'>{}</a>", s.url(0), _("this link"))
        keep = html_text(
            html("<p class='ht-small'>{}</p>", esc(sentence) % {"this_link": link, "name": s.name})
        )
        self.names = NameForm(s, on_renamed=lambda: self.choose(s.who))
        first_visit = s.name in PLACEHOLDER_NAMES
        self.body.children = [
            heading(_("Hello, %(name)s") % {"name": s.name}, 1),
            LanguageChooser(s, on_chosen=lambda: self.choose(s.who)),
            keep,
            header_lock(s.privacy),
            s.privacy.hidden,
            *([self.names] if first_visit else []),
            SafetyQuestion(s),
            WhatsNew(s, lambda: self._visit(s)),
            DailyQuestionCard(s),
            *([ConsentForm(s)] if workshop_mode() else []),
            self.map,
            CheckInForm(s),
            SatisfactionCheck(s),
            *([] if first_visit else [self.names]),
            footer(s),
        ]

    def _visit(self, s: Session) -> datetime | None:
        """This visit's "since" for the writer, noted once they may see it. A locked writer's
        news (and visit) wait for them: "I am Maya" on a shared laptop neither shows Jordan
        her news nor uses it up; Maya's unlock on this page shows it."""
        if s.who not in self.visits and s.wb.may_view_as(s.who):
            self.visits[s.who] = note_visit(s)
        return self.visits.get(s.who)


def start_page(wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The start page, continuing a session when the URL names the workbook and partner."""
    demo_when_missing(wb_name)
    return styled(with_intro(0, StartPage(*page_inputs(wb_name, who))))
