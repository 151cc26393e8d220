"""The page For your counsellor, driven in plain pytest: each partner ticks, then the report."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

import pytest
from widget_utils import html_of

import workbook
from workbook.ui import pages
from workbook.ui.base import Session
from workbook.ui.counsellor import CounsellorPage


@pytest.fixture
def alex_elsewhere(wb: workbook.Workbook) -> Iterator[Session]:
    """Alex on their own phone: another connection to the same file."""
    other = workbook.open(wb.path)
    yield Session(wb=other, who="b")
    other.close()


def _report_in(link_html: str) -> str:
    found = re.search(r"base64,([A-Za-z0-9+/=]+)", link_html)
    assert found, link_html
    return base64.b64decode(found.group(1)).decode("utf-8")


def test_each_partner_ticks_then_the_report_downloads(
    sam: Session, alex_elsewhere: Session
) -> None:
    sam.wb.add_reflection("a", 1, "i-statement", "I feel calmer when we plan the week.")
    mine, theirs = CounsellorPage(sam), CounsellorPage(alex_elsewhere)
    assert mine.maker.make.disabled
    assert "Waiting for Sam and Alex to agree" in mine.maker.note.value
    mine.consent.box.value = True
    assert mine.consent.status.kind == "ok"
    assert "Alex has not agreed" in mine.consent.state.value
    assert "Waiting for Alex to agree" in mine.maker.note.value
    # Alex's page hears of Sam's tick through its watcher, without a reload.
    assert theirs.consent.session.live.check()
    # "too" only once both agree: Alex has not ticked yet.
    assert "Sam agrees (since" in theirs.consent.state.value
    assert "too" not in theirs.consent.state.value
    theirs.consent.box.value = True
    assert "Sam agrees too (since" in theirs.consent.state.value
    assert theirs.consent.status.kind == "ok"
    assert not theirs.maker.make.disabled
    theirs.maker.parts["charts"].value = False
    theirs.maker.make.click()
    assert theirs.maker.status.kind == "ok", theirs.maker.status.message
    report = _report_in(theirs.maker.link.value)
    assert "I feel calmer when we plan the week." in report
    assert "How we have been feeling" not in report  # charts left out, as chosen
    assert sam.live.check()
    assert not mine.maker.make.disabled


def test_a_withdrawal_takes_the_report_off_both_pages(
    sam: Session, alex_elsewhere: Session
) -> None:
    mine, theirs = CounsellorPage(sam), CounsellorPage(alex_elsewhere)
    mine.consent.box.value = True
    theirs.consent.box.value = True
    sam.live.check()
    mine.maker.make.click()
    theirs.maker.make.click()
    assert "download=" in mine.maker.link.value
    assert "download=" in theirs.maker.link.value
    assert "The report is ready" in mine.maker.status.message
    theirs.consent.box.value = False
    assert "withdrawn" in theirs.consent.status.message
    assert theirs.maker.make.disabled
    assert theirs.maker.link.value == ""  # off the page at once
    assert theirs.maker.status.message == "", "no 'The report is ready' under 'Waiting'"
    assert "Sam agrees (since" in theirs.consent.state.value, "no 'too' after withdrawing"
    assert sam.live.check()
    assert mine.maker.link.value == ""
    assert mine.maker.status.message == ""
    assert mine.maker.make.disabled
    assert "Waiting for Alex to agree" in mine.maker.note.value


def test_agreeing_in_the_other_partners_name_needs_their_passphrase(
    wb: workbook.Workbook, sam: Session, alex: Session
) -> None:
    wb.set_passphrase("b", "alex's own passphrase")
    wb.lock("b")
    page = CounsellorPage(alex)  # Sam, holding the laptop, opens the page as Alex
    page.consent.box.value = True
    assert page.consent.status.kind == "error"
    assert "no one else can agree in your name" in page.consent.status.message
    assert page.consent.box.value is False
    assert wb.report_consent("b") is None
    assert "Only you can agree in your name. Type your passphrase" in html_of(page.consent)


def test_the_page_is_in_every_pages_navigation(sam: Session) -> None:
    nav = pages.nav_links(sam, 3).value
    assert "12_counsellor.ipynb?wb=sam-and-alex&amp;who=a" in nav
    assert "For your counsellor" in nav
    assert "For your counsellor" not in pages.nav_links(sam, "counsellor").value
