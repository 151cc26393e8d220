"""The `Workbook`, and creating, opening and importing one."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..domain import Partner, PartnerId, ValidationError, partner_name
from ..i18n import N_
from ..paths import default_data_dir, ensure_private_dir, list_names, path_for
from .errors import EXISTS_CHOOSE, EXISTS_OPEN, WorkbookExists, WorkbookNotFound
from .exchange import check_export, export_partners, read_export, restore
from .keep import Keep, free_name, read_backup
from .keyring import QUIET_SECONDS, Keyring, purge_sittings
from .schema import build_new, connect


class Workbook(Keep):
    """A couple's workbook, backed by one SQLite file. Use `workbook.open` or `workbook.create`.

    Every read goes to the file, so two pages (or two partners' phones) always see each
    other's saved entries. Reads take a `viewer`: the partner looking ('a' or 'b'), or None for
    a view anyone may see (shared entries only). Private entries are returned only to their
    author, and only once that partner has unlocked them with their passphrase.
    """

    def __init__(self, path: Path, *, _version: int | None = None) -> None:
        self.path = Path(path)
        self._con, self.backup_path = connect(self.path, _version)
        self._keyring = Keyring(self._con)
        # A sitting nobody ended (a closed browser) is deleted on any open once it is quiet.
        purge_sittings(self._con)

    def close(self) -> None:
        """Close the file. The workbook cannot be used afterwards."""
        self._keys.clear()
        self._con.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def data_version(self) -> int:
        """A number that changes whenever another connection (page, phone) saved something.

        SQLite's ``PRAGMA data_version``: pages poll it to show the partner's new entries
        without a reload, reading the workbook again only when it moved.
        """
        return int(self._con.execute("PRAGMA data_version").fetchone()[0])

    def __repr__(self) -> str:
        return f"<Workbook {self.name!r} at {str(self.path)!r}>"

    @property
    def _keys(self) -> dict[PartnerId, bytes]:
        """The keys unlocked in this session (in memory only)."""
        return self._keyring.keys

    # -- passphrases and sittings: the keyring's ----------------------------------------------

    def has_passphrase(self, who: str) -> bool:
        """Whether this partner has set a passphrase for private entries."""
        return self._keyring.has_passphrase(who)

    def is_unlocked(self, who: str) -> bool:
        """Whether this partner's private entries are open in this session."""
        return self._keyring.is_unlocked(who)

    def set_passphrase(self, who: str, passphrase: str, *, old: str | None = None) -> None:
        """Set a partner's passphrase, or change it (give the old one); unlocks the entries.

        Changing it re-seals every private entry of that partner with the new key in one
        transaction, so a failure leaves the old passphrase working.
        """
        self._keyring.set_passphrase(who, passphrase, old=old)

    def unlock(self, who: str, passphrase: str) -> None:
        """Open this partner's private entries for this session, or raise WrongPassphrase."""
        self._keyring.unlock(who, passphrase)
        self.seal_private_numbers(who)

    def lock(self, who: str) -> None:
        """Forget this partner's key in this session."""
        self._keyring.lock(who)

    def may_view_as(self, who: str) -> bool:
        """Whether what only `who` may see can be shown here (see `Keyring.may_view_as`)."""
        return self._keyring.may_view_as(who)

    def open_sitting(self, who: str) -> str:
        """Remember this partner's unlock for other pages; returns the browser's half."""
        return self._keyring.open_sitting(who)

    def resume_sitting(self, who: str, token: object, *, quiet: float = QUIET_SECONDS) -> bool:
        """Unlock with a sitting's token from this browser; False if it is unknown or over."""
        return self._keyring.resume_sitting(who, token, quiet=quiet)

    def touch_sitting(self, who: str, token: object) -> bool:
        """Mark a sitting as in use now; False if it is over (locked elsewhere, or quiet)."""
        return self._keyring.touch_sitting(who, token)

    def sitting_alive(self, who: str, token: object) -> bool:
        """Whether a sitting is still open, read only (pages check it every half minute)."""
        return self._keyring.sitting_alive(who, token)

    def end_sitting(self, who: str, token: object, *, patience: float = 0.0) -> bool:
        """End one sitting of this partner (this browser's) and scrub the file, trying the
        scrub again for `patience` seconds while other pages' readers block it; False if the
        sitting was already over."""
        return self._keyring.end_sitting(who, token, patience=patience)

    def end_sittings(self, who: str) -> int:
        """Lock this partner everywhere: forget the key here, end and scrub every sitting."""
        return self._keyring.end_sittings(who)

    def purge_sittings(self) -> int:
        """Delete and scrub every sitting (of either partner) past its quiet period."""
        return self._keyring.purge_sittings()


def _new_path(name: str, data_dir: Path | None, exists: str) -> Path:
    """The file for a new workbook `name`; `exists` says what to do when it is taken."""
    folder = ensure_private_dir(Path(data_dir) if data_dir else default_data_dir())
    path = path_for(name, folder)
    if path.exists():
        raise WorkbookExists(exists, name=repr(name))
    return path


def create(name: str, partner_a: str, partner_b: str, *, data_dir: Path | None = None) -> Workbook:
    """Create a new workbook named `name` in the data folder, for two partners."""
    path = _new_path(name, data_dir, EXISTS_OPEN)
    # Validate before touching the disk.
    Partner(id="a", name=partner_name(partner_a))
    Partner(id="b", name=partner_name(partner_b))
    build_new(path, name, partner_a, partner_b)
    return Workbook(path)


def open_workbook(target: str | Path, *, data_dir: Path | None = None) -> Workbook:
    """Open a workbook: a `str` is a name in the data folder, a `Path` is a file anywhere."""
    if isinstance(target, Path):
        return Workbook(target.expanduser())
    folder = Path(data_dir) if data_dir else default_data_dir()
    path = path_for(target, folder)
    if not path.exists():
        raise WorkbookNotFound(
            N_("There is no workbook called %(name)s yet. Check the name, or create it."),
            name=repr(target),
        )
    return Workbook(path)


def import_json(text: str | bytes, name: str, *, data_dir: Path | None = None) -> Workbook:
    """Create a new workbook `name` from `Workbook.export_json()` output, exactly as it was."""
    doc = read_export(text)
    partners = export_partners(doc)
    check_export(doc, name)  # every row, before anything is written
    path = _new_path(name, data_dir, EXISTS_CHOOSE)
    build_new(path, name, partners["a"]["name"], partners["b"]["name"])
    wb = Workbook(path)
    try:
        with wb._write() as con:
            restore(con, doc, name)
        # Validate everything through the domain, so a hand-edited export cannot sneak in
        # out-of-range values.
        wb.partners  # noqa: B018
        wb.checkins()
        wb.promises()
        wb.progress()
        wb.csi4()
        wb.selfcare()
    except (sqlite3.Error, ValidationError, KeyError, TypeError, ValueError) as err:
        wb.close()
        for p in path.parent.glob(path.name + "*"):
            p.unlink()
        raise ValidationError(N_("That export could not be imported: %(why)s"), why=err) from err
    return wb


def restore_backup(
    data: str | bytes, name: str | None = None, *, data_dir: Path | None = None
) -> Workbook:
    """A new workbook from a backup (`Workbook.backup()`) or an export, under its own name or
    `name`. The whole file is checked first; a damaged or foreign file, or a name already in
    use (a restore never replaces a workbook), is refused and nothing is written."""
    summary = read_backup(data)
    target = name or summary.name
    taken = list_names(Path(data_dir) if data_dir else None)
    if target in taken:
        raise WorkbookExists(
            N_(
                "A workbook called %(name)s is already here, and a restore never replaces one. "
                "Restore it under another name (such as %(free)s). Nothing was restored."
            ),
            name=repr(target),
            free=repr(free_name(target, taken)),
        )
    return import_json(summary.export, target, data_dir=data_dir)
