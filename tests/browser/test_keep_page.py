"""Issue 22, items 3 to 5 in Chromium: the "Keep and move" page on a desktop and a 375 px phone.

From an empty workbook: the calendar file downloaded and parsed by icalendar, a backup
downloaded and restored as a new workbook (the page says what it holds first), a Daylio CSV in
its real format imported, and imported again without writing anything twice.
"""

from __future__ import annotations

import json
from typing import Any

import icalendar
import pytest
from test_keep import DAYLIO_CSV
from voila_harness import (
    VoilaServer,
    assert_no_voila_error,
    card_titled,
    download,
    fits_the_screen,
    screenshot,
)

from workbook.store import create, open_workbook
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser


def _choose(page: Any, card: Any, file: dict[str, Any]) -> None:
    """Choose a file in a card's FileUpload (its input is not in the page: the chooser opens)."""
    with page.expect_file_chooser() as chooser:
        card.locator(".ht-upload").click()
    chooser.value.set_files(file)


def _no_word_broken(page: Any) -> None:
    """Every word of the Daylio preview's headers and Mood cells stays on one line."""
    broken = page.evaluate(
        "() => [...document.querySelectorAll('.ht-daylio-preview th, "
        ".ht-daylio-preview td:nth-child(2)')].filter(c => {"
        " const r = document.createRange(); r.selectNodeContents(c);"
        " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size > 1;"
        "}).map(c => c.innerText)"
    )
    assert not broken, f"wrapped: {broken}"


def test_keep_and_move(voila_server: VoilaServer, page_any: Any, device: str) -> None:
    page = page_any
    name = f"keep-{device}"
    create(name, "Noa", "Eli", data_dir=voila_server.data_dir).close()
    page.goto(voila_server.page_url(PAGES["keep"], wb=name, who="a"))
    reminders = card_titled(page, "Reminders without pressure")
    reminders.wait_for(timeout=60_000)
    assert_no_voila_error(page)
    screenshot(page, f"keep-page-{device}")
    fits_the_screen(page)
    # The time box is as wide as its card, like every other field on a phone.
    widths = reminders.locator(".ht-time-full input").evaluate(
        "(e) => [e.getBoundingClientRect().width,"
        " e.closest('.ht-card').getBoundingClientRect().width]"
    )
    assert widths[0] > widths[1] * 0.8, widths

    # Reminders: a calendar file a real iCalendar library reads back.
    reminders.get_by_role("button", name="Make my calendar file").click()
    link = reminders.get_by_role("link", name="Download healing-together-reminders.ics")
    link.wait_for()
    cal = icalendar.Calendar.from_ical(download(page, link))
    events = cal.walk("VEVENT")
    assert len(events) == 2
    url = str(events[0]["URL"])
    assert f"/voila/render/00_start.ipynb?wb={name}&who=a" in url
    assert "token" not in url

    # A backup, then restored as a new workbook after the page says what it holds.
    backup = card_titled(page, "A backup to keep")
    backup.get_by_role("button", name="Make my backup file").click()
    link = backup.get_by_role("link", name=f"Download {name}-backup-", exact=False)
    link.wait_for()
    assert "saved until" not in link.inner_text()
    backup.get_by_text("can be read by whoever opens the file").wait_for()
    data = download(page, link)
    assert json.loads(data)["format"] == "healing-together-backup"
    restore = card_titled(page, "Restore a backup")
    _choose(page, restore, {"name": "backup.json", "mimeType": "application/json", "buffer": data})
    restore.get_by_text("This file holds:").wait_for()
    restore.get_by_text("of Noa and Eli").wait_for()
    restore.get_by_label("Restore it as (a new workbook's name)").fill(f"{name}-moved")
    screenshot(page, f"keep-restore-ready-{device}")
    restore.get_by_role("button", name="Restore as a new workbook").click()
    restore.get_by_text(f"Restored as the new workbook '{name}-moved'").wait_for()

    # Daylio: the mapping step, a preview and a count; then the same file again.
    form = card_titled(page, "Import from Daylio")
    for attempt in range(2):
        csv_file = {"name": "daylio.csv", "mimeType": "text/csv", "buffer": DAYLIO_CSV.encode()}
        _choose(page, form, csv_file)
        form.get_by_text("4 entries from 30 Nov 2026 to 02 Dec 2026").wait_for()
        form.get_by_label("Sunny (1 entry)").select_option("8")
        form.get_by_text("Shared with my partner").click()
        if attempt == 0:
            form.get_by_text("4 new, 0 already").wait_for()
            form.get_by_text("Argument: It hurt.").wait_for()
            screenshot(page, f"keep-daylio-preview-{device}")
            fits_the_screen(page)
            _no_word_broken(page)
            form.get_by_role("button", name="Import 4 check-ins").click()
            form.get_by_text("Imported 4 check-ins from Daylio.").wait_for()
        else:
            form.get_by_text("0 new, 4 already among your check-ins").wait_for()
            form.get_by_text("Nothing new to import from this file.").wait_for()
            assert form.get_by_role("button", name="Import 0 check-ins").count() == 0
    assert_no_voila_error(page)
    screenshot(page, f"keep-done-{device}")

    with open_workbook(name, data_dir=voila_server.data_dir) as book:
        assert sorted(c.mood for c in book.checkins("a")) == [1, 5, 7, 8]
    with open_workbook(f"{name}-moved", data_dir=voila_server.data_dir) as moved:
        assert moved.partner("b").name == "Eli"
