"""One translation catalogue for everything a person reads (gettext, with Babel's tools).

The catalogue lives in the package: ``workbook/locale/<lang>/LC_MESSAGES/workbook.po``, one
file per language; English is the source language and needs none. ``make translations``
extracts the marked strings (``babel.cfg``), updates every ``.po`` and compiles the ``.mo``
files. A checkout or an install without a compiled ``.mo`` still works: the ``.po`` is compiled
in memory on first use (and a ``.mo`` older than its ``.po`` is ignored), so a translator's
edit shows at the next start with no build step. Adding a language is adding a ``.po``: the
languages are the folders found here, no code names them.

- ``N_("...")`` marks text defined at import (data such as the steps) for extraction; it is
  translated where it is shown, with the reader's ``translator(lang)``.
- ``translator(lang).gettext`` / ``.ngettext`` translate (plural forms from the ``.po``).
- ``install_jinja(env, lang)`` gives a Jinja2 environment built with ``jinja2.ext.i18n`` the
  language's ``_``/``gettext``/``ngettext`` for ``{% trans %}`` blocks.
- ``format_date`` / ``format_decimal`` give dates and numbers in the language's form (Babel).
"""

from __future__ import annotations

import functools
import gettext
import io
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

#: The folder of the catalogues, one ``<lang>/LC_MESSAGES/workbook.po`` each.
LOCALE_DIR = Path(__file__).with_name("locale")
#: The gettext domain: the catalogue's file name.
DOMAIN = "workbook"
#: The source language: the text in the code, with no catalogue.
SOURCE = "en"


def N_(message: str) -> str:
    """Mark `message` for the catalogue without translating it (data defined at import)."""
    return message


@functools.cache
def languages() -> tuple[str, ...]:
    """The languages the workbook speaks: English, then each catalogue found in the package."""
    found = sorted(
        d.name
        for d in LOCALE_DIR.iterdir()
        if d.is_dir() and any((d / "LC_MESSAGES").glob(f"{DOMAIN}.[pm]o"))
    )
    return (SOURCE, *[lang for lang in found if lang != SOURCE])


def known(lang: object) -> str | None:
    """`lang` (e.g. ``"es"``, ``"ES"``, ``"es-MX"``) as a language the workbook speaks, or None."""
    if not isinstance(lang, str):
        return None
    short = lang.strip().lower().replace("_", "-").split("-")[0]
    return short if short in languages() else None


def _compiled(lang: str) -> gettext.NullTranslations:
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    # No compiled catalogue (a fresh checkout), or one older than its .po: compile in memory.
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)  # fuzzy entries are left out: they show in English until reviewed
    buf.seek(0)
    return gettext.GNUTranslations(buf)


@functools.cache
def translator(lang: str | None) -> gettext.NullTranslations:
    """The translations for `lang`; English (the text as written) for None or an unknown one."""
    code = known(lang)
    if code is None or code == SOURCE:
        return gettext.NullTranslations()
    return _compiled(code)


def install_jinja(env: jinja2.Environment, lang: str | None) -> jinja2.Environment:
    """Give `env` (built with ``extensions=["jinja2.ext.i18n"]``) the translations of `lang`."""
    env.install_gettext_translations(translator(lang), newstyle=True)  # type: ignore[attr-defined]
    return env


def format_date(day: date, lang: str | None, form: str = "long") -> str:
    """`day` as the language writes it: ``5 December 2026`` / ``5 de diciembre de 2026``.

    `form` is Babel's ("short", "medium", "long", "full") or a pattern; a pattern that is a
    catalogue entry is the language's own (English "dd MMM y" is Spanish "d MMM y": no
    leading zero), so every caller writes a day the same way.
    """
    from babel.dates import format_date as babel_date

    if form not in ("short", "medium", "long", "full"):
        form = translator(lang).gettext(form)
    return babel_date(day, format=form, locale=known(lang) or SOURCE)


def format_decimal(number: float, lang: str | None) -> str:
    """`number` as the language writes it: ``1,234.5`` / ``1234,5`` (Babel's rules)."""
    from babel.numbers import format_decimal as babel_decimal

    return babel_decimal(number, locale=known(lang) or SOURCE)
