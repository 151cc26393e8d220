"""Issue 22, items 3 to 5 in the pages: the "Keep and move" page, tested without a browser."""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime, time
from pathlib import Path

import icalendar
import pytest
from test_keep import DAYLIO_CSV
from widget_utils import html_of

import workbook
from workbook.ui.base import PAGES, Session
from workbook.ui.keep import KeepPage
from workbook.ui.start import StepMap


def _download(html_text: str) -> tuple[str, bytes]:
    """The file name and bytes of the download link in `html_text`."""
    found = re.search(
        r"download='([^']+)' href='data:[^;]+;charset=utf-8;base64,([^']+)'", html_text
    )
    assert found, html_text
    return found.group(1), base64.b64decode(found.group(2))


def _choose(upload: object, name: str, data: bytes) -> None:
    """What the browser sends when a file is chosen in a FileUpload."""
    upload.value = (  # type: ignore[attr-defined]
        {
            "name": name,
            "type": "",
            "size": len(data),
            "content": memoryview(data),
            "last_modified": datetime(2026, 12, 1, tzinfo=UTC),
        },
    )


def test_the_page_is_listed_in_the_navigation_and_linked_from_the_start(sam: Session) -> None:
    assert PAGES["keep"] == "11_keep.ipynb"
    assert (Path(__file__).parents[1] / "notebooks" / PAGES["keep"]).is_file()
    page = KeepPage(sam)
    shown = html_of(page)
    assert "Writing as" in shown, "the header"
    from workbook.ui.pages import nav_links

    assert "11_keep.ipynb" not in nav_links(sam, "keep").value, "no link to itself"
    assert "./11_keep.ipynb?wb=sam-and-alex&amp;who=a" in nav_links(sam, 3).value
    assert "Keep and move" in nav_links(sam, "trends").value
    step_map = StepMap(sam)
    assert "./11_keep.ipynb?wb=sam-and-alex&amp;who=a" in step_map.html.value


def test_reminders_download_as_a_calendar_in_the_chosen_zone(sam: Session) -> None:
    page = KeepPage(sam)
    page.zone.value = "America/Chicago"
    page.reminders.at.value = time(7, 15)
    page.reminders.make.click()
    assert page.reminders.status.kind == "ok", page.reminders.status.message
    name, data = _download(page.reminders.file.value)
    assert name == "healing-together-reminders.ics"
    cal = icalendar.Calendar.from_ical(data)
    starts = {
        (e.decoded("DTSTART").hour, str(e.decoded("DTSTART").tzinfo)) for e in cal.walk("VEVENT")
    }
    assert starts == {(7, "America/Chicago")}
    # Said on both clocks, as a phone's 12-hour time box shows it too.
    assert "every day at 07:15 (7:15 am)" in page.reminders.status.message
    assert "ht-time-full" in page.reminders.at._dom_classes
    url = str(cal.walk("VEVENT")[0]["URL"])
    assert url.endswith("/00_start.ipynb?wb=sam-and-alex&who=a")
    # A token typed into the link is refused, and nothing is offered.
    page.reminders.file.value = ""
    page.reminders.link.value = url + "&token=secret"
    page.reminders.make.click()
    assert page.reminders.status.kind == "error"
    assert page.reminders.file.value == ""
    page.reminders.at.value = None
    page.reminders.link.value = url
    page.reminders.make.click()
    assert "Choose a time" in page.reminders.status.message


