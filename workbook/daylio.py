"""Check-ins from a Daylio export: its CSV read, each mood name mapped to 1 to 10.

Daylio's "Export entries (CSV)" has the columns ``full_date, date, weekday, time, mood,
activities, note_title, note``; moods are names its users may rename, so each name found is
mapped to a mood of 1 to 10 before anything is written (the five standard moods have
defaults). Daylio records no trust: an imported check-in gets the trust value chosen in the
mapping step (by default 5, the middle of the scale, the same for every imported day), and
its notes come in private by default: a diary kept for oneself is not written to a partner.
The store skips a check-in it already has (same partner, same moment), so importing the same
file twice writes it once (`Workbook.add_new_checkins`).
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from .domain import CheckIn, ValidationError, Visibility
from .i18n import N_, translator

COLUMNS = ("full_date", "date", "weekday", "time", "mood", "activities", "note_title", "note")
#: Daylio's five standard moods, from best to worst, and the mood each becomes.
DEFAULT_MOODS: dict[str, int] = {"rad": 9, "good": 7, "meh": 5, "bad": 3, "awful": 1}
#: The trust of an imported check-in unless the mapping step says otherwise (see above).
IMPORTED_TRUST = 5
#: Far above years of daily entries, far below what would tire a laptop.
MAX_BYTES = 10 * 2**20


@dataclass(frozen=True)
class DaylioEntry:
    """One row of a Daylio export."""

    at: datetime
    mood: str
    note: str


def _when(row: Mapping[str, str], zone: zoneinfo.ZoneInfo) -> datetime:
    try:
        day = date.fromisoformat(row["full_date"].strip())
    except ValueError:
        raise _Unreadable(
            N_("the date %(text)r is not a date such as 2026-12-05"), text=row["full_date"][:20]
        ) from None
    text = row["time"].strip().upper().replace(".", "")
    for pattern in ("%H:%M", "%I:%M %p", "%I:%M%p"):
        try:
            clock = datetime.strptime(text, pattern).time()
            break
        except ValueError:
            continue
    else:
        raise _Unreadable(N_("the time %(text)r is not a time of day"), text=row["time"][:20])
    return datetime.combine(day, time(clock.hour, clock.minute), tzinfo=zone)


class _Unreadable(ValidationError):
    """Why one row cannot be read (said inside the message that names the row)."""


def _note(row: Mapping[str, str], lang: str | None = None) -> str:
    title, note = row.get("note_title", "").strip(), row.get("note", "").strip()
    # The title leads its note on the same line: "Argument: The same argument, again."
    if title and note:
        title = title if title[-1] in ".!?:;…" else title + ":"
    parts = [" ".join(p for p in (title, note) if p)]
    activities = [a.strip() for a in row.get("activities", "").split("|") if a.strip()]
    if activities:
        said = translator(lang).gettext(N_("Activities: %(list)s"))
        parts.append(said % {"list": ", ".join(activities)})
    return "\n\n".join(p for p in parts if p)


def read_daylio(data: str | bytes, tz: str = "UTC", lang: str | None = None) -> list[DaylioEntry]:
    """The entries of a Daylio CSV export, oldest first; times in the zone `tz`; the word
    before a note's activities in `lang` (the importing partner's; None: English).

    A file without Daylio's columns, or with a row that cannot be read, is refused with a
    ValidationError that names the row.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_BYTES:
            raise ValidationError(N_("That file is too large to be a Daylio export."))
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                N_("That is not a Daylio export (it is not UTF-8 text).")
            ) from None
    try:
        zone = zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            N_("%(zone)r is not a time zone this computer knows."), zone=tz[:60]
        ) from None
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in ("full_date", "time", "mood") if c not in header]
    if missing:
        raise ValidationError(
            N_(
                "That is not a Daylio export: its first line should name the columns "
                "%(columns)s (missing: %(missing)s). Nothing was imported."
            ),
            columns=", ".join(COLUMNS),
            missing=", ".join(missing),
        )
    reader.fieldnames = header
    entries = []
    for n, row in enumerate(reader, 2):
        try:
            clean = {k: (v or "") for k, v in row.items() if isinstance(k, str)}
            mood = clean["mood"].strip()
            if not mood:
                raise _Unreadable(N_("it has no mood"))
            entries.append(DaylioEntry(_when(clean, zone), mood, _note(clean, lang)))
        except _Unreadable as why:
            raise _LineError(n, why) from None
        except (ValueError, KeyError) as err:
            raise _LineError(n, _Unreadable(str(err))) from None
    if not entries:
        raise ValidationError(N_("That Daylio export holds no entries. Nothing was imported."))
    return sorted(entries, key=lambda e: e.at)


