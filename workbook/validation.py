"""Checks of what a person typed: text, numbers, times and partners' names.

The messages are written for the person using the page. `workbook.domain` builds its records
with these checks (and re-exports `ValidationError` and the names' checks); nothing here
touches the disk, the network or a widget.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime

#: The longest text one entry may hold. Long enough for a letter, short enough that a
#: pasted book (or an attack) is refused with a message instead of bloating the file.
MAX_TEXT = 20_000
MAX_NAME = 40


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


def translated(message: str, params: dict[str, object], gettext: Callable[[str], str]) -> str:
    """`message` % `params` in `gettext`'s language; text values are looked up too (an
    untranslated value, such as a person's name, comes back as written)."""
    if not params:
        return gettext(message)
    values = {k: gettext(v) if isinstance(v, str) and v else v for k, v in params.items()}
    return gettext(message) % values


def now() -> datetime:
    """The current time, timezone-aware in UTC (all stored times are UTC)."""
    return datetime.now(UTC)


def _aware(value: datetime, what: str) -> datetime:
    if not isinstance(value, datetime):
        raise ValidationError(f"{what} must be a date and time, got {value!r}.")
    if value.tzinfo is None:
        # A naive time is taken as local wall-clock time, as a person would mean it.
        value = value.astimezone()
    return value.astimezone(UTC)


def _whole_number(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            raise ValidationError(
                f"{what} must be a whole number from {low} to {high}, got {value!r}."
            )
    if not low <= value <= high:
        raise ValidationError(f"{what} must be a whole number from {low} to {high}, got {value}.")
    return value


def _text(value: object, what: str, *, required: bool, limit: int = MAX_TEXT) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(f"{what} must be text, got {type(value).__name__}.")
    value = value.replace("\r\n", "\n").strip()
    if "\x00" in value:
        raise ValidationError(f"{what} contains a character that cannot be saved (NUL).")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(
            f"{what} contains a character that cannot be saved (half of an emoji or symbol, "
            "shown as \ufffd). Remove it and try again."
        ) from None
    if required and not value:
        raise ValidationError(f"{what} is empty. Write a few words first.")
    if len(value) > limit:
        raise ValidationError(
            f"{what} is too long: {len(value):,} characters, the limit is {limit:,}. "
            "Try splitting it into several entries."
        )
    return value


NAME_RE = re.compile(r"^[^\x00-\x1f<>]{1,40}$")

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
    name = unicodedata.normalize("NFC", _text(value, "A partner's name", required=True))
    hidden = next((ch for ch in name if _hidden(ch)), None)
    if hidden is not None:
        raise ValidationError(
            "A partner's name cannot contain invisible or text-direction characters "
            f"(it has U+{ord(hidden):04X}). Type the name again by hand."
        )
    if len(name) > MAX_NAME:
        raise ValidationError(
            f"A partner's name is too long: {len(name)} characters, the limit is {MAX_NAME}."
        )
    if not NAME_RE.match(name):
        raise ValidationError("A partner's name cannot contain '<', '>' or control characters.")
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
