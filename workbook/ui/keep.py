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
from ..domain import ValidationError
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
    text_input,
    workshop_mode,
)
from .intro import with_intro
from .keep_import import DaylioImport, uploaded
from .pages import Page, page_for
from .passphrase import PassphrasePanel


def zone_picker() -> widgets.Dropdown:
    """The time zone of this partner's reminders and imported entries."""
    zone = widgets.Dropdown(
        options=reminders.place_zones(),
        value=reminders.place_zones()[0],
        description="Your time zone",
        layout=layout(),
        style={"description_width": "initial"},
    )
    zone.add_class("ht-stacked")
    return zone


class RemindersCard(CardForm):
    """A calendar file of gentle reminders: a daily check-in and the weekly check."""

    def __init__(self, session: Session, zone: widgets.Dropdown) -> None:
        self.session, self.zone = session, zone
        self.at = widgets.TimePicker(
            value=reminders.DEFAULT_TIME,
            description="Daily check-in at",
            layout=layout(),
            style={"description_width": "initial"},
        )
        self.at.add_class("ht-stacked")
        self.at.add_class("ht-time-full")
        base = served_folder_url() or reminders.DEFAULT_BASE_URL
        # A workshop's pages open by join code, which is a secret: its link is the start page.
        wb_name = None if workshop_mode() else session.wb.name
        self.link = text_input("Each reminder opens")
        self.link.value = reminders.start_link(base, wb_name, session.who)
        self.discreet = widgets.Checkbox(
            value=False,
            description="Plain titles (no app name and no link), for a calendar others may see",
            indent=False,
            layout=layout(),
        )
        self.make = self.action("Make my calendar file", self._make, icon="calendar")
        self.file = html_text()
        super().__init__(
            paragraph(
                "A calendar file for your phone or computer: a check-in each day at a "
                "time you choose, and the weekly satisfaction check. Skip any of them "
                "whenever you like; nothing here counts days or compares you with "
                "your partner. Each of you makes your own."
            ),
            self.at,
            self.link,
            paragraph(
                "The link holds this workbook's name and who is writing, never a "
                "token, a join code or a passphrase: if your server asks for a token, "
                "the link will too.",
                cls="ht-small",
            ),
            self.discreet,
            self.make,
            self.status,
            self.file,
            title="Reminders without pressure",
        )

    def _make(self) -> str:
        if not isinstance(self.at.value, time):
            raise ValidationError("Choose a time for the daily check-in first.")
        wb, who = self.session.wb, self.session.who
        plan = reminders.ReminderPlan(
            who,
            at=self.at.value,
            tz=str(self.zone.value),
            weekly_from=wb.csi4_next_due(who),
            url=self.link.value.strip() or None,
            discreet=self.discreet.value,
        )
        data = reminders.reminders_ics(plan, wb.name).decode("utf-8")
        name = reminders.reminders_filename(plan.discreet)
        link = download_link(data, name, f"Download {name}", mime="text/calendar")
        self.file.value = str(html("<p class='ht-p'>{}</p>", link))
        return (
            f"Ready: every day at {reminders.both_clocks(plan.at)} and the weekly check "
            f"({plan.tz}). Open the "
            "file on your phone or computer to add it to your calendar."
        )


class BackupCard(CardForm):
    """One file to keep: this partner's whole workbook, private text still locked."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.make = self.action("Make my backup file", self._make, icon="download")
        self.file = html_text()
        # Lock (here, in another tab, or after the quiet period) takes a made backup off the
        # page: it holds this partner's private moods and unrevealed answers in the clear.
        session.privacy.subscribe(self._privacy_changed)
        super().__init__(
            paragraph(
                "One file with everything you wrote and everything your partner "
                "shared: keep it somewhere safe, or restore it on another computer. "
                "Your private entries stay locked in it with your passphrase, which is "
                "not in the file; unlock them first. Your partner's private entries are "
                "not in it: they make their own backup. Nothing from step 8 is ever in it."
            ),
            paragraph(
                "Keep the file where only you can reach it: your private words stay "
                "locked in it, but your moods and your answers not yet revealed can be "
                "read by whoever opens the file.",
                cls="ht-backup-warning",
            ),
            self.make,
            self.status,
            self.file,
            title="A backup to keep",
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
        link = download_link(text, name, f"Download {name}", mime="application/json")
        self.file.value = str(html("{}<p class='ht-p'>{}</p>", summary_list(summary), link))
        return ""


def summary_list(summary: BackupSummary) -> Any:
    """What a backup holds, as a list."""
    return html(
        "<ul class='ht-list'>{}</ul>", join(html("<li>{}</li>", s) for s in summary.lines())
    )


class RestoreCard(CardForm):
    """A backup restored as a new workbook: said plainly first, never over another one."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.upload = widgets.FileUpload(
            accept=".json,application/json", multiple=False, description="Choose a backup file"
        )
        self.upload.add_class("ht-upload")
        self.contents = html_text()
        self.name = text_input("Restore it as (a new workbook's name)")
        self.restore = self.action("Restore as a new workbook", self._restore, icon="upload")
        self.ready = widgets.VBox([self.name, self.restore], layout=widgets.Layout(display="none"))
        self.data: bytes | None = None
        self.upload.observe(lambda _: guarded(self.status, self._read), names="value")
        if workshop_mode():
            body: list[widgets.Widget] = [
                paragraph(
                    "Restoring a backup is for your own computer, not a workshop's: run "
                    "the workbook at home (make app) and restore it there."
                )
            ]
        else:
            body = [
                paragraph(
                    "Choose a backup file made here or on another computer. The page first "
                    "says what it holds; nothing is written until you press Restore, and a "
                    "workbook already here is never replaced."
                ),
                self.upload,
                self.contents,
                self.ready,
                self.status,
            ]
        super().__init__(*body, title="Restore a backup")

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
            html("<p class='ht-p'>This file holds:</p>{}", summary_list(summary))
        )
        self.ready.layout.display = "flex"
        return ""

    def _restore(self) -> str:
        if self.data is None:
            return "Choose a backup file first."
        wb = restore_backup(self.data, self.name.value.strip() or None)
        name = wb.name
        wb.close()
        self.data, self.ready.layout.display = None, "none"
        self.contents.value = str(
            html(
                "<p class='ht-p'><a class='ht-link-button' href='{}'>Open {}</a></p>",
                page_url(0, name),
                name,
            )
        )
        return (
            f"Restored as the new workbook {name!r}. Private entries open with their passphrases."
        )


class KeepPage(Page):
    """Reminders, backup, restore and the Daylio import, for the writing partner."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.zone = zone_picker()
        self.reminders = RemindersCard(session, self.zone)
        self.passphrase = PassphrasePanel(session.privacy, compact=False)
        self.backup = BackupCard(session)
        self.restore = RestoreCard(session)
        self.daylio = DaylioImport(session, self.zone)
        super().__init__(
            session,
            "keep",
            card(
                paragraph("Times in your reminders and in an imported diary are in this zone."),
                self.zone,
                title="Your time zone",
            ),
            self.reminders,
            card(
                paragraph(
                    "Your backup carries your private entries and your answers not yet "
                    "revealed, and a private import needs your passphrase."
                ),
                self.passphrase,
                title="Your private entries",
            ),
            self.backup,
            self.restore,
            self.daylio,
        )
        self.add_class("ht-keep")


def keep_page(wb_name: str | None = None, who: str | None = None) -> widgets.Widget:
    """The "Keep and move" page for the workbook and partner in the URL (or the parameters)."""
    return with_intro("keep", page_for(KeepPage, wb_name, who))
