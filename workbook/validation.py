"""Checks of what a person typed: text, numbers, times and partners' names.

The messages are written for the person using the page. `workbook.domain` builds its records
with these checks (and re-exports `ValidationError` and the names' checks); nothing here
touches the disk, the network or a widget.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from .i18n import N_, format_date

#: The longest text one entry may hold. Long enough for a letter, short enough that a
#: pasted book (or an attack) is refused with a message instead of bloating the file.
MAX_TEXT = 20_000
MAX_NAME = 40
#: A number out of its range (a rating, a count of minutes).
WHOLE_NUMBER = N_("%(what)s must be a whole number from %(low)d to %(high)d, got %(got)s.")


class Message(Exception):
    """An error whose message is meant for a person, in their language.

    Raised with the English text as a catalogue entry and its values apart, e.g.
    ``ValidationError("%(what)s must be %(most)d characters or fewer.", what=N_("A note"),
    most=40)``: ``str(err)`` is the English sentence (logs, the CLI, the library), and
    `in_language` gives it in the reader's language (values that are catalogue entries too,
    such as ``what``, are translated as well).
    """

    def __init__(self, message: str = "", /, **params: object) -> None:
        self.message, self.params = message, params
        super().__init__(message % params if params else message)

    def in_language(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of `gettext` (a translator's ``gettext``)."""
        return translated(self.message, self.params, gettext)


class ValidationError(Message, ValueError):
    """Input a person gave that cannot be saved; the message is meant for them."""


@dataclass(frozen=True)
class Day:
    """A date in a message, written as the reader's language writes it: `pattern` is a CLDR
    date pattern and a catalogue entry (``N_("dd MMM y")``), so each language has its own."""

    day: date
    pattern: str

    def __str__(self) -> str:
        return format_date(self.day, None, self.pattern)

    def in_language(self, gettext: Callable[[str], str]) -> str:
        """The date in `gettext`'s language (the catalogue's own ``Language`` header)."""
        info = getattr(getattr(gettext, "__self__", None), "info", None)
        lang = info().get("language") if callable(info) else None
        return format_date(self.day, lang, gettext(self.pattern))


@dataclass(frozen=True)
class Reworded:
    """Another error's message in other English words (an export's message said of a backup):
    ``str`` is `english`; another language says `said` as its catalogue has it, without the
    sentence `dropped` (a catalogue entry, such as "Nothing was imported.")."""

    english: str
    said: BaseException
    dropped: str = ""

    def __str__(self) -> str:
        return self.english

    def in_language(self, gettext: Callable[[str], str]) -> str:
        """The message in `gettext`'s language (English: the other words)."""
        if not isinstance(self.said, Message) or gettext(self.said.message) == self.said.message:
            return self.english
        text = self.said.in_language(gettext)
        return text.replace(" " + gettext(self.dropped), "") if self.dropped else text


def translated(message: str, params: dict[str, object], gettext: Callable[[str], str]) -> str:
    """`message` % `params` in `gettext`'s language; text values are looked up too (an
    untranslated value, such as a person's name, comes back as written), and so are dates
    (`Day`) and the messages of other errors given as values."""
    if not params:
        return gettext(message)
    values = {k: _value(v, gettext) for k, v in params.items()}
    return gettext(message) % values


def _value(value: object, gettext: Callable[[str], str]) -> object:
    if isinstance(value, Day | Message | Reworded):
        return value.in_language(gettext)
    return gettext(value) if isinstance(value, str) and value else value


def now() -> datetime:
    """The current time, timezone-aware in UTC (all stored times are UTC)."""
    return datetime.now(UTC)


