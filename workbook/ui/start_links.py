"""The way to the start page, for a page opened without what it needs (a workbook, a partner,
the facilitator's key)."""

from __future__ import annotations

from collections.abc import Callable

import ipywidgets as widgets

from ..markup import html
from .blocks import card, html_text
from .urls import page_url


def start_page_link(
    lead: str, gettext: Callable[[str], str] = str, lang: str | None = None
) -> widgets.HTML:
    """A paragraph (`lead`, in the reader's language) and a "Go to the start page" button,
    the start page in the reader's language (`gettext`, `lang`)."""
    return html_text(
        html(
            "<p class='ht-p'>{}</p><p><a class='ht-link-button' href='{}'>{}</a></p>",
            lead,
            page_url(0, lang=lang),
            gettext("Go to the start page"),
        )
    )


def way_back(
    reason: str, gettext: Callable[[str], str] = str, lang: str | None = None
) -> widgets.VBox:
    """What a page shows when opened without a workbook or partner: a clear way back.

    `reason` is already in the reader's language; `gettext` and `lang` are theirs (the
    address's ``lang=``), so the start page it links to speaks it too.
    """
    _ = gettext
    lead = _(
        "Start from the first page, open your workbook and choose who is writing; "
        "every step links from there."
    )
    box = card(
        start_page_link(f"{reason} {lead}", gettext, lang),
        title=_("Let's start from the beginning"),
    )
    box.add_class("ht-way-back")
    return box