def test_a_workshop_reminder_links_to_the_start_page_without_the_join_code(
    sam: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")
    page = KeepPage(Session(wb=sam.wb, who="a", code="ABCD-EFGH-JKLM"))
    assert page.reminders.link.value.endswith("/00_start.ipynb")
    assert "Restoring a backup is for your own computer" in html_of(page.restore)


def _sam_writes(wb: workbook.Workbook) -> None:
    wb.set_passphrase("a", "sam private words")
    wb.add_checkin("a", 2, 2, "SAM-PRIVATE", visibility="private")
    wb.add_checkin("a", 7, 6, "sam shared")
    wb.add_reflection("a", 3, "partner-feelings", "SAM-PAIRED", visibility="paired")
    wb.lock("a")


def test_a_backup_from_the_page_holds_only_what_its_writer_may_have(
    wb: workbook.Workbook, alex: Session
) -> None:
    _sam_writes(wb)
    wb.add_checkin("b", 5, 5, "alex shared")
    page = KeepPage(alex)
    page.backup.make.click()
    name, data = _download(page.backup.file.value)
    assert name.startswith("sam-and-alex-backup-")
    assert "Made by Alex" in html_of(page.backup)
    assert f">Download {name}</a>" in page.backup.file.value, "no 'saved until'"
    assert "saved until" not in page.backup.file.value
    assert (
        "your other check-ins and your answers not yet revealed can be read by whoever"
        in html_of(page.backup)
    )
    export = json.loads(json.loads(data)["export"])
    assert [c["note"] for c in export["checkins"]] == ["sam shared", "alex shared"]
    assert export["reflections"] == [], "Sam's step-3 answer is not revealed yet"
    sam_row = next(p for p in export["partners"] if p["id"] == "a")
    assert sam_row["key_check"] is None, "nothing to guess Sam's passphrase against"
    # Sam's own backup keeps Sam's private entries, sealed; while Sam is locked, whoever
    # opens the page as Sam gets no backup (Sam's private moods and unrevealed answer are in it).
    mine = KeepPage(Session(wb=wb, who="a"))
    mine.backup.make.click()
    assert mine.backup.status.kind == "error"
    assert "unlock them with your passphrase first" in mine.backup.status.message
    assert mine.backup.file.value == ""
    mine.passphrase.password.value = "sam private words"
    mine.passphrase.unlock_button.click()
    mine.backup.make.click()
    assert mine.backup.status.kind == "", mine.backup.status.message
    _, data = _download(mine.backup.file.value)
    assert "SAM-PRIVATE" not in data.decode()
    assert len(json.loads(json.loads(data)["export"])["checkins"]) == 3
    mine.passphrase.lock_button.click()
    assert mine.backup.file.value == "", "Lock takes the backup off the page"


def test_restore_says_what_the_file_holds_then_restores_as_a_new_workbook(
    wb: workbook.Workbook, sam: Session, data_dir: Path
) -> None:
    _sam_writes(wb)
    data = wb.backup().encode()
    card = KeepPage(sam).restore
    _choose(card.upload, "backup.json", data)
    said = html_of(card)
    assert "of Sam and Alex" in said
    assert "2 check-ins" in said
    assert card.name.value == "sam-and-alex-2", "a free name, never the one in use"
    assert workbook.list_names(data_dir) == ["sam-and-alex"], "nothing written before Restore"
    card.name.value = "sam-and-alex"
    card.restore.click()
    assert card.status.kind == "error"
    assert "never replaces" in card.status.message
    card.name.value = "moved-here"
    card.restore.click()
    assert card.status.kind == "ok", card.status.message
    assert "./00_start.ipynb?wb=moved-here" in html_of(card)
    with workbook.open("moved-here", data_dir=data_dir) as copy:
        assert len(copy.checkins()) == 1, "Sam's private check-in is still locked"
        copy.unlock("a", "sam private words")
        assert "SAM-PRIVATE" in [c.note for c in copy.checkins(viewer="a")]


@pytest.mark.parametrize(
    "data", [b"", b"{not json", json.dumps({"format": "other"}).encode(), DAYLIO_CSV.encode()]
)
def test_a_damaged_or_foreign_upload_is_refused_and_nothing_written(
    sam: Session, data_dir: Path, data: bytes
) -> None:
    card = KeepPage(sam).restore
    _choose(card.upload, "x.json", data)
    assert card.status.kind == "error"
    assert "Nothing was restored" in card.status.message
    assert card.ready.layout.display == "none", "no Restore button for a refused file"
    card.restore.click()
    assert workbook.list_names(data_dir) == ["sam-and-alex"]


def test_daylio_is_mapped_previewed_and_imported_once(wb: workbook.Workbook, sam: Session) -> None:
    page = KeepPage(sam)
    page.zone.value = "Europe/Madrid"
    form = page.daylio
    _choose(form.upload, "daylio_export.csv", DAYLIO_CSV.encode("utf-8-sig"))
    assert form.status.kind == "", form.status.message
    assert form.mapped() == {"meh": 5, "good": 7, "Sunny": None, "awful": 1}
    # Daylio's order, then custom moods; each count said as entries, not as a mood value.
    assert list(form.moods) == ["good", "meh", "awful", "Sunny"]
    assert form.moods["awful"].description == "awful (1 entry)"
    assert "ht-daylio-preview" in form.preview.value
    page.zone.value = "America/New_York"  # chosen after the file: its times follow
    assert str(form.entries[0].at.tzinfo) == "America/New_York"
    page.zone.value = "Europe/Madrid"
    assert "4 entries from 30 Nov 2026 to 02 Dec 2026: 4 new, 0 already" in form.preview.value
    assert form.go.description == "Import 4 check-ins"
    form.go.click()
    assert "'Sunny'" in form.status.message, "every mood needs a value"
    form.moods["Sunny"].value = 8
    assert "Sunny → 8" in form.preview.value
    form.go.click()
    assert form.status.kind == "error", "private needs the passphrase first"
    assert wb.checkins() == []
    assert "A private import needs your passphrase" in html_of(form)
    page.passphrase.password.value = page.passphrase.confirm.value = "sam private words"
    page.passphrase.set_button.click()
    # The note follows the sitting's state: no stale "needs your passphrase" once it is set.
    assert "A private import needs your passphrase" not in html_of(form)
    assert "Your private entries are open" in html_of(form)
    assert "Argument: It hurt." in form.preview.value, "the title is not run into its note"
    form.go.click()
    assert form.status.message.startswith("Imported 4 check-ins from Daylio. Only you")
    assert "4 new" not in form.preview.value
    assert "0 new, 4 already among your check-ins" in form.preview.value
    # Done: no button offers to import zero.
    assert form.go.disabled
    assert form.go.layout.display == "none"
    assert page.backup.make.layout.display != "none", "the shared button layout is untouched"
    # The same file again: nothing twice, and nothing offered.
    _choose(form.upload, "daylio_export.csv", DAYLIO_CSV.encode())
    form.moods["Sunny"].value = 8
    assert form.go.layout.display == "none"
    form.go.click()
    assert "already among your check-ins: nothing to import" in form.status.message
    mine = wb.checkins(viewer="a")
    assert sorted(c.mood for c in mine) == [1, 5, 7, 8]
    assert {(c.trust, c.visibility) for c in mine} == {(5, "private")}
    assert wb.checkins(viewer="b") == [], "Alex sees nothing of Sam's diary"
    assert "It hurt" not in html_of(KeepPage(Session(wb=wb, who="b")))
    # Lock takes the diary's notes off the page at once.
    later = DAYLIO_CSV + '2026-12-03,December 3,Thursday,19:00,good,,,"A quiet walk"\n'
    _choose(form.upload, "daylio_export.csv", later.encode())
    assert "A quiet walk" in html_of(page)
    assert form.go.layout.display == "flex", "one new entry: offered again"
    page.passphrase.lock_button.click()
    assert "A quiet walk" not in html_of(page)
    assert form.steps.layout.display == "none"
    assert "A private import needs your passphrase" in html_of(form)


def test_a_file_that_is_not_daylio_gets_a_message(sam: Session) -> None:
    form = KeepPage(sam).daylio
    _choose(form.upload, "notes.csv", b"date,mood\n2026-01-01,good\n")
    assert form.status.kind == "error"
    assert "not a Daylio export" in form.status.message
    assert form.steps.layout.display == "none"


def test_the_reminder_link_is_the_address_the_browser_used_without_its_query(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from workbook import request

    assert request.served_folder_url() is None, "outside Voila"
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv("SERVER_NAME", "192.168.1.20")
    monkeypatch.setenv("SERVER_PORT", "8866")
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/11_keep.ipynb")
    monkeypatch.setenv("QUERY_STRING", "wb=x&who=a&token=SECRET")
    assert request.served_folder_url() == "http://192.168.1.20:8866/voila/render/"
    monkeypatch.setenv("SERVER_NAME", "::1")
    monkeypatch.setenv("SERVER_PORT", "")
    assert request.served_folder_url() == "http://[::1]/voila/render/"


def test_every_style_rule_is_closed_before_the_next_begins() -> None:
    """A rule left open (a lost "}") nested every rule after it, the keep page's among them:
    the Daylio preview broke "Mood" mid-word and the time box stayed small on a phone."""
    css = (
        Path(__file__).parents[1] / "workbook/templates/voila/templates/healing/static/healing.css"
    ).read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    open_rules: list[str] = []
    start = 0
    for n, char in enumerate(css):
        if char == "{":
            prelude = " ".join(css[start:n].split())
            assert prelude.startswith("@") or not any(not p.startswith("@") for p in open_rules), (
                f"{prelude!r} is nested inside {open_rules[-1]!r}"
            )
            open_rules.append(prelude)
            start = n + 1
        elif char == "}":
            open_rules.pop()
            start = n + 1
        elif char == ";":
            start = n + 1
    assert open_rules == []
    assert "ht-daylio-preview" in css
