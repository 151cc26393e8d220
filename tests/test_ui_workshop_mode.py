"""Workshop mode: couples open their workbook with a join code, never by a guessable name."""

from __future__ import annotations

from pathlib import Path

import pytest
from widget_utils import html_of

from workbook import workshop
from workbook.ui import pages
from workbook.ui.base import esc, resolve_session


@pytest.fixture
def room(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> list[workshop.CoupleCode]:
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")
    return workshop.create_couples(data_dir, 3)


def test_names_do_not_open_workbooks_in_a_workshop(room: list[workshop.CoupleCode]) -> None:
    found = resolve_session(query={"wb": room[0].name, "who": "a"})
    assert found == "In this workshop, open your workbook with your couple's code."
    page = pages.step_page(2, room[0].name, "a")
    assert "open your workbook with your couple" in html_of(page)
    assert "Writing as" not in html_of(page)


def test_a_code_opens_only_its_own_workbook(room: list[workshop.CoupleCode]) -> None:
    found = resolve_session(query={"code": room[1].code, "who": "b"})
    assert not isinstance(found, str)
    assert found.wb.name == room[1].name
    assert f"code={room[1].code}" in found.url(3)
    assert "wb=" not in found.url(3)
    unknown = resolve_session(query={"code": "ZZZZZZ", "who": "a"})
    assert isinstance(unknown, str)
    assert "code" in unknown.lower()


def test_start_page_joins_with_a_code(room: list[workshop.CoupleCode]) -> None:
    start = pages.StartPage()
    html = html_of(start)
    assert "Join your workbook" in html
    assert all(c.name not in html for c in room), "workshop start page lists couples"
    start.join_code.value = "nope99"
    start.join_button.click()
    assert start.status.kind == "error"
    start.join_code.value = room[2].code.lower()
    start.join_button.click()
    start.choose("a")
    html = html_of(start)
    assert esc(f"code={room[2].code}") in html
    assert esc(f"wb={room[2].name}") not in html


def test_serve_workshop_prints_the_facilitator_address(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from workbook import cli

    # Set (to empty) through monkeypatch so that what the command sets is undone afterwards.
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "")
    monkeypatch.setenv("WORKBOOK_FACILITATOR_KEY", "")
    args = cli.build_parser().parse_args(
        ["serve", "--workshop", "--host", "127.0.0.1", "--port", "9999"]
    )
    key = cli.announce_workshop(args)
    out = capsys.readouterr().out
    assert f"10_facilitator.ipynb?key={key}" in out
    assert len(key) >= 20
    import os

    assert os.environ["WORKBOOK_WORKSHOP"] == "1"
    assert os.environ["WORKBOOK_FACILITATOR_KEY"] == key
