"""The `workbook` commands to keep and to move a workbook: reminders, backup, restore, Daylio.

Each writes its file owner-only (it may hold the couple's words) and says what it did; bad
input gets a message and writes nothing.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from . import daylio, reminders
from .domain import ValidationError, Visibility
from .store import open_workbook, read_backup, restore_backup


def write_private(out: Path, data: bytes) -> None:
    """Write `data` to `out`, readable by this account only (an existing file too)."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        if os.name == "posix":
            os.fchmod(fh.fileno(), 0o600)
        fh.write(data)


def _cmd_reminders(args: argparse.Namespace) -> int:
    at = reminders.parse_time(args.time)
    with open_workbook(args.name, data_dir=args.data_dir) as wb:
        link = None if args.url == "" else reminders.start_link(args.url, wb.name, args.partner)
        plan = reminders.ReminderPlan(
            args.partner,
            at=at,
            tz=args.tz or reminders.local_zone(),
            weekly_from=wb.csi4_next_due(args.partner),
            url=link,
            discreet=args.discreet,
        )
        data = reminders.reminders_ics(plan, wb.name)
    write_private(args.out, data)
    print(
        f"Wrote a daily check-in at {at:%H:%M} and the weekly satisfaction check ({plan.tz}) "
        f"to {args.out}."
        + (
            f" Each links to {link} (no token or passphrase in it)."
            if link and not args.discreet
            else ""
        )
    )
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    with open_workbook(args.name, data_dir=args.data_dir) as wb:
        text = wb.backup()
    summary = read_backup(text)
    write_private(args.out, text.encode("utf-8"))
    print(f"Wrote a backup of {args.name!r} to {args.out}:")
    for line in summary.lines():
        print("  " + line)
    return 0


def _read(path: Path) -> bytes | None:
    """The file's bytes, or None once the reason it cannot be read is told on stderr."""
    try:
        return path.read_bytes()
    except OSError as err:
        print(f"workbook: cannot read {path}: {err.strerror or err}", file=sys.stderr)
        return None


def _cmd_restore(args: argparse.Namespace) -> int:
    if (data := _read(args.file)) is None:
        return 2
    summary = read_backup(data)
    print("That backup holds:")
    for line in summary.lines():
        print("  " + line)
    wb = restore_backup(data, args.as_name, data_dir=args.data_dir)
    print(f"Restored it as {wb.name!r} ({wb.path}).")
    wb.close()
    return 0


def _cmd_import_daylio(args: argparse.Namespace) -> int:
    if (data := _read(args.csv)) is None:
        return 2
    tz = args.tz or reminders.local_zone()
    entries = daylio.read_daylio(data, tz)
    counts = daylio.mood_counts(entries)
    mapping = daylio.default_mapping(list(counts)) | daylio.parse_mapping(args.map or "")
    visibility: Visibility = "shared" if args.shared else "private"
    checkins = daylio.to_checkins(
        entries, mapping, args.partner, trust=args.trust, visibility=visibility
    )
    with open_workbook(args.into, data_dir=args.data_dir) as wb:
        if visibility == "private":
            if not wb.has_passphrase(args.partner):
                raise ValidationError(
                    "Daylio notes come in private, kept with your passphrase: set one in the "
                    "pages first, or import with --shared. Nothing was imported."
                )
            wb.unlock(args.partner, getpass.getpass("Your passphrase for private entries: "))
        written = wb.add_new_checkins(checkins)
    moods = ", ".join(f"{name}={mapping[name]} ({n})" for name, n in counts.items())
    print(
        f"Read {len(entries)} Daylio entries ({moods}); wrote {written} new {visibility} "
        f"check-ins (trust {args.trust} each, as Daylio records no trust); "
        f"{len(entries) - written} were already there."
    )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """The commands of this module, on the `workbook` parser."""
    rem = sub.add_parser("reminders", help="write a calendar file (.ics) of gentle reminders")
    rem.add_argument("name", help="the workbook")
    rem.add_argument("--partner", choices=("a", "b"), required=True, help="whose reminders")
    rem.add_argument("--out", type=Path, required=True, help="the .ics file to write")
    rem.add_argument("--time", default="20:00", help="the daily time, HH:MM (default 20:00)")
    rem.add_argument(
        "--tz", default=None, help="time zone, such as Europe/Madrid (default: this computer's)"
    )
    rem.add_argument(
        "--url",
        default=reminders.DEFAULT_BASE_URL,
        help="where the pages are served, without any token ('' for no link; default: "
        f"{reminders.DEFAULT_BASE_URL})",
    )
    rem.add_argument(
        "--discreet", action="store_true", help="plain titles: no app name, workbook or link"
    )
    rem.set_defaults(func=_cmd_reminders)

    back = sub.add_parser("backup", help="write one backup file (private text stays locked)")
    back.add_argument("name", help="the workbook")
    back.add_argument("--out", type=Path, required=True, help="the backup file to write")
    back.set_defaults(func=_cmd_backup)

    rest = sub.add_parser("restore", help="a new workbook from a backup file (never overwrites)")
    rest.add_argument("file", type=Path, help="the backup file")
    rest.add_argument("--as", dest="as_name", default=None, help="the new workbook's name")
    rest.set_defaults(func=_cmd_restore)

    imp = sub.add_parser("import-daylio", help="one partner's check-ins from a Daylio CSV")
    imp.add_argument("csv", type=Path, help="Daylio's CSV export")
    imp.add_argument("--into", required=True, help="the workbook")
    imp.add_argument("--partner", choices=("a", "b"), required=True, help="whose check-ins")
    imp.add_argument(
        "--map", default=None, help='mood names to 1-10, such as "rad=9,good=7,meh=5,bad=3,awful=1"'
    )
    imp.add_argument(
        "--trust",
        type=int,
        default=daylio.IMPORTED_TRUST,
        help="the trust of every imported check-in "
        f"(default {daylio.IMPORTED_TRUST}; Daylio has none)",
    )
    imp.add_argument("--tz", default=None, help="the entries' time zone (default: this computer's)")
    imp.add_argument(
        "--shared",
        action="store_true",
        help="import as shared check-ins (default: private, which asks for your passphrase)",
    )
    imp.set_defaults(func=_cmd_import_daylio)
