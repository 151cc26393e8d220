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
from .domain import PARTNER_IDS, ValidationError, Visibility
from .i18n import N_, format_date, languages, translator
from .store import BackupSummary, open_workbook, read_backup, restore_backup


def backup_lines(summary: BackupSummary, lang: str | None = None) -> list[str]:
    """What a backup holds, in plain sentences in `lang` (English: `BackupSummary.lines`)."""
    t = translator(lang)
    _, ngettext = t.gettext, t.ngettext

    def day(d: object) -> str:
        return format_date(d, lang, "dd MMM y")  # type: ignore[arg-type]

    names = {"name": repr(summary.name), "a": summary.names["a"], "b": summary.names["b"]}
    if summary.made_at:
        made = _("The workbook %(name)s of %(a)s and %(b)s, saved %(day)s at %(time)s UTC.") % (
            names | {"day": day(summary.made_at.date()), "time": f"{summary.made_at:%H:%M}"}
        )
    else:
        made = _("The workbook %(name)s of %(a)s and %(b)s, saved on a day not given.") % names
    c = summary.counts
    counts = [
        ngettext("%(n)d check-in", "%(n)d check-ins", c["checkins"]) % {"n": c["checkins"]},
        ngettext("%(n)d written answer", "%(n)d written answers", c["reflections"])
        % {"n": c["reflections"]},
        ngettext("%(n)d promise", "%(n)d promises", c["promises"]) % {"n": c["promises"]},
        ngettext("%(n)d weekly satisfaction check", "%(n)d weekly satisfaction checks", c["csi4"])
        % {"n": c["csi4"]},
        ngettext("%(n)d self-care entry", "%(n)d self-care entries", c["selfcare"])
        % {"n": c["selfcare"]},
        ngettext("%(n)d step marked", "%(n)d steps marked", c["progress"]) % {"n": c["progress"]},
    ]
    private = (
        ngettext(
            "%(n)d private entry, still locked: each opens only with its author's "
            "passphrase, which is not in the file.",
            "%(n)d private entries, still locked: each opens only with its author's "
            "passphrase, which is not in the file.",
            summary.private,
        )
        % {"n": summary.private}
        if summary.private
        else _("No private entries.")
    )
    span = (
        _("Entries from %(first)s to %(last)s.")
        % {"first": day(summary.first), "last": day(summary.last)}
        if summary.first and summary.last
        else _("It holds no dated entries.")
    )
    by = (
        [
            _(
                "Made by %(name)s: the other partner's private entries and unrevealed "
                "answers are not in it; they can make their own backup."
            )
            % {"name": summary.names[summary.by]}
        ]
        if summary.by in PARTNER_IDS
        else []
    )
    return [made, ", ".join(counts) + ".", private, span, *by]


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
        link = (
            None
            if args.url == ""
            else reminders.start_link(args.url, wb.name, args.partner, args.lang)
        )
        plan = reminders.ReminderPlan(
            args.partner,
            at=at,
            tz=args.tz or reminders.local_zone(),
            weekly_from=wb.csi4_next_due(args.partner),
            url=link,
            discreet=args.discreet,
            lang=args.lang,
        )
        data = reminders.reminders_ics(plan, wb.name)
    write_private(args.out, data)
    _ = translator(args.lang).gettext
    said = _(
        "Wrote a daily check-in at %(time)s and the weekly satisfaction check (%(zone)s) "
        "to %(file)s."
    ) % {"time": f"{at:%H:%M}", "zone": plan.tz, "file": args.out}
    if link and not args.discreet:
        said += " " + _("Each links to %(link)s (no token or passphrase in it).") % {"link": link}
    print(said)
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    with open_workbook(args.name, data_dir=args.data_dir) as wb:
        text = wb.backup()
    summary = read_backup(text)
    write_private(args.out, text.encode("utf-8"))
    said = translator(args.lang).gettext("Wrote a backup of %(name)s to %(file)s:")
    print(said % {"name": repr(args.name), "file": args.out})
    for line in backup_lines(summary, args.lang):
        print("  " + line)
    return 0


def _read(path: Path, lang: str | None = None) -> bytes | None:
    """The file's bytes, or None once the reason it cannot be read is told on stderr."""
    try:
        return path.read_bytes()
    except OSError as err:
        said = translator(lang).gettext("workbook: cannot read %(file)s: %(why)s")
        print(said % {"file": path, "why": err.strerror or err}, file=sys.stderr)
        return None


def _cmd_restore(args: argparse.Namespace) -> int:
    if (data := _read(args.file, args.lang)) is None:
        return 2
    _ = translator(args.lang).gettext
    summary = read_backup(data)
    print(_("That backup holds:"))
    for line in backup_lines(summary, args.lang):
        print("  " + line)
    wb = restore_backup(data, args.as_name, data_dir=args.data_dir)
    print(_("Restored it as %(name)s (%(path)s).") % {"name": repr(wb.name), "path": wb.path})
    wb.close()
    return 0


def _cmd_import_daylio(args: argparse.Namespace) -> int:
    if (data := _read(args.csv, args.lang)) is None:
        return 2
    _ = translator(args.lang).gettext
    tz = args.tz or reminders.local_zone()
    entries = daylio.read_daylio(data, tz, args.lang)
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
                    N_(
                        "Daylio notes come in private, kept with your passphrase: set one in "
                        "the pages first, or import with --shared. Nothing was imported."
                    )
                )
            wb.unlock(args.partner, getpass.getpass(_("Your passphrase for private entries: ")))
        written = wb.add_new_checkins(checkins)
    moods = ", ".join(f"{name}={mapping[name]} ({n})" for name, n in counts.items())
    said = _(SHARED_IMPORT_SAID) if args.shared else _(PRIVATE_IMPORT_SAID)
    said = said % {
        "read": len(entries),
        "moods": moods,
        "written": written,
        "trust": args.trust,
        "there": len(entries) - written,
    }
    print(said)
    return 0


#: What an import says (one sentence for each kind of entry, so each reads whole).
PRIVATE_IMPORT_SAID = N_(
    "Read %(read)d Daylio entries (%(moods)s); wrote %(written)d new private check-ins "
    "(trust %(trust)d each, as Daylio records no trust); %(there)d were already there."
)
SHARED_IMPORT_SAID = N_(
    "Read %(read)d Daylio entries (%(moods)s); wrote %(written)d new shared check-ins "
    "(trust %(trust)d each, as Daylio records no trust); %(there)d were already there."
)


def add_lang(
    command: argparse.ArgumentParser,
    what: str = "the language of what it prints (default: English; es: Spanish)",
) -> None:
    """The `--lang` option of a command that prints for a person (English by default)."""
    command.add_argument("--lang", choices=languages(), default=None, help=what)


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
    add_lang(rem, "the language of the reminders and of what it prints (default: English)")
    rem.set_defaults(func=_cmd_reminders)

    back = sub.add_parser("backup", help="write one backup file (private text stays locked)")
    back.add_argument("name", help="the workbook")
    back.add_argument("--out", type=Path, required=True, help="the backup file to write")
    add_lang(back)
    back.set_defaults(func=_cmd_backup)

    rest = sub.add_parser("restore", help="a new workbook from a backup file (never overwrites)")
    rest.add_argument("file", type=Path, help="the backup file")
    rest.add_argument("--as", dest="as_name", default=None, help="the new workbook's name")
    add_lang(rest)
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
    add_lang(imp)
    imp.set_defaults(func=_cmd_import_daylio)
