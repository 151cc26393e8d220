"""The page chrome's words in each language: the browser tab's title and the loading line.

Voila renders a page's head (and its "Running ..." line) before it knows the request, and
with preheated kernels even before the request exists, so the template cannot pick the
language. The server puts every language's words on the page instead (as it does for the
quick exit, `workbook.resources.quick_exit_words`), and the page's script
(``static/healing.js``) shows those of the address's ``lang=``; English is the text as it is.
"""

from __future__ import annotations

from . import settings
from .i18n import N_, SOURCE, languages, translator
from .resources import quick_exit_words
from .serving import CELL_ERROR_MESSAGE
from .steps import HEALING_STEPS

#: The app's name: the same in every language (it is also step 8's whole title, no trace).
APP = "Healing Together"

#: The pages' own names in their titles (notebook metadata ``title``: "<name> · Healing Together").
PAGE_NAMES = (
    N_("Trends"),
    N_("Keep and move"),
    N_("For your counsellor"),
)
#: The facilitator's page: "Workshop" in the English title, its own wording in the catalogue.
WORKSHOP = N_("Workshop")

LOADING = N_("Opening %(page)s…")
#: Shown when the page's kernel is gone (stopped after a long quiet spell, or the server was
#: restarted): the page can no longer save, and says so instead of waiting for ever.
CLOSED = N_(
    "This page can no longer save: it was closed after a long quiet spell, or the app was "
    "started again. Everything the page said was saved is kept; a press it did not answer "
    "was not saved."
)
CLOSED_UNSAVED = N_(
    "Words you have not saved yet are still in their boxes below: copy them before you open "
    "the page again."
)
CLOSED_BUTTON = N_("Open the page again")
PROGRESS = N_("Getting the page ready: %(done)s of %(total)s")


def english_titles() -> dict[str, str]:
    """Each page's title as its notebook gives it, by a short key (step number or name)."""
    titles = {
        str(n): f"Step {n} · {step.title} · {APP}"
        for n, step in HEALING_STEPS.items()
        if step.stores  # step 8's title is only the app's name: nothing on the tab tells
    }
    titles |= {name: f"{name} · {APP}" for name in (*PAGE_NAMES, WORKSHOP)}
    return titles


def titles_in(lang: str) -> dict[str, str]:
    """English title -> the title in `lang`, for every page whose title says more than the
    app's name."""
    _ = translator(lang).gettext
    out = {}
    for key, english in english_titles().items():
        if key.isdigit():
            step = HEALING_STEPS[int(key)]
            page = _("Step %(number)d · %(title)s") % {
                "number": step.number,
                "title": _(step.title),
            }
        else:
            page = _(key)
        out[english] = _("%(page)s · Healing Together") % {"page": page}
    return out


def page_words() -> dict[str, dict[str, object]]:
    """Every language's (but English's) tab titles, loading lines and the words for a part of
    the page that failed (added above Voila's English, which stays), for the page template."""
    return {
        lang: {
            "titles": titles_in(lang),
            "loading": translator(lang).gettext(LOADING),
            "progress": translator(lang).gettext(PROGRESS),
            # Only the translation: the page must never carry the English error text itself,
            # which the error checks look for (the script finds Voila's output by its prefix).
            "cell_error": {"text": translator(lang).gettext(CELL_ERROR_MESSAGE)},
        }
        for lang in languages()
        if lang != SOURCE
    }


def closed_words() -> dict[str, dict[str, str]]:
    """Every language's words (English too) for a page whose kernel is gone, for the page
    template (``static/healing.js`` shows those of the address's ``lang=``)."""
    out = {}
    for lang in languages():
        _ = translator(lang).gettext
        out[lang] = {"text": _(CLOSED), "unsaved": _(CLOSED_UNSAVED), "button": _(CLOSED_BUTTON)}
    return out


def template_resources() -> dict[str, object]:
    """What the page template reads from its resources: the quick exit's address, and every
    language's words (the page's script picks those of the address's ``lang=``)."""
    return {
        "ht_exit_url": settings.exit_url(),
        "ht_exit_words": quick_exit_words(),
        "ht_page_words": page_words(),  # tab title and loading line
        "ht_closed_words": closed_words(),  # a page whose kernel is gone (English too)
    }
