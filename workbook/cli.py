"""The `workbook` command: demo data, serving the app, worksheets, the counsellor's report (and,
from `cli_keep`, reminders, backup, restore and the Daylio import)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import __version__, settings
from .domain import ValidationError
from .i18n import languages, translator
from .paths import default_data_dir, notebooks_dir
from .store import WorkbookError


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo import write_demo

    wb = write_demo(args.name, data_dir=args.data_dir)
    n = len(wb.checkins())
    print(f"Wrote the made-up demo workbook {wb.name!r} ({n} check-ins) to {wb.path}")
    print("Its private entries open with the passphrases 'sam demo passphrase' and ")
    print("'alex demo passphrase'. Nothing in it is real.")
    wb.close()
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from . import serving

    values: dict[settings.Setting, str | None] = {}
    if args.data_dir:
        values[settings.DATA] = str(args.data_dir)
    if args.notebooks is None:
        try:
            args.notebooks = notebooks_dir()
        except FileNotFoundError as err:
            print(f"workbook: {err}", file=sys.stderr)
            return 2
    if args.token is None:
        args.token = given_token()
        if args.token:
            # The person who runs the server gave it (a container secret, an environment
            # variable) and already has it: the printed address leaves it out, so that the
            # token never reaches a container's log.
            values[settings.HIDE_TOKEN] = "1"
    if args.workshop:
        values[settings.WORKSHOP] = "1"
        values[settings.FACILITATOR_KEY] = announce_workshop(args)
    return serving.serve(
        notebooks_dir=args.notebooks,
        host=args.host,
        port=args.port,
        token=args.token,
        data_dir=args.data_dir or default_data_dir(),
        # The settings reach the server and its kernels in the environment it starts with.
        values=values,
        # A workshop's start page keeps kernels ready for partners arriving together.
        start_pool_size=serving.WORKSHOP_START_POOL if args.workshop else None,
        # Like `jupyter lab`: the page opens in a browser on this computer's screen when
        # there is one; the address is printed either way.
        open_browser=not args.no_browser and browser_available(),
    )


def given_token() -> str | None:
    """The token given outside the command line: $WORKBOOK_TOKEN, else the first line of the
    file named by $WORKBOOK_TOKEN_FILE (a mounted secret); None when neither is set."""
    from .serving import ServingError

    token = settings.TOKEN.read()
    path = settings.TOKEN_FILE.read()
    token_file, token_env = settings.TOKEN_FILE.name, settings.TOKEN.name
    if token or not path:
        return token or None
    try:
        text = Path(path).read_text(encoding="utf-8").strip()
    except OSError as err:
        raise ServingError(
            f"Cannot read the token file {path!r} named by {token_file} "
            f"({err.strerror or err}). Mount the secret there, or set {token_env}."
        ) from None
    if not text:
        raise ServingError(f"The token file {path!r} named by {token_file} is empty.")
    return text.splitlines()[0].strip()


#: Browsers that run inside the terminal: opening one would take over the server's window.
_TERMINAL_BROWSERS = frozenset({"www-browser", "links", "elinks", "lynx", "w3m"})


def browser_available() -> bool:
    """True when a graphical web browser can be opened on this computer's screen."""
    import webbrowser

    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False  # no screen: a server, a container or an SSH session
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return False
    return getattr(browser, "name", "") not in _TERMINAL_BROWSERS


def announce_workshop(args: argparse.Namespace) -> str:
    """Print the facilitator's private address; returns the facilitator key in it (the one
    given in WORKBOOK_FACILITATOR_KEY, or a new one), for the server's environment."""
    from . import serving

    key = settings.FACILITATOR_KEY.read() or serving.generate_token(18)
    url = serving.app_url(args.host, args.port, args.token, serving.FACILITATOR_PATH, key=key)
    print(
        "Workshop mode: couples join with the codes from the facilitator page; workbook names "
        f"do not open anything.\nFacilitator page (keep this address to yourself):\n\n"
        f"    {url}\n"
    )
    return key


def _cmd_worksheet(args: argparse.Namespace) -> int:
    from .store import open_workbook
    from .worksheets import worksheet_filename, worksheet_html

    try:
        step = int(args.step)
    except ValueError:
        step = -1
    if not 1 <= step <= 8:
        said = translator(args.lang).gettext(
            "workbook: there is no worksheet for step %(step)s; choose a step from 1 to 8."
        )
        print(said % {"step": repr(args.step[:20])}, file=sys.stderr)
        return 2
    if args.workbook:
        with open_workbook(args.workbook, data_dir=args.data_dir) as wb:
            page = worksheet_html(step, wb, args.who, args.lang)
    else:
        page = worksheet_html(step, lang=args.lang)
    if args.out is None or str(args.out) == "-":
        sys.stdout.write(page)
        return 0
    out = Path(args.out)
    if out.is_dir():
        out = out / worksheet_filename(step)
    # Owner-only: a filled worksheet holds the couple's shared answers.
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            if os.name == "posix":
                os.fchmod(fh.fileno(), 0o600)  # an existing file keeps its mode otherwise
            fh.write(page)
    except OSError as err:
        said = translator(args.lang).gettext("workbook: cannot write %(file)s: %(why)s")
        print(said % {"file": out, "why": err.strerror or err}, file=sys.stderr)
        return 2
    said = translator(args.lang).gettext("Wrote the step %(step)d worksheet to %(file)s")
    print(said % {"step": step, "file": out}, file=sys.stderr)
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from .report import SECTIONS, report_html
    from .store import open_workbook

    sections = None
    if args.parts:
        sections = [part.strip() for part in args.parts.split(",") if part.strip()]
    with open_workbook(args.name, data_dir=args.data_dir) as wb:
        # Refuses (NotAgreed, a clear message and exit 2) unless both partners agreed.
        page = report_html(wb, sections, lang=args.lang)
    _ = translator(args.lang).gettext
    try:
        _write_private(Path(args.out), page)
    except OSError as err:
        said = _("workbook: cannot write %(file)s: %(why)s")
        print(said % {"file": args.out, "why": err.strerror or err}, file=sys.stderr)
        return 2
    # The parts' names are the report's (translated when its module marks them).
    parts = "; ".join(_(SECTIONS[s]) for s in (sections or SECTIONS) if s in SECTIONS)
    said = _("Wrote the report for your counsellor to %(file)s (%(parts)s).")
    print(said % {"file": args.out, "parts": parts}, file=sys.stderr)
    print(_("Open it in a browser to print it, or print to 'Save as PDF'."), file=sys.stderr)
    return 0


