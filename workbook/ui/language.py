"""Each partner's language: the small "Español / English" control on the start page.

The choice is kept with the partner in the workbook (`Workbook.set_partner_lang`) and in the
page's address (``lang=es``, like ``who``); a first visit with ``?lang=es`` keeps it too. The
interface speaks the session's language; what either partner wrote is shown as written.
"""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets
from babel import Locale

from ..i18n import SOURCE, known, languages
from ..store import Workbook
from .blocks import Status, button, guarded, layout
from .session import Session


def language_name(lang: str) -> str:
    """A language's name in itself ("Español", "English"), as a chooser shows it."""
    name = Locale.parse(lang).get_display_name(lang) or lang
    return name[:1].upper() + name[1:]


def start_lang(book: Workbook, who: str, asked: str | None) -> str:
    """The language for a partner opening the start page: the address's, else their own.

    On a first visit (no language kept yet) the address's choice is kept with the partner.
    """
    asked = known(asked)
    kept = book.partner_lang(who)
    if asked and kept is None:
        kept = book.set_partner_lang(who, asked)
    return asked or kept or SOURCE


class LanguageChooser(widgets.VBox):
    """One button per language the workbook speaks; the current one is pressed already."""

    def __init__(self, session: Session, on_chosen: Callable[[], object]) -> None:
        self.session, self.on_chosen = session, on_chosen
        self.status = Status(session.gettext)
        self.buttons: dict[str, widgets.Button] = {}
        for lang in languages():
            b = button(language_name(lang), style="")
            b.disabled = lang == session.lang
            b.on_click(lambda _, lang=lang: guarded(self.status, lambda: self.choose(lang)))
            self.buttons[lang] = b
        row = widgets.HBox(list(self.buttons.values()), layout=layout(flex_flow="row wrap"))
        row.add_class("ht-languages")
        super().__init__([row, self.status], layout=layout())
        self.add_class("ht-language")

    def choose(self, lang: str) -> str:
        """Speak `lang` to this partner from now on (kept with them), and rebuild the page."""
        self.session.choose_lang(lang)
        self.on_chosen()
        return ""
