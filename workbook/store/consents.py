"""Each partner's own agreement to a printable report for their counsellor.

A row in ``report_consent`` while a partner agrees; withdrawing deletes it. Agreeing needs that
partner's own secret when they have one (as answering a paired question does), so the other
partner cannot agree in their name from the same laptop; withdrawing never does, so anyone
who wants the report stopped can stop it at once.
"""

from __future__ import annotations

from datetime import datetime

from .. import privacy
from ..domain import PARTNER_IDS, ValidationError, check_partner, now
from ..i18n import N_
from .records import Records


class ReportConsents(Records):
    """Who has agreed to the counsellor's report, and since when."""

    def report_consent(self, who: str) -> datetime | None:
        """When this partner agreed to the counsellor's report, or None if they have not."""
        pid = check_partner(who)
        row = self._con.execute("SELECT at FROM report_consent WHERE author = ?", (pid,)).fetchone()
        return None if row is None else datetime.fromisoformat(row[0])

    def set_report_consent(self, who: str, agree: bool) -> None:
        """Agree (True) or withdraw (False) this partner's consent to the report."""
        pid = check_partner(who)
        if not isinstance(agree, bool):
            raise ValidationError(N_("Agreeing is yes or no. Nothing was changed."))
        if agree and not self._keyring.may_view_as(pid):
            raise privacy.Locked(
                N_(
                    "Unlock with your passphrase first, so that no one else can agree in your "
                    "name; nothing was changed."
                )
            )
        with self._write() as con:
            if agree:
                con.execute(
                    "INSERT OR IGNORE INTO report_consent (author, at) VALUES (?, ?)",
                    (pid, now().isoformat()),
                )
            else:
                con.execute("DELETE FROM report_consent WHERE author = ?", (pid,))

    def report_agreed(self) -> bool:
        """True when both partners agree to the counsellor's report."""
        return all(self.report_consent(pid) is not None for pid in PARTNER_IDS)
