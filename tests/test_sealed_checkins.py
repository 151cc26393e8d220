"""A private check-in's numbers are sealed with its note: the file does not hold them.

The wary-partner walk read, in the data folder, "mood 3, trust 2" of a check-in its author had
kept private ("mood, trust and note, for me only"). Since schema 8 mood and trust are NULL in
the file for a private check-in, and open with the author's key; older private check-ins are
sealed when their author next unlocks.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

import workbook
from workbook.store import SCHEMA_VERSION, Workbook

PASS = "slow river under the bridge"


@pytest.fixture
def book(new_book: Callable[[str, str, str], Workbook]) -> Workbook:
    wb = new_book("maya-and-jordan", "Maya", "Jordan")
    wb.set_passphrase("a", PASS)
    return wb


def stored(wb: Workbook) -> list[tuple[object, ...]]:
    con = sqlite3.connect(wb.path)
    try:
        return con.execute(
            "SELECT visibility, mood, trust, note FROM checkins ORDER BY id"
        ).fetchall()
    finally:
        con.close()


def test_a_private_checkin_keeps_its_numbers_out_of_the_file(book: Workbook) -> None:
    book.add_checkin("a", 3, 2, "he shouted again", visibility="private")
    book.add_checkin("a", 6, 5, "a calm evening")
    assert stored(book) == [("private", None, None, ""), ("shared", 6, 5, "a calm evening")]
    mine = book.checkins(viewer="a")
    assert [(c.mood, c.trust, c.note, c.visibility) for c in mine] == [
        (3, 2, "he shouted again", "private"),
        (6, 5, "a calm evening", "shared"),
    ]
    assert [c.mood for c in book.checkins(viewer="b")] == [6]
    assert book.private_checkin_count("a") == 1
    book.lock("a")
    assert [c.mood for c in book.checkins(viewer="a")] == [6]


def test_corrections_move_the_numbers_in_and_out_of_the_seal(book: Workbook) -> None:
    c = book.add_checkin("a", 4, 4, "", visibility="shared")
    assert c.id is not None
    book.edit_checkin(c.id, author="a", mood=3, trust=2, note="kept", visibility="private")
    assert stored(book) == [("private", None, None, "")]
    assert [(x.mood, x.trust, x.note) for x in book.checkins(viewer="a")] == [(3, 2, "kept")]
    book.edit_checkin(c.id, author="a", mood=5, trust=6, note="shared now", version=2)
    assert stored(book) == [("shared", 5, 6, "shared now")]


def test_older_private_checkins_are_sealed_when_their_author_unlocks(book: Workbook) -> None:
    """A private check-in saved by schema 7 held its numbers plainly, its note sealed."""
    c = book.add_checkin("a", 5, 5, "", visibility="private")
    old_note = book._keyring.seal("checkins", "a", "an older note")
    con = sqlite3.connect(book.path)
    con.execute(
        "UPDATE checkins SET mood = 3, trust = 2, note_sealed = ? WHERE id = ?", (old_note, c.id)
    )
    con.commit()
    con.close()
    book.lock("a")
    page = workbook.open(book.path)
    try:
        assert stored(page) == [("private", 3, 2, "")]
        page.unlock("a", PASS)
        assert stored(page) == [("private", None, None, "")]
        assert [(x.mood, x.trust, x.note) for x in page.checkins(viewer="a")] == [
            (3, 2, "an older note")
        ]
    finally:
        page.close()


def test_a_version_7_file_is_rebuilt_with_its_checkins(old_file: Callable[..., Path]) -> None:
    path = old_file(
        7,
        "INSERT INTO checkins (author, at, mood, trust, note, visibility)"
        " VALUES ('a', '2026-11-01T10:00:00+00:00', 4, 3, 'a shared day', 'shared')",
        "INSERT INTO checkins (author, at, mood, trust, note, note_sealed, visibility)"
        " VALUES ('b', '2026-11-02T10:00:00+00:00', 2, 1, '', NULL, 'private')",
    )
    opened = workbook.open(path)
    try:
        con = sqlite3.connect(path)
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("SELECT id, mood, trust FROM checkins ORDER BY id").fetchall() == [
            (1, 4, 3),
            (2, 2, 1),
        ]
        with pytest.raises(sqlite3.IntegrityError):
            con.execute(
                "INSERT INTO checkins (author, at, visibility)"
                " VALUES ('a', '2026-11-03T10:00:00+00:00', 'shared')"
            )
        con.close()
        assert [(c.mood, c.note) for c in opened.checkins()] == [(4, "a shared day")]
    finally:
        opened.close()


def test_an_export_keeps_the_sealed_numbers_and_they_open_after_import(
    book: Workbook, data_dir: Path
) -> None:
    book.add_checkin("a", 3, 2, "only mine", visibility="private")
    text = book.export_json()
    assert '"mood": null' in text
    copy = workbook.import_json(text, "copy", data_dir=data_dir)
    try:
        assert copy.checkins(viewer="a") == []
        copy.unlock("a", PASS)
        assert [(c.mood, c.trust, c.note) for c in copy.checkins(viewer="a")] == [
            (3, 2, "only mine")
        ]
    finally:
        copy.close()


def test_a_shared_checkin_without_numbers_in_an_export_is_refused(
    book: Workbook, data_dir: Path
) -> None:
    book.add_checkin("a", 6, 6, "shared")
    text = book.export_json().replace('"mood": 6', '"mood": null', 1)
    with pytest.raises(workbook.ValidationError, match="Nothing was imported"):
        workbook.import_json(text, "copy", data_dir=data_dir)
