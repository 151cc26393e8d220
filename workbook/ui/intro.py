"""A page's title and opening paragraphs (`workbook.intros`), at the top, in the reader's language.

Each page builder (the start page, the steps, trends, keep, counsellor, the facilitator's)
passes what it built through `with_intro(key, page)`. The language is the page's session's
(the partner's own, or ``lang=`` in the address); a page without a session (the way back, the
facilitator's, a notebook without a workbook) reads ``lang=`` from the address, or is English.
The start page changes session and language as a partner chooses: its intro follows.
"""

from __future__ import annotations

import ipywidgets as widgets

from ..i18n import known
from ..intros import intro_html
from .blocks import LAB_STYLE, layout
from .session import read_query


def page_lang(page: widgets.Widget) -> str | None:
    """The language `page` speaks: its session's, the start page's first-visit choice, or the
    address's ``lang=`` (None: English)."""
    session = getattr(page, "session", None)
    if session is not None:
        return str(session.lang)
    asked = getattr(page, "asked_lang", None) or getattr(page, "lang", None)
    return known(asked if asked is not None else read_query().get("lang"))


class PageIntro(widgets.HTML):
    """The title and intro of one page; `show` says them again in another language."""

    def __init__(self, key: int | str, lang: str | None = None) -> None:
        super().__init__(layout=layout())
        self.key = key
        self.add_class("ht-intro-box")
        self.show(lang)

    def show(self, lang: str | None) -> None:
        """Say the intro in `lang`."""
        self.lang = lang
        self.value = str(intro_html(self.key, lang))


def with_intro(key: int | str, page: widgets.Widget) -> widgets.Widget:
    """`page` with the intro of page `key` at its top, in the page's language."""
    intro = PageIntro(key, page_lang(page))
    if not isinstance(page, widgets.Box):
        box = widgets.VBox([intro, page])
        box.add_class("ht-page")
        return box
    kids = list(page.children)
    # In a notebook front end the page's stylesheet comes first (`pages.styled`); then the intro.
    styled = bool(kids) and LAB_STYLE in kids[0]._dom_classes
    page.children = (*kids[:styled], intro, *kids[styled:])
    body = getattr(page, "body", None)
    if isinstance(body, widgets.Box):
        # The start page rebuilds its body when a partner is chosen or a language is picked.
        body.observe(lambda _change: intro.show(page_lang(page)), names="children")
    return page