def _write_private(out: Path, text: str) -> None:
    """Write `text` to a file readable by its owner only (it holds the couple's words)."""
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        if os.name == "posix":
            os.fchmod(fh.fileno(), 0o600)  # an existing file keeps its mode otherwise
        fh.write(text)


def build_parser(prog: str = "workbook") -> argparse.ArgumentParser:
    """The argument parser of the `workbook` command (or of `healing-together`)."""
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Healing Together: a relationship reflection workbook.",
        epilog="With no command, healing-together serves the pages: "
        "`healing-together serve --help` lists the options of serve."
        if prog != "workbook"
        else None,
    )
    parser.add_argument("--version", action="version", version=f"Healing Together {__version__}")
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="folder that holds the workbooks (default: $WORKBOOK_DATA or your data folder)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    demo = sub.add_parser("demo", help="write a made-up demo couple (nothing real)")
    demo.add_argument("--name", default="demo", help="workbook name (default: demo)")
    demo.set_defaults(func=_cmd_demo)

    serve = sub.add_parser("serve", help="serve the notebooks as web pages with Voila")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument(
        "--token",
        default=None,
        help="access token, required off 127.0.0.1 (default: $WORKBOOK_TOKEN, else the first "
        f"line of the file named by ${settings.TOKEN_FILE.name})",
    )
    serve.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        help="folder of the notebooks to serve (default: the ones installed with the app)",
    )
    serve.add_argument(
        "--no-browser",
        action="store_true",
        help="only print the address (by default a browser opens when the computer has one)",
    )
    serve.add_argument(
        "--workshop",
        action="store_true",
        help="workshop mode: couples join with codes; prints the facilitator's address",
    )
    serve.set_defaults(func=_cmd_serve)

    sheet = sub.add_parser("worksheet", help="write a printable worksheet (HTML) for a step")
    sheet.add_argument("step", help="the step, 1 to 8")
    sheet.add_argument(
        "--workbook", default=None, help="fill in this workbook's shared answers (default: blank)"
    )
    sheet.add_argument("--who", choices=("a", "b"), default=None, help="only this partner's")
    sheet.add_argument(
        "--lang",
        choices=languages(),
        default=None,
        help="the worksheet's language (default: English; es: Spanish)",
    )
    sheet.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    sheet.set_defaults(func=_cmd_worksheet)

    report = sub.add_parser(
        "report",
        help="write the printable report for your counsellor (HTML; both partners must agree)",
    )
    report.add_argument("name", help="the workbook's name")
    report.add_argument("--out", required=True, help="the HTML file to write")
    report.add_argument(
        "--parts",
        default=None,
        help="comma-separated parts to include: answers, charts, csi4 (default: all)",
    )
    report.add_argument(
        "--lang",
        choices=languages(),
        default=None,
        help="the language of what it prints (default: English; es: Spanish)",
    )
    report.set_defaults(func=_cmd_report)

    from .cli_keep import add_commands

    add_commands(sub)  # reminders, backup, restore, import-daylio
    return parser


def main(argv: list[str] | None = None, *, prog: str = "workbook") -> int:
    """Run the command line; returns the exit status."""
    args = build_parser(prog).parse_args(argv)
    try:
        return int(args.func(args))
    except (ValidationError, WorkbookError) as err:
        # A command with --lang es says what went wrong in Spanish too.
        said = err.in_language(translator(getattr(args, "lang", None)).gettext)
        print(f"workbook: {said}", file=sys.stderr)
        return 2
    except ValueError as err:
        print(f"workbook: {err}", file=sys.stderr)
        return 2


#: The command a pipx install puts on the PATH.
APP_COMMAND = "healing-together"

#: The `workbook` command's subcommands; `healing-together` without one means `serve`.
_COMMANDS = (
    "demo",
    "serve",
    "worksheet",
    "report",
    "reminders",
    "backup",
    "restore",
    "import-daylio",
)


def app_main(argv: list[str] | None = None) -> int:
    """The `healing-together` command: `workbook serve` by default.

    ``healing-together --port 9000`` serves; ``healing-together demo`` (or ``worksheet``)
    runs that command; ``--data-dir`` may come first as with `workbook`.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] in (["--version"], ["-h"], ["--help"]):
        return main(args, prog=APP_COMMAND)
    rest = args[2:] if args[:1] == ["--data-dir"] else args
    if not any(arg in _COMMANDS for arg in rest[:1]):
        head = args[: len(args) - len(rest)]
        args = [*head, "serve", *rest]
    return main(args, prog=APP_COMMAND)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
