"""For your counsellor, as a couple uses it: each partner ticks on their own device, then the
report downloads, opens and prints to PDF (desktop and phone)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from voila_harness import OUTPUT_DIR, VoilaServer, assert_no_voila_error, screenshot

from workbook.store import create, open_workbook
from workbook.ui.base import PAGES

pytestmark = pytest.mark.browser

AGREE = "I agree to a report for our counsellor"


def _couple(name: str, voila_server: VoilaServer) -> None:
    """Ivy and Omar with a few weeks of shared entries, a private one and CSI-4 answers."""
    today = date.today()
    with create(name, "Ivy", "Omar", data_dir=voila_server.data_dir) as wb:
        for days in range(21, 0, -1):
            at = datetime.combine(today - timedelta(days=days), datetime.min.time()).astimezone()
            wb.add_checkin("a", 4 + days % 4, 5, at=at)
            wb.add_checkin("b", 6 - days % 3, 6, at=at)
        wb.add_reflection("a", 1, "i-statement", "IVY-SHARED: I feel hurt when plans change.")
        wb.add_reflection("b", 7, "appreciation", "OMAR-SHARED: thank you for the walk.")
        wb.set_passphrase("b", "omar's own passphrase")
        wb.add_reflection("b", 6, "journal", "OMAR-PRIVATE-JOURNAL", visibility="private")
        wb.add_promise("a", "Call when I am late", made=today - timedelta(days=20))
        for i, items in enumerate(((3, 2, 3, 2), (4, 3, 3, 3), (5, 4, 4, 4))):
            day = today - timedelta(days=21 - 7 * i)
            wb.add_csi4("a", items, day=day)
            wb.add_csi4("b", (4, 4, 4, 4), day=day)


def test_both_tick_then_the_report_prints_to_pdf(
    voila_server: VoilaServer, tab: Callable[..., Any], device: str
) -> None:
    name = f"counsellor-{device}"
    _couple(name, voila_server)
    url = PAGES["counsellor"]
    ivy = tab(device)  # Ivy's browser; Omar's is another (slot 1), with cookies of its own
    ivy.goto(voila_server.page_url(url, wb=name, who="a"))
    ivy.get_by_text("Do you both agree?").wait_for()
    assert_no_voila_error(ivy.content())
    ivy.get_by_label(AGREE).check()
    ivy.get_by_text("Thank you: you agree.").wait_for()
    ivy.get_by_text("Waiting for Omar to agree.").wait_for()
    assert ivy.get_by_role("button", name="Make the report").is_disabled()
    screenshot(ivy, f"counsellor-waiting-{device}")

    omar = tab(device, 1)
    omar.goto(voila_server.page_url(url, wb=name, who="b"))
    omar.get_by_text("Ivy agrees (since").wait_for()  # "too" only once both agree
    assert omar.get_by_text("agrees too").count() == 0
    # Locked: the tick is refused (and undone) and Omar's own passphrase is asked for.
    omar.get_by_label(AGREE).click()
    omar.get_by_text("no one else can agree in your name").wait_for()
    omar.get_by_label("Passphrase").fill("omar's own passphrase")
    omar.get_by_role("button", name="Unlock").click()
    omar.get_by_label(AGREE).check()
    omar.get_by_text("Thank you: you agree.").wait_for()

    # Ivy's open page hears of it without a reload.
    ivy.get_by_text("You both agree.").wait_for(timeout=20_000)
    ivy.get_by_role("button", name="Make the report").click()
    ivy.get_by_text("The report is ready").wait_for()
    screenshot(ivy, f"counsellor-ready-{device}")
    with ivy.expect_download() as got:
        ivy.get_by_role("link", name="Download the report").click()
    saved = OUTPUT_DIR / f"counsellor-report-{device}.html"
    got.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert "IVY-SHARED" in text
    assert "OMAR-SHARED" in text
    assert "OMAR-PRIVATE-JOURNAL" not in text
    assert "Call when I am late" in text

    report = ivy.context.new_page()  # a second tab of Ivy's browser
    report.goto(saved.as_uri())
    report.get_by_text("For our counsellor").first.wait_for()
    assert report.locator("img").count() == 4
    assert report.evaluate("() => [...document.images].every(i => i.naturalWidth > 0)")
    report.screenshot(path=str(OUTPUT_DIR / f"counsellor-report-{device}.png"), full_page=True)
    pdf = OUTPUT_DIR / f"counsellor-report-{device}.pdf"
    report.pdf(path=str(pdf), format="A4", print_background=True)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        out = OUTPUT_DIR / f"counsellor-report-{device}-page"
        for old in OUTPUT_DIR.glob(f"{out.name}-*.png"):
            old.unlink()
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(out)], check=True, timeout=120
        )
        pages = sorted(OUTPUT_DIR.glob(f"{out.name}-*.png"))
        assert len(pages) >= 2

    # Omar withdraws: the report is off Ivy's page and cannot be made again.
    omar.get_by_label(AGREE).uncheck()
    omar.get_by_text("You have withdrawn.").wait_for()
    ivy.get_by_text("Waiting for Omar to agree.").wait_for(timeout=20_000)
    assert ivy.get_by_role("link", name="Download the report").count() == 0
    assert ivy.get_by_text("The report is ready").count() == 0, "cleared by the withdrawal"
    assert omar.get_by_text("Ivy agrees (since").count() == 1
    screenshot(ivy, f"counsellor-withdrawn-{device}")
    with open_workbook(name, data_dir=voila_server.data_dir) as wb:
        assert wb.report_consent("b") is None
