"""The server's own small pages, in the reader's language: ``/login`` (an address without its
key) and ``/logout``. Their words are catalogue entries; Jinja2 escapes every value.

The language comes from the address: the key page's ``next`` (the page that was asked for,
``...?lang=es``), or ``/logout?lang=es``; English otherwise.
"""

from __future__ import annotations

import urllib.parse

from jinja2 import Environment
from markupsafe import Markup

from .i18n import N_, SOURCE, known, translator
from .markup import esc
from .resources import QUICK_EXIT

_STYLE = """body{font:17px/1.6 system-ui,sans-serif;background:#f6f3ee;color:#222;margin:0;
padding:4.5rem 1.5rem 2rem}main{max-width:36rem;margin:0 auto}
.exit{position:fixed;top:.75rem;right:.75rem;padding:.7rem 1.1rem;border-radius:999px;
background:#3b3632;color:#fff;font-weight:700;text-decoration:none;min-height:44px;
box-sizing:border-box}label{display:block;margin:1rem 0 .3rem}
input{font:inherit;padding:.6rem;width:100%;box-sizing:border-box;min-height:44px}
button{font:inherit;margin-top:.8rem;padding:.6rem 1.4rem;min-height:44px;border-radius:.5rem;
border:0;background:#2f6b6b;color:#fff}.err{color:#8a2b2b}"""

_SIGNED_OUT_STYLE = """body{font:17px/1.6 system-ui,sans-serif;background:#f6f3ee;color:#222;
margin:0;padding:2rem 1.5rem}main{max-width:36rem;margin:0 auto}"""

SIGNED_OUT = {
    "title": N_("Signed out"),
    "heading": N_("You are signed out"),
    "text": N_(
        "This browser no longer opens the workbook. To come back, open the link you were given "
        "again (it holds the key to the server)."
    ),
}

KEY_NEEDED = {
    "exit": QUICK_EXIT,
    "heading": N_("This page needs its whole link"),
    "refused": N_(
        "That key did not open the workbook. Nothing else happened; check the link and try again."
    ),
    "key": N_("Key"),
    "open": N_("Open the workbook"),
}
#: The key page's explanation; ``%(token)s`` is the address's ``?token=``, shown as code.
MISSING_KEY = N_(
    "The address you opened is missing its key, the long part after %(token)s. Open the whole "
    "link you were given again (from the person who started the workbook, or from the "
    "facilitator), or paste the key here."
)

_ENV = Environment(autoescape=True)

_SIGNED_OUT_PAGE = _ENV.from_string(
    """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ w.title }}</title>
<style>{{ style }}</style></head>
<body><main><h1>{{ w.heading }}</h1>
<p>{{ w.text }}</p></main></body></html>
"""
)

_KEY_NEEDED_PAGE = _ENV.from_string(
    """<!doctype html>
<html lang="{{ lang }}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>Healing Together</title>
<style>{{ style }}</style></head>
<body><a class="exit" href="{{ exit_url }}" rel="noreferrer">{{ w.exit }}</a>
<main><h1>{{ w.heading }}</h1>
<p>{{ missing }}</p>
{% if refused %}<p class="err" role="alert">{{ w.refused }}</p>{% endif %}
<form method="post" action="?next={{ next | urlencode }}">{{ xsrf }}
<label for="key">{{ w.key }}</label>
<input id="key" name="password" type="password" autocomplete="off" autocapitalize="off"
 spellcheck="false" required>
<button type="submit">{{ w.open }}</button></form></main></body></html>
"""
)


def _words(table: dict[str, str], lang: str | None) -> dict[str, str]:
    _ = translator(lang).gettext
    return {key: _(text) for key, text in table.items()}


def lang_of(address: str | None) -> str | None:
    """The language an address asks for (``...?lang=es``), if the workbook speaks it."""
    query = urllib.parse.urlsplit(address or "").query
    return known(urllib.parse.parse_qs(query).get("lang", [None])[0])


def signed_out_page(lang: str | None = None) -> str:
    """The whole of ``/logout``'s answer, in `lang` (no user text in it)."""
    words = _words(SIGNED_OUT, lang)
    style = Markup(_SIGNED_OUT_STYLE)  # noqa: S704 - the project's own stylesheet
    return _SIGNED_OUT_PAGE.render(w=words, lang=known(lang) or SOURCE, style=style)


class KeyNeededPage:
    """The page for an address that lacks its key (``/login``), in the language of `next`."""

    def render(
        self, *, xsrf: str, next: str, refused: bool, exit_url: str, lang: str | None = None
    ) -> str:
        """The page; `lang` defaults to the one `next` asks for."""
        lang = known(lang) or lang_of(next)
        _ = translator(lang).gettext
        missing = esc(_(MISSING_KEY)) % {"token": Markup("<code>?token=</code>")}
        return _KEY_NEEDED_PAGE.render(
            w=_words(KEY_NEEDED, lang),
            missing=missing,
            lang=lang or SOURCE,
            style=Markup(_STYLE),  # noqa: S704 - the project's own stylesheet
            xsrf=xsrf,
            next=next,
            refused=refused,
            exit_url=exit_url,
        )


#: The key page (``KEY_NEEDED_PAGE.render(xsrf=..., next=..., refused=..., exit_url=...)``).
KEY_NEEDED_PAGE = KeyNeededPage()