LINE_UNREADABLE = N_(
    "Line %(line)d of that Daylio export cannot be read (%(why)s). Nothing was imported."
)


class _LineError(ValidationError):
    """A row that cannot be read: the reason is translated with the sentence around it."""

    def __init__(self, line: int, why: _Unreadable) -> None:
        super().__init__(LINE_UNREADABLE, line=line, why=str(why))
        self.why = why

    def in_language(self, gettext: Callable[[str], str]) -> str:
        return gettext(LINE_UNREADABLE) % {
            "line": self.params["line"],
            "why": self.why.in_language(gettext),
        }


def mood_counts(entries: Sequence[DaylioEntry]) -> dict[str, int]:
    """Each mood name found and how many entries have it, most used first."""
    return dict(Counter(e.mood for e in entries).most_common())


def mood_order(counts: Mapping[str, int]) -> list[str]:
    """The mood names in Daylio's own order (rad, good, meh, bad, awful), then the others,
    most used first."""
    rank = {name: n for n, name in enumerate(DEFAULT_MOODS)}
    return sorted(counts, key=lambda m: (rank.get(m.casefold(), len(rank)), -counts[m]))


def entries_text(count: int, lang: str | None = None) -> str:
    """ "1 entry", "3 entries": how many entries have a mood, said as a count in `lang`."""
    said = translator(lang).ngettext("%(n)d entry", "%(n)d entries", count)
    return said % {"n": count}


def default_mapping(names: Sequence[str]) -> dict[str, int | None]:
    """The mood each name becomes by default: Daylio's standard five, None for the rest."""
    return {name: DEFAULT_MOODS.get(name.casefold()) for name in names}


def parse_mapping(text: str) -> dict[str, int]:
    """A mapping written as ``"rad=9,good=7,..."``; a ValidationError says what is wrong."""
    out: dict[str, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, value = part.rpartition("=")
        try:
            mood = int(value)
        except ValueError:
            mood = 0
        if not sep or not name.strip() or not 1 <= mood <= 10:
            raise ValidationError(
                N_(
                    "%(part)r is not a mood mapping; write name=value with a value "
                    "from 1 to 10, such as rad=9,good=7,meh=5."
                ),
                part=part[:40],
            )
        out[name.strip()] = mood
    return out


def to_checkins(
    entries: Sequence[DaylioEntry],
    mapping: Mapping[str, int | None],
    who: str,
    *,
    trust: int = IMPORTED_TRUST,
    visibility: Visibility = "private",
) -> list[CheckIn]:
    """The check-ins the entries become; every mood name must be mapped."""
    folded = {k.casefold(): v for k, v in mapping.items()}
    unmapped = sorted({e.mood for e in entries if folded.get(e.mood.casefold()) is None})
    if unmapped:
        raise ValidationError(
            N_("Give a mood from 1 to 10 for %(names)s. Nothing was imported."),
            names=", ".join(repr(m) for m in unmapped),
        )
    out = []
    for e in entries:
        mood = folded[e.mood.casefold()]
        assert mood is not None
        out.append(
            CheckIn(author=who, mood=mood, trust=trust, note=e.note, at=e.at, visibility=visibility)  # type: ignore[arg-type]
        )
    return out
