"""Join-code slips: a page to print and cut, one slip per couple (facilitator page, README
"Running a workshop"), so the codes reach the couples on paper and not on a projected screen."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest

from workbook import workshop
from workbook.domain import ValidationError
from workbook.slips import SLIPS_FILENAME, slips_filename, slips_html
from workbook.ui import facilitator
from workbook.workshop import CoupleCode, couple_codes, format_code

ROOM = [
    CoupleCode("couple-01", "KT7Q4MXP9RWA"),
    CoupleCode("couple-02", "HN3C8VDE2LJF"),
    CoupleCode("<b>odd</b>", "PQ4R5S6T7U8V"),
]


def test_a_slip_per_couple_with_its_code_and_how_to_join() -> None:
    page = slips_html(ROOM)
    assert page.count("class='slip'") == 3
    for couple in ROOM:
        assert format_code(couple.code) in page
    assert "couple-01" in page
    assert "&lt;b&gt;odd&lt;/b&gt;" in page, "a name is escaped"
    assert "<b>odd" not in page
    assert "Join your workbook" in page, "it names the start page's card"
    assert "never what you write" in page
    assert "<script" not in page
    printed = page[page.index("@media print") :]
    assert ".cut { display: none; }" in printed, "the cutting note is for the screen only"
    assert "default-src 'none'" in page


def test_slips_in_spanish() -> None:
    page = slips_html(ROOM[:1], lang="es")
    assert "<html lang='es'>" in page
    assert "Entra a tu cuaderno" in page
    assert "Type this code" not in page


def test_no_couples_no_slips() -> None:
    with pytest.raises(ValidationError, match="create them first"):
        slips_html([])


def _downloads(html: str) -> dict[str, str]:
    """Each download link's file name and decoded content."""
    return {
        name: base64.b64decode(data).decode("utf-8")
        for name, data in re.findall(
            r"download='([^']+)' href='data:text/html;charset=utf-8;"
            r"base64,([^']+)'",
            html,
        )
    }


def test_the_facilitator_prints_slips_for_new_codes_and_for_every_couple(data_dir: Path) -> None:
    dash = facilitator.FacilitatorDashboard(data_dir)
    assert dash.all_slips.value == "", "no couples, no slips"
    dash.count.value = 2
    dash.create_button.click()
    made = couple_codes(data_dir)
    new = _downloads(dash.codes.value)[SLIPS_FILENAME]
    assert all(format_code(c.code) in new for c in made)
    assert "Print the 2 slips with these codes" in dash.codes.value

    dash.count.value = 1
    dash.create_button.click()
    room = couple_codes(data_dir)
    assert len(room) == 3
    every = _downloads(dash.all_slips.value)[SLIPS_FILENAME]
    assert every.count("class='slip'") == 3
    assert all(format_code(c.code) in every for c in room)
    assert "all 3 couples" in dash.all_slips.value
    # The link carries the codes, but none is shown on the page's screen.
    assert not any(format_code(c.code) in dash.progress.value for c in room)

    # A replaced code: the slip of the new one, and the list of all follows.
    dash.replace_which.value = room[0].name
    dash.replace_button.click()
    dash.replace_button.click()  # the second press replaces
    code = workshop.join_code(room[0].name, data_dir)
    assert code is not None
    one = _downloads(dash.new_code.value)
    assert list(one) == [f"join-code-slip-{room[0].name}.html"], "not taken for the room's"
    assert format_code(code) in one[slips_filename([room[0]])]
    assert "Print the slip with this code" in dash.new_code.value
    assert format_code(code) in _downloads(dash.all_slips.value)[SLIPS_FILENAME]
    assert format_code(room[0].code) not in _downloads(dash.all_slips.value)[SLIPS_FILENAME]
