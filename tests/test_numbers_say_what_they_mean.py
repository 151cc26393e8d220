"""Numbers on the pages say what they mean, in the right number (issue 22, item 7)."""

from __future__ import annotations

from datetime import date, timedelta

from widget_utils import html_of

from workbook import Workbook
from workbook.domain import Promise
from workbook.ui.base import Session
from workbook.ui.passphrase import PassphrasePanel
from workbook.ui.satisfaction import SatisfactionCheck
from workbook.ui.trust import keeping_summary

NAMES = {"a": "Sam", "b": "Alex"}


def _promises(*statuses: str) -> list[Promise]:
    day = date(2026, 1, 1)
    return [
        Promise(
            author="a",
            text=f"promise {i}",
            made=day,
            status=status,  # type: ignore[arg-type]
            resolved=None if status == "open" else day + timedelta(days=1),
        )
        for i, status in enumerate(statuses)
    ]


def test_one_promise_is_said_in_the_singular_with_what_was_counted() -> None:
    assert keeping_summary(_promises("kept"), NAMES) == (
        "Sam kept 1 of 1 promise marked kept or broken."
    )
    assert keeping_summary(_promises("kept", "kept", "broken", "open", "open"), NAMES) == (
        "Sam kept 2 of 3 promises marked kept or broken (67%); 2 are still open."
    )
    assert keeping_summary(_promises("broken", "open"), NAMES) == (
        "Sam kept 0 of 1 promise marked kept or broken; 1 is still open."
    )
    assert keeping_summary(_promises("open"), NAMES) == "Sam has 1 open promise."


def test_the_unlock_panel_says_it_for_one_entry_and_them_for_several(
    wb: Workbook, sam: Session
) -> None:
    wb.set_passphrase("a", "sam's own passphrase")
    wb.add_reflection("a", 6, "journal", "one", visibility="private")
    wb.lock("a")
    panel = PassphrasePanel(sam.privacy)
    text = panel.info.value
    assert "You have 1 private entry. Type your passphrase to open it; it stays open" in text
    assert "until you lock it, or until 15 minutes pass without you using the workbook" in text
    assert "them" not in text
    wb.unlock("a", "sam's own passphrase")
    wb.add_reflection("a", 6, "journal", "two", visibility="private")
    wb.lock("a")
    panel.render()
    assert "You have 2 private entries. Type your passphrase to open them; they stay" in (
        panel.info.value
    )


def test_the_start_pages_total_explains_the_line_kindly(wb: Workbook, sam: Session) -> None:
    wb.add_csi4("a", (1, 2, 2, 2), day=date.today())
    text = html_of(SatisfactionCheck(sam))
    assert "Your last total was 7 of 21 (below the 13.5 line)" in text
    assert "The 13.5 line comes from the questionnaire&#39;s authors" in text
    assert "a sign to talk things through rather than a verdict on either of you." in text
