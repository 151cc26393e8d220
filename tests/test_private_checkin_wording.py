"""Issue 18, item 6: what the pages say about private check-ins is true, and the same everywhere.

To the other partner: the count of private check-ins the charts leave out (as README and
SECURITY.md say), never "has not checked in" when private ones exist. To the writer while
locked: how many private check-ins they have and that unlocking shows them, never "No
check-ins yet".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from widget_utils import html_of

import workbook
from workbook import stats
from workbook.ui.base import Session
from workbook.ui.checkin import CheckInForm
from workbook.ui.trends import TrendsDashboard

NAMES = {"a": "Maya", "b": "Jordan"}
#: These tests read what the pages say, not how the charts look.
pytestmark = pytest.mark.usefixtures("low_dpi_charts")


def test_summaries_never_say_not_checked_in_of_a_private_only_partner() -> None:
    private = {"a": 0, "b": 1}
    today = date(2026, 12, 4)
    said = "Jordan has 1 private check-in in this period; the charts leave it out."
    trend = stats.summarize_mood_trust([], NAMES, today=today, private=private, viewer="a")
    assert said in trend
    assert "No check-ins yet" not in trend
    assert "Jordan has not checked in" not in trend
    calendar = stats.summarize_calendar([], NAMES, year=2026, private=private, viewer="a")
    assert calendar == said
    # The writer's own, while locked: unlock to include them.
    own = stats.summarize_calendar([], NAMES, year=2026, private={"a": 2}, viewer="a")
    assert "You have 2 private check-ins in this period; unlock to include them." in own


@pytest.fixture
def wb(new_book: Callable[[str, str, str], workbook.Workbook]) -> workbook.Workbook:
    """Maya and Jordan; Jordan has checked in privately an hour ago and locked."""
    book = new_book("maya-jordan", "Maya", "Jordan")
    book.set_passphrase("b", "jordan passphrase")
    at = datetime.now().astimezone() - timedelta(hours=1)
    book.add_checkin("b", 3, 4, "only mine", at=at, visibility="private")
    book.lock("b")
    return book


def test_the_partners_trends_page_says_one_true_thing(wb: workbook.Workbook) -> None:
    maya = TrendsDashboard(Session(wb=wb, who="a"))
    html = html_of(maya)
    said = "Jordan has 1 private check-in in this period; the charts leave it out."
    assert said in html
    assert "Jordan has not checked in" not in html
    assert "No check-ins from Jordan" not in html
    assert "only mine" not in html


def test_the_writer_locked_is_told_how_many_private_check_ins_wait(wb: workbook.Workbook) -> None:
    form = CheckInForm(Session(wb=wb, who="b"))
    assert "No check-ins yet" not in form.recent.value
    assert "You have 1 private check-in; unlock to see it." in form.recent.value
    jordan = TrendsDashboard(Session(wb=wb, who="b"))
    html = html_of(jordan)
    assert "You have 1 private check-in in this period; unlock to include it." in html
    assert "Jordan has not checked in" not in html
    # Unlocked, the check-in itself shows and the count goes.
    wb.unlock("b", "jordan passphrase")
    form.refresh()
    assert "only mine" in form.recent.value
    assert "unlock to see" not in form.recent.value
