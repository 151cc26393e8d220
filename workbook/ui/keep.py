"""The "Keep and move" page: reminders as a calendar file, a backup to keep, a restore, and
the Daylio import (`workbook.ui.keep_import`).

Files reach the person as download links (data: URLs, as the worksheets do: nothing is kept
on the server, and they work on a phone); files come in through `FileUpload`. Everything here
is the writing partner's own: their reminders, their backup (their partner's private entries
are left out), their imported check-ins.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import ipywidgets as widgets

from .. import reminders
from ..cli_keep import backup_lines
from ..domain import ValidationError
from ..i18n import N_
from ..markup import html, join
from ..paths import list_names
from ..request import served_folder_url
from ..store import BackupSummary, backup_filename, read_backup, restore_backup
from ..store.keep import free_name
from .base import (
    CardForm,
    Session,
    card,
    download_link,
    guarded,
    html_text,
    layout,
    page_url,
    paragraph,
    say,
    text_input,
    tick_box,
    workshop_mode,
)
from .intro import with_intro
from .keep_import import DaylioImport, uploaded
from .pages import Page, page_for
from .passphrase import PassphrasePanel


def zone_picker(session: Session) -> widgets.Dropdown:
    """The time zone of this partner's reminders and imported entries."""
    zone = widgets.Dropdown(
        options=reminders.place_zones(),
        value=reminders.place_zones()[0],
        description=session.gettext("Your time zone"),
        layout=layout(),
        style={"description_width": "initial"},
    )
    zone.add_class("ht-stacked")
    return zone


class RemindersCard(CardForm):
    """A calendar file of gentle reminders: a daily check-in and the weekly check."""

    def __init__(self, session: Session, zone: widgets.Dropdown) -> None:
        self.session, self.zone = session, zone
        _ = session.gettext
        self.at = widgets.TimePicker(
            value=reminders.DEFAULT_TIME,
            description=_("Daily check-in at"),
            layout=layout(),
            style={"description_width": "initial"},
        )
        self.at.add_class("ht-stacked")
        self.at.add_class("ht-time-full")
        base = served_folder_url() or reminders.DEFAULT_BASE_URL
        # A workshop's pages open by join code, which is a secret: its link is the start page.
        wb_name = None if workshop_mode() else session.wb.name
        self.link = text_input(_("Each reminder opens"))
        self.link.value = reminders.start_link(base, wb_name, session.who, session.lang)
        self.discreet = tick_box(
            _("Plain titles (no app name and no link), for a calendar others may see")
        )
        self.make = self.action(_("Make my calendar file"), self._make, icon="calendar")
        self.file = html_text()
        super().__init__(
            paragraph(
                _(
                    "A calendar file for your phone or computer: a check-in each day at a "
                    "time you choose, and the weekly satisfaction check. Skip any of them "
                    "whenever you like; nothing here counts days or compares you with "
                    "your partner. Each of you makes your own."
                )
            ),
            self.at,
            self.link,
            paragraph(
                _(
                    "The link holds this workbook's name and who is writing, never a "
                    "token, a join code or a passphrase: if your server asks for a token, "
                    "the link will too."
                ),
                cls="ht-small",
            ),
            self.discreet,
            self.make,
            self.status,
            self.file,
            title=_("Reminders without pressure"),
        )

    def _make(self) -> str:
        if not isinstance(self.at.value, time):
            raise ValidationError(N_("Choose a time for the daily check-in first."))
        wb, who, _ = self.session.wb, self.session.who, self.session.gettext
        plan = reminders.ReminderPlan(
            who,
            at=self.at.value,
            tz=str(self.zone.value),
            weekly_from=wb.csi4_next_due(who),
            url=self.link.value.strip() or None,
            discreet=self.discreet.value,
            lang=self.session.lang,
        )
        data = reminders.reminders_ics(plan, wb.name).decode("utf-8")
        name = reminders.reminders_filename(plan.discreet)
        said = _("Download %(file)s") % {"file": name}
        link = download_link(data, name, said, mime="text/calendar")
        say(self.file, link)
        return _(
            "Ready: every day at %(time)s and the weekly check (%(zone)s). Open the "
            "file on your phone or computer to add it to your calendar."
        ) % {"time": reminders.both_clocks(plan.at, self.session.lang), "zone": plan.tz}


