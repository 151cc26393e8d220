"""Page addresses: the notebook of each page, and links that carry the workbook and partner."""

from __future__ import annotations

import urllib.parse

from .. import settings
from ..i18n import SOURCE, known
from ..steps import HEALING_STEPS

#: Notebook file for each page, relative to the served folder (steps' from `workbook.steps`).
PAGES: dict[int | str, str] = {
    0: "00_start.ipynb",
    **{n: s.notebook for n, s in HEALING_STEPS.items()},
    "trends": "09_trends.ipynb",
    "facilitator": "10_facilitator.ipynb",
    "keep": "11_keep.ipynb",
    "counsellor": "12_counsellor.ipynb",
}


def workshop_mode() -> bool:
    """True when the server runs a workshop: couples join with a code, never by name."""
    return settings.WORKSHOP.is_on()


def page_url(
    page: int | str,
    wb_name: str | None = None,
    who: str | None = None,
    code: str | None = None,
    lang: str | None = None,
) -> str:
    """The relative address of a page, carrying the workbook (or join code), the partner and
    the language (``lang=es``; none for English, the default)."""
    url = f"./{PAGES[page]}" if page in PAGES else "./" + PAGES[0]
    target = ("code", code) if code else ("wb", wb_name)
    lang = known(lang)
    shown = lang if lang and lang != SOURCE else None
    query = {k: v for k, v in (target, ("who", who), ("lang", shown)) if v}
    return url + ("?" + urllib.parse.urlencode(query) if query else "")


# Every widget brings a layout and a style model of its own, and the browser builds each model
# before it shows the page. Widgets that ask for the same layout share one, and static text,
# status lines and buttons share their style: a step page then has about 40% fewer models to
# load. So a layout from `layout()` or a shared style must never be changed after creation;
# a widget that is to be hidden or resized later gets `own_layout()`.
