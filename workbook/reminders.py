"""Reminders without pressure: a calendar file (RFC 5545 iCalendar) for one partner.

Two repeating events, at a time the partner chooses in their own time zone: a daily check-in
and the weekly satisfaction check. Each links back to the start page by an address that holds
the workbook's name and who is writing (neither is a secret, see SECURITY.md), never a token,
a join code or a passphrase. Nothing counts days: a reminder invites, it does not keep score.

`discreet=True` leaves the app's name, the workbook's name and the link out of the file, for
a calendar that someone else may see. Built with the `icalendar` library.
"""

from __future__ import annotations

import hashlib
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from urllib.parse import urlencode, urlsplit

from .domain import PARTNER_IDS, ValidationError
from .i18n import N_, known, translator

#: The start page of a workbook served on this computer (`workbook serve`'s default address).
DEFAULT_BASE_URL = "http://127.0.0.1:8866/voila/render/"
START_NOTEBOOK = "00_start.ipynb"
DEFAULT_TIME = time(20, 0)
#: How long each event lasts in the calendar: a few quiet minutes.
CHECKIN_MINUTES = 5
CSI4_MINUTES = 10
_NAMESPACE = uuid.UUID("5b0f4e0c-7c52-4c61-9d53-2f7e33a0c1d2")


@dataclass(frozen=True)
class ReminderPlan:
    """What one partner's calendar file holds: checked when made."""

    who: str
    at: time = DEFAULT_TIME
    tz: str = "UTC"
    #: The first day of both events (the weekly check repeats on its weekday).
    start: date | None = None
    #: The day the weekly check is next due (None: the start day).
    weekly_from: date | None = None
    #: The start page's address, without any token (None: no link).
    url: str | None = None
    discreet: bool = False
    #: The partner's language for the events' titles and descriptions (None: English).
    lang: str | None = None

    def __post_init__(self) -> None:
        if self.who not in PARTNER_IDS:
            raise ValidationError(N_("Choose partner a or b for the reminders."))
        if self.tz not in time_zones():
            raise ValidationError(
                N_(
                    "%(zone)r is not a time zone this computer knows; "
                    "choose one such as Europe/Madrid or America/Chicago."
                ),
                zone=self.tz[:60],
            )
        if self.url is not None:
            check_link(self.url)


def parse_time(text: str) -> time:
    """A time of day written as HH:MM (24-hour), or a ValidationError that says so."""
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except (ValueError, TypeError):
        raise ValidationError(
            N_("%(text)r is not a time of day; write it as HH:MM, such as 08:30 or 20:00."),
            text=text[:20],
        ) from None


@cache
def time_zones() -> frozenset[str]:
    """The IANA time zone names this computer knows."""
    return frozenset(zoneinfo.available_timezones()) | {"UTC"}


#: The first zone offered when this computer's own is not a place (such as a server on UTC).
DEFAULT_PLACE = "Europe/London"
#: Old names of places that zone.tab does not list but a computer may still be set to.
_ALIASES = {"Asia/Calcutta": "Asia/Kolkata", "Asia/Saigon": "Asia/Ho_Chi_Minh"}


@cache
def place_zones() -> list[str]:
    """The zones a person chooses from: real places only, sorted, with this computer's zone
    (or `DEFAULT_PLACE`) first. The places are tzdata's zone.tab (one name per place, no
    Etc/GMT+5, Factory, localtime, US/* or other old aliases such as Asia/Calcutta)."""
    known = time_zones()
    tab = _zone_tab()
    places = sorted(
        {
            line.split("\t")[2]
            for line in tab.splitlines()
            if line and not line.startswith("#") and line.count("\t") >= 2
        }
        & known
    )
    here = local_zone()
    here = _ALIASES.get(here, here)
    first = here if here in places else DEFAULT_PLACE
    return [first] + [z for z in places if z != first]


def _zone_tab() -> str:
    """tzdata's zone.tab (the Python package icalendar brings, else this computer's)."""
    from importlib import resources
    from pathlib import Path

    try:
        return resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text("utf-8")
    except (ModuleNotFoundError, OSError):
        pass
    for folder in zoneinfo.TZPATH:
        try:
            return (Path(folder) / "zone.tab").read_text("utf-8")
        except OSError:
            continue
    return ""


def both_clocks(at: time, lang: str | None = None) -> str:
    """A time of day said both ways, so it matches any clock: "20:00 (8 pm)", "08:30 (8:30 am)"
    (in Spanish "20:00 (8:00 p. m.)", Babel's twelve-hour form)."""
    code = known(lang)
    if code is not None and code != "en":
        from babel.dates import format_time

        return f"{at:%H:%M} ({format_time(at, 'h:mm a', locale=code)})"
    hour = at.hour % 12 or 12
    twelve = f"{hour}:{at.minute:02d}" if at.minute else str(hour)
    return f"{at:%H:%M} ({twelve} {'am' if at.hour < 12 else 'pm'})"