def _aware(value: datetime, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(
            N_("%(what)s must be a date and time, got %(got)s."), what=what, got=repr(value)
        )
    if value.tzinfo is None:
        # A naive time is taken as local wall-clock time, as a person would mean it.
        value = value.astimezone()
    return value.astimezone(UTC)


def _date(value: object, what: str) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(
            N_("%(what)s must be a date, got %(got)s."), what=what, got=repr(value)
        )
    return value


def _whole_number(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ValidationError(WHOLE_NUMBER, what=what, low=low, high=high, got=repr(value))
    if not low <= value <= high:
        raise ValidationError(WHOLE_NUMBER, what=what, low=low, high=high, got=str(value))
    return value


def _text(value: object, what: str, *, required: bool, limit: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(
            N_("%(what)s must be text, got %(kind)s."), what=what, kind=type(value).__name__
        )
    value = value.replace("\r\n", "\n").strip()
    if "\x00" in value:
        raise ValidationError(
            N_("%(what)s contains a character that cannot be saved (NUL)."), what=what
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            N_(
                "%(what)s contains a character that cannot be saved (half of an emoji or "
                "symbol, shown as \ufffd). Remove it and try again."
            ),
            what=what,
        ) from None
    if required and not value:
        raise ValidationError(N_("%(what)s is empty. Write a few words first."), what=what)
    if len(value) > limit:
        raise ValidationError(
            N_(
                "%(what)s is too long: %(count)s characters, the limit is %(limit)s. "
                "Try splitting it into several entries."
            ),
            what=what,
            count=f"{len(value):,}",
            limit=f"{limit:,}",
        )
    return value


NAME_RE = re.compile(r"^[^\x00-\x1f<>]{1,40}$")
#: What a partner's name is called in the messages about it.
PARTNER_NAME = N_("A partner's name")
#: A partner's name with a character a page could not show as written.
NAME_CHARACTERS = N_("A partner's name cannot contain '<', '>' or control characters.")

#: Unicode categories that draw nothing or change the text's direction: controls (Cc), format
#: characters such as zero-width spaces and U+202E (Cf), private use (Co), surrogates (Cs),
#: unassigned (Cn), line and paragraph separators (Zl, Zp).
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"})
#: Letters and marks that show as nothing although their category says otherwise.
_HIDDEN_CHARS = frozenset("\u115f\u1160\u3164\uffa0\u034f\u17b4\u17b5\u180e") | frozenset(
    chr(c)
    for c in [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]  # variation selectors
)
#: Cyrillic and Greek letters drawn like Latin ones (after casefold), for comparing names only.
_LOOK_ALIKES = str.maketrans(
    "аеорсухіјѕԁвнмткᴀαβεζηικμνορτυχ",
    "aeopcyxijsdbhmtkaabezhikmvoptux",
)


def _hidden(ch: str) -> bool:
    return unicodedata.category(ch) in _HIDDEN_CATEGORIES or ch in _HIDDEN_CHARS


def partner_name(value: object) -> str:
    """A partner's name as it is stored: NFC, trimmed, without invisible characters.

    Refused: controls, zero-width and other invisible characters, and text-direction controls
    (a name starting with U+202E reversed the page's header line), besides '<' and '>'.
    """
    name = unicodedata.normalize("NFC", _text(value, PARTNER_NAME, required=True))
    hidden = next((ch for ch in name if _hidden(ch)), None)
    if hidden is not None:
        raise ValidationError(
            N_(
                "A partner's name cannot contain invisible or text-direction characters "
                "(it has %(char)s). Type the name again by hand."
            ),
            char=f"U+{ord(hidden):04X}",
        )
    if len(name) > MAX_NAME:
        raise ValidationError(
            N_("A partner's name is too long: %(count)d characters, the limit is %(limit)d."),
            count=len(name),
            limit=MAX_NAME,
        )
    if not NAME_RE.match(name):
        raise ValidationError(NAME_CHARACTERS)
    return name


def name_key(name: str) -> str:
    """What two names are compared by: compatibility forms, case, spacing and look-alikes.

    'Sam', 'ＳＡＭ', 'sam ' and 'Ѕаm' (Cyrillic) all give 'sam'.
    """
    folded = unicodedata.normalize("NFKC", name).casefold()
    visible = "".join(ch for ch in folded if not _hidden(ch))
    return " ".join(visible.translate(_LOOK_ALIKES).split())


def same_name(a: str, b: str) -> bool:
    """True when two partner names would look the same on a page."""
    return name_key(a) == name_key(b)
