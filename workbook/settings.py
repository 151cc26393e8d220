"""Every setting of the workbook, declared once: its environment variable, default and help.

This is the only module that reads (or writes) a ``WORKBOOK_`` variable of the environment;
tests/test_settings.py fails when another module does. The README's settings table is made from
`SETTINGS` (`settings_table`), and a test checks that the two agree.

`workbook serve` passes the settings to its Voila server, and so to every page's kernel, in the
environment that `child_env` builds; the server adds what only it knows (`export`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass

#: Where `workbook serve` listens unless told otherwise (this computer only).
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8866
#: Values that switch a yes/no setting off (anything else, set, switches it on).
_OFF = frozenset({"", "0", "false", "no", "off"})


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, its default ("" for none) and what it does."""

    name: str
    default: str
    help: str
    #: Set by `workbook serve` for its own server and kernels, not by a person.
    internal: bool = False

    def read(self, env: Mapping[str, str] | None = None) -> str:
        """The value (spaces around it dropped), or the default when unset or blank."""
        value = (os.environ if env is None else env).get(self.name, "").strip()
        return value or self.default

    def is_on(self, env: Mapping[str, str] | None = None) -> bool:
        """For a yes/no setting: True unless unset, blank, 0, false, no or off."""
        return self.read(env).lower() not in _OFF


DATA = Setting(
    "WORKBOOK_DATA",
    "",
    "The folder holding the couples' workbooks (default: the platform's data folder, "
    "~/.local/share/healing-together on Linux). `workbook serve --data-dir` sets it.",
)
WORKSHOP = Setting(
    "WORKBOOK_WORKSHOP",
    "",
    "Workshop mode (1 to switch on): couples join with a code from the facilitator page and "
    "workbook names open nothing. `workbook serve --workshop` sets it.",
)
HIDE_LIST = Setting(
    "WORKBOOK_HIDE_LIST",
    "",
    "1 hides the list of workbook names on the start page (a shared computer); a name must "
    "then be typed. Workshop mode always hides it.",
)
EXIT_URL = Setting(
    "WORKBOOK_EXIT_URL",
    "https://www.weather.gov/",
    "The neutral page the quick exit opens; an http:// or https:// address (anything else "
    "falls back to the default).",
)
TOKEN = Setting(
    "WORKBOOK_TOKEN",
    "",
    "The server's token (instead of --token, which other local users can read in the process "
    "list). The printed address then leaves the token out.",
)
TOKEN_FILE = Setting(
    "WORKBOOK_TOKEN_FILE",
    "",
    "A file whose first line is the server's token (a container or Kubernetes secret); used "
    "when WORKBOOK_TOKEN is not set.",
)
FACILITATOR_KEY = Setting(
    "WORKBOOK_FACILITATOR_KEY",
    "",
    "The key of the facilitator page (?key=...); `workbook serve --workshop` makes one when "
    "it is not set. Without it the facilitator page stays locked.",
)
HIDE_TOKEN = Setting(
    "WORKBOOK_HIDE_TOKEN",
    "",
    "1 when the token came from WORKBOOK_TOKEN or WORKBOOK_TOKEN_FILE: the server's printed "
    "address then leaves it out.",
    internal=True,
)
QUERY_TOKEN = Setting(
    "WORKBOOK_QUERY_TOKEN",
    "",
    "The server's token, given to its kernels so that they can fetch their page's request.",
    internal=True,
)
ROOM_ADDRESS = Setting(
    "WORKBOOK_ROOM_ADDRESS",
    "",
    "The address the couples open (the one the server printed, with its token), given to the "
    "facilitator page to show the room.",
    internal=True,
)

#: Every setting, in the order of the README's table.
SETTINGS: tuple[Setting, ...] = (
    DATA,
    WORKSHOP,
    HIDE_LIST,
    EXIT_URL,
    TOKEN,
    TOKEN_FILE,
    FACILITATOR_KEY,
    HIDE_TOKEN,
    QUERY_TOKEN,
    ROOM_ADDRESS,
)


def exit_url() -> str:
    """The neutral page the quick exit opens (WORKBOOK_EXIT_URL, or a weather site)."""
    url = EXIT_URL.read()
    return url if url.startswith(("https://", "http://")) else EXIT_URL.default


def export(
    values: Mapping[Setting, str | None], env: MutableMapping[str, str] | None = None
) -> None:
    """Set (a string) or remove (None) settings in ``env`` (this process's environment, which
    the Voila server's kernels inherit)."""
    target = os.environ if env is None else env
    for setting, value in values.items():
        if value is None:
            target.pop(setting.name, None)
        else:
            target[setting.name] = value


def take(setting: Setting) -> str:
    """Read a setting and remove it from this process's environment (a secret, read once)."""
    return os.environ.pop(setting.name, "").strip()


def child_env(
    values: Mapping[Setting, str | None] | None = None, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The environment of a child process: ``base`` (this process's) with ``values`` applied."""
    env = dict(os.environ if base is None else base)
    export(values or {}, env)
    return env


def settings_table() -> str:
    """The README's table of settings (Markdown), made from `SETTINGS`."""
    rows = ["| Variable | Default | What it does |", "| --- | --- | --- |"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default else "(none)"
        note = " (set by `workbook serve` itself)" if setting.internal else ""
        rows.append(f"| `{setting.name}` | {default} | {setting.help}{note} |")
    return "\n".join(rows)
