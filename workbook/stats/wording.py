"""The summaries' words in the reader's language: numbers, dates and periods (`workbook.i18n`).

English output is exactly what the summaries always said ("5.0", "75%", "5 December 2026",
"the last four weeks"); another language gets its own form ("5,0", "75 %", "5 de diciembre
de 2026", "las últimas cuatro semanas") from its catalogue and Babel.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from ..i18n import N_, SOURCE, format_date, known, translator

#: Numbers of weeks said in words (larger ones in digits).
NUMBER_WORDS = {
    1: N_("one"),
    2: N_("two"),
    3: N_("three"),
    4: N_("four"),
    5: N_("five"),
    6: N_("six"),
    7: N_("seven"),
    8: N_("eight"),
    9: N_("nine"),
    10: N_("ten"),
    11: N_("eleven"),
    12: N_("twelve"),
}

#: How a day is written in a sentence ("5 December 2026"): a Babel pattern, itself in the
#: catalogue so each language writes its own ("5 de diciembre de 2026").
LONG_DATE = N_("d MMMM y")


def gettext_for(lang: str | None) -> Callable[[str], str]:
    """The catalogue's `gettext` for `lang` (English text as written for None)."""
    return translator(lang).gettext


def ngettext_for(lang: str | None) -> Callable[[str, str, int], str]:
    """The catalogue's `ngettext` for `lang`."""
    return translator(lang).ngettext


def _english(lang: str | None) -> bool:
    return (known(lang) or SOURCE) == SOURCE


def one_decimal(value: float, lang: str | None = None) -> str:
    """`value` with one decimal: ``4.5`` in English, ``4,5`` in Spanish."""
    text = f"{value:.1f}"
    if _english(lang):
        return text
    from babel.numbers import format_decimal

    return format_decimal(Decimal(text), format="#,##0.0", locale=known(lang))


def decimal(value: float, lang: str | None = None) -> str:
    """A number as the language writes it (``13.5`` / ``13,5``), as Python prints it in English."""
    if _english(lang):
        return str(value)
    from babel.numbers import format_decimal

    return format_decimal(Decimal(str(value)), locale=known(lang))


def percent(rate: float, lang: str | None = None) -> str:
    """A share as a whole percentage: ``75%`` / ``75 %``."""
    text = f"{rate:.0%}"
    if _english(lang):
        return text
    from babel.numbers import format_percent

    return format_percent(Decimal(text[:-1]) / 100, locale=known(lang))


def long_date(day: date, lang: str | None = None) -> str:
    """``5 December 2026`` / ``5 de diciembre de 2026``."""
    return format_date(day, lang, gettext_for(lang)(LONG_DATE))


def weeks_words(weeks: int, lang: str | None = None) -> str:
    """The period of the summaries: ``the last week``, ``the last four weeks``."""
    _ = gettext_for(lang)
    word = _(NUMBER_WORDS[weeks]) if weeks in NUMBER_WORDS else str(weeks)
    ngettext = ngettext_for(lang)
    return ngettext("the last week", "the last %(n)s weeks", weeks) % {"n": word}
