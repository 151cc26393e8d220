"""Where workbooks live: the data folder and safe workbook names.

A workbook name comes from a person (or a URL), so it is checked against a strict pattern and
can never point outside the data folder.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from pathlib import Path

from . import settings
from .domain import ValidationError
from .i18n import N_

APP_DIR_NAME = "healing-together"
SUFFIX = ".workbook.sqlite3"
NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,47}$")


class BadName(ValidationError):
    """A workbook name that is not allowed."""


def default_data_dir() -> Path:
    """The user's data folder for this app (XDG on Linux, the platform's own elsewhere)."""
    env = settings.DATA.read()
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA", Path.home() / "AppData" / "Roaming"))
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_DIR_NAME


#: The start page: the notebook every served workbook opens on.
START_NOTEBOOK = "00_start.ipynb"


def notebooks_dir() -> Path:
    """The folder of the workbook's notebooks, wherever the package runs from.

    An installed package carries them as ``workbook/notebooks/`` (pyproject.toml maps the
    top-level ``notebooks/`` folder there when the wheel is built); a checkout, or an editable
    install of one, has them in ``notebooks/`` beside the package, where developers edit them.
    """
    package = Path(__file__).resolve().parent
    for folder in (package / "notebooks", package.parent / "notebooks"):
        if (folder / START_NOTEBOOK).is_file():
            return folder
    raise FileNotFoundError(
        f"The workbook's notebooks are missing: neither {str(package / 'notebooks')!r} nor "
        f"{str(package.parent / 'notebooks')!r} holds {START_NOTEBOOK}. Reinstall the package "
        "(pipx install --force healing-together) or give the folder with --notebooks."
    )


def ensure_private_dir(path: Path) -> Path:
    """Create the folder (and parents) if needed; the folder itself is made 0700."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix" and path.stat().st_mode & 0o077:
        path.chmod(0o700)
    return path


def check_name(name: object) -> str:
    """Return a valid workbook name or raise BadName with a message a person understands."""
    if not isinstance(name, str) or not name:
        raise BadName(N_("Give the workbook a name, for example 'sam-and-alex'."))
    if not NAME_RE.fullmatch(name):  # fullmatch: "$" alone also matched before a final "\n"
        raise BadName(
            N_(
                "%(name)s cannot be used as a workbook name. Use 1 to 48 lowercase letters, "
                "digits, '-' or '_', starting with a letter or digit (for example "
                "'sam-and-alex')."
            ),
            name=repr(name[:60]),
        )
    return name


def slugify(text: str) -> str:
    """Turn a phrase such as 'Sam & Alex' into a valid name such as 'sam-alex' (accents go:
    'Lucía y Dan' is 'lucia-y-dan')."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:48].strip("-")
    return check_name(slug or "")


def path_for(name: str, data_dir: Path | None = None) -> Path:
    """The file of a named workbook inside the data folder (the name is checked first)."""
    name = check_name(name)
    folder = (data_dir or default_data_dir()).resolve()
    path = (folder / f"{name}{SUFFIX}").resolve()
    # Belt and braces: the pattern already forbids separators and dots.
    if path.parent != folder:
        raise BadName(N_("%(name)s would point outside the data folder."), name=repr(name))
    return path


def list_names(data_dir: Path | None = None) -> list[str]:
    """Names of the workbooks in a data folder, sorted."""
    folder = data_dir or default_data_dir()
    if not folder.is_dir():
        return []
    names = []
    for p in folder.iterdir():
        if p.name.endswith(SUFFIX):
            stem = p.name[: -len(SUFFIX)]
            if NAME_RE.fullmatch(stem):
                names.append(stem)
    return sorted(names)