class BackupCard(CardForm):
    """One file to keep: this partner's whole workbook, private text still locked."""

    def __init__(self, session: Session) -> None:
        self.session = session
        _ = session.gettext
        self.make = self.action(_("Make my backup file"), self._make, icon="download")
        self.file = html_text()
        # Lock (here, in another tab, or after the quiet period) takes a made backup off the
        # page: it holds this partner's unrevealed answers in the clear.
        session.privacy.subscribe(self._privacy_changed)
        super().__init__(
            paragraph(
                _(
                    "One file with everything you wrote and everything your partner "
                    "shared: keep it somewhere safe, or restore it on another computer. "
                    "Your private entries stay locked in it with your passphrase, which is "
                    "not in the file; unlock them first. Your partner's private entries are "
                    "not in it: they make their own backup. Nothing from step 8 is ever in it."
                )
            ),
            paragraph(
                _(
                    "Keep the file where only you can reach it: your private words and "
                    "private check-ins stay locked in it, but your other check-ins and your "
                    "answers not yet revealed can be read by whoever opens the file."
                ),
                cls="ht-backup-warning",
            ),
            self.make,
            self.status,
            self.file,
            title=_("A backup to keep"),
        )

    def _privacy_changed(self) -> None:
        if not self.session.wb.may_view_as(self.session.who):
            self.file.value = ""
            self.status.clear()

    def _make(self) -> str:
        wb = self.session.wb
        text = wb.backup(viewer=self.session.who)
        summary = read_backup(text)
        name = backup_filename(wb.name)
        said = self.session.gettext("Download %(file)s") % {"file": name}
        link = download_link(text, name, said, mime="application/json")
        shown = summary_list(summary, self.session.lang)
        self.file.value = str(html("{}<p class='ht-p'>{}</p>", shown, link))
        return ""


def summary_list(summary: BackupSummary, lang: str | None = None) -> Any:
    """What a backup holds, as a list in the reader's language."""
    lines = backup_lines(summary, lang)
    return html("<ul class='ht-list'>{}</ul>", join(html("<li>{}</li>", s) for s in lines))


class RestoreCard(CardForm):
    """A backup restored as a new workbook: said plainly first, never over another one."""

    def __init__(self, session: Session) -> None:
        self.session = session
        _ = session.gettext
        self.upload = widgets.FileUpload(
            accept=".json,application/json", multiple=False, description=_("Choose a backup file")
        )
        self.upload.add_class("ht-upload")
        self.contents = html_text()
        self.name = text_input(_("Restore it as (a new workbook's name)"))
        self.restore = self.action(_("Restore as a new workbook"), self._restore, icon="upload")
        self.ready = widgets.VBox([self.name, self.restore], layout=widgets.Layout(display="none"))
        self.data: bytes | None = None
        self.upload.observe(lambda _: guarded(self.status, self._read), names="value")
        if workshop_mode():
            body: list[widgets.Widget] = [
                paragraph(
                    _(
                        "Restoring a backup is for your own computer, not a workshop's: run "
                        "the workbook at home (make app) and restore it there."
                    )
                )
            ]
        else:
            body = [
                paragraph(
                    _(
                        "Choose a backup file made here or on another computer. The page "
                        "first says what it holds; nothing is written until you press "
                        "Restore, and a workbook already here is never replaced."
                    )
                ),
                self.upload,
                self.contents,
                self.ready,
                self.status,
            ]
        super().__init__(*body, title=_("Restore a backup"))

    def _read(self) -> str:
        got = uploaded(self.upload)
        if got is None:
            return ""
        self.data, self.contents.value, self.ready.layout.display = None, "", "none"
        _, data = got
        self.upload.value = ()  # the file is read once; a second choice starts over
        summary = read_backup(data)
        self.data = data
        self.name.value = free_name(summary.name, list_names())
        self.contents.value = str(
            html(
                "<p class='ht-p'>{}</p>{}",
                self.session.gettext("This file holds:"),
                summary_list(summary, self.session.lang),
            )
        )
        self.ready.layout.display = "flex"
        return ""

    def _restore(self) -> str:
        _ = self.session.gettext
        if self.data is None:
            return _("Choose a backup file first.")
        wb = restore_backup(self.data, self.name.value.strip() or None)
        name = wb.name
        wb.close()
        self.data, self.ready.layout.display = None, "none"
        self.contents.value = str(
            html(
                "<p class='ht-p'><a class='ht-link-button' href='{}'>{}</a></p>",
                page_url(0, name, lang=self.session.lang),
                _("Open %(name)s") % {"name": name},
            )
        )
        return _(
            "Restored as the new workbook %(name)s. Private entries open with their passphrases."
        ) % {"name": repr(name)}


class KeepPage(Page):
    """Reminders, backup, restore and the Daylio import, for the writing partner."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.zone = zone_picker(session)
        _ = session.gettext
        self.reminders = RemindersCard(session, self.zone)
        self.passphrase = PassphrasePanel(session.privacy, compact=False)
        self.backup = BackupCard(session)
        self.restore = RestoreCard(session)
        self.daylio = DaylioImport(session, self.zone)
        super().__init__(
            session,
            "keep",
            card(
                paragraph(_("Times in your reminders and in an imported diary are in this zone.")),
                self.zone,
                title=_("Your time zone"),
            ),
            self.reminders,
            card(
                paragraph(
                    _(
                        "Your backup carries your private entries and your answers not yet "
                        "revealed, and a private import needs your passphrase."
                    )
                ),
                self.passphrase,
                title=_("Your private entries"),
            ),
            self.backup,
            self.restore,
            self.daylio,
        )
        self.add_class("ht-keep")


def keep_page(wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The "Keep and move" page for the workbook and partner in the URL (or the parameters)."""
    return with_intro("keep", page_for(KeepPage, wb_name, who))