def local_zone() -> str:
    """This computer's IANA time zone name when it can be told, else UTC."""
    import os
    from pathlib import Path

    name = os.environ.get("TZ", "").lstrip(":")
    if name in time_zones():
        return name
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        return "UTC"
    name = target.split("zoneinfo/", 1)[-1]
    return name if name in time_zones() else "UTC"


def check_link(url: str) -> None:
    """An address for a calendar event: http(s), and no token or join code in it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(N_("The link in a reminder must be an http:// or https:// address."))
    lowered = parts.query.lower()
    if parts.username or parts.password or "token=" in lowered or "code=" in lowered:
        raise ValidationError(
            N_(
                "A reminder's link never carries a token, a join code or a password: "
                "give the address without them."
            )
        )


def start_link(base: str, wb_name: str | None, who: str, lang: str | None = None) -> str:
    """The start page's address under `base` (the served folder), for this workbook and partner
    (and ``lang=es`` when the partner reads another language than English).

    `wb_name` None (a workshop, where names open nothing) links to the start page alone.
    """
    url = base.rstrip("/") + "/" + START_NOTEBOOK
    query = {"wb": wb_name, "who": who}
    if known(lang) not in (None, "en"):
        query["lang"] = str(known(lang))
    return url + ("?" + urlencode(query) if wb_name else "")


#: The calendar's words, in the partner's language where the file is made.
REMINDERS = N_("Reminders")
CHECKIN_PLAIN = N_("Check in")
CHECKIN_TITLE = N_("Healing Together: a moment to check in")
CHECKIN_TEXT = N_(
    "A moment for yourself: how is your mood, how is trust? "
    "Skip it whenever you like; nothing counts days."
)
WEEKLY_PLAIN = N_("Weekly check")
WEEKLY_TITLE = N_("Healing Together: the weekly satisfaction check")
WEEKLY_TEXT = N_(
    "Four short questions about how things are between you, once a week. "
    "Their total is charted for the two of you to see how things move over the "
    "weeks; it is not a test, and no one is compared with anyone."
)
OPEN_PAGE = N_("Open the page: %(url)s")


def reminders_ics(plan: ReminderPlan, wb_name: str) -> bytes:
    """The calendar file of `plan` as bytes (RFC 5545; UTF-8, CRLF lines)."""
    from icalendar import Alarm, Calendar, Event

    _ = translator(plan.lang).gettext
    zone = zoneinfo.ZoneInfo(plan.tz)
    start = plan.start or datetime.now(zone).date()
    weekly = plan.weekly_from if plan.weekly_from and plan.weekly_from > start else start
    # The same workbook and partner always give the same UIDs: importing a newer file
    # replaces the events instead of adding a second set.
    seed = hashlib.sha256(f"{wb_name}\0{plan.who}".encode()).hexdigest()
    cal = Calendar()
    app = "reminders" if plan.discreet else "healing-together"
    cal.add("prodid", f"-//{app}//Reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", _(REMINDERS) if plan.discreet else "Healing Together")
    events = (
        (
            "checkin",
            _(CHECKIN_PLAIN if plan.discreet else CHECKIN_TITLE),
            _(CHECKIN_TEXT),
            start,
            {"freq": "daily"},
            CHECKIN_MINUTES,
        ),
        (
            "weekly",
            _(WEEKLY_PLAIN if plan.discreet else WEEKLY_TITLE),
            _(WEEKLY_TEXT),
            weekly,
            {"freq": "weekly"},
            CSI4_MINUTES,
        ),
    )
    stamp = datetime.now(zoneinfo.ZoneInfo("UTC")).replace(microsecond=0)
    for key, summary, text, day, rule, minutes in events:
        event = Event()
        event.add("uid", f"{uuid.uuid5(_NAMESPACE, seed + key)}@{app}")
        event.add("dtstamp", stamp)
        event.add("summary", summary)
        begin = datetime.combine(day, plan.at, tzinfo=zone)
        event.add("dtstart", begin)
        event.add("dtend", begin + timedelta(minutes=minutes))
        event.add("rrule", rule)
        event.add("transp", "TRANSPARENT")  # it never makes anyone look busy
        if plan.discreet or not plan.url:
            event.add("description", text)
        else:
            event.add("description", text + "\n\n" + _(OPEN_PAGE) % {"url": plan.url})
            event.add("url", plan.url)
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        cal.add_component(event)
    # The zone's rules from the first event on, for thirty years (a file of a few kilobytes).
    cal.add_missing_timezones(first_date=start, last_date=start + timedelta(days=30 * 366))
    # icalendar notes the span it generated ("This timezone only works from ..."): a note
    # for programmers that reads like a warning in a calendar app.
    for zone_part in cal.walk("VTIMEZONE"):
        zone_part.pop("COMMENT", None)
    return cal.to_ical()


def reminders_filename(discreet: bool = False) -> str:
    """The calendar file's name when downloaded."""
    return "reminders.ics" if discreet else "healing-together-reminders.ics"
