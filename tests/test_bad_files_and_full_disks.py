"""Bad files and full disks lose nothing.

A hostile or damaged export is refused, with a clear message, before anything is written; one
private entry that does not open is shown as damaged and hides none of the others; a save onto
a full disk or a read-only file says exactly that and keeps what was typed.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import workbook
from workbook.store import CannotSave, open_workbook
from workbook.store.errors import DAMAGED, DISK_FULL, READ_ONLY
from workbook.store.exchange import MAX_EXPORT_BYTES
from workbook.ui.base import Session
from workbook.ui.checkin import CheckInForm

Doc = dict[str, Any]


def _private(doc: Doc) -> dict[str, Any]:
    return next(r for r in doc["reflections"] if r["visibility"] == "private")


def _shared(doc: Doc) -> dict[str, Any]:
    return next(r for r in doc["reflections"] if r["visibility"] == "shared")


def _step_999(doc: Doc) -> None:
    _shared(doc)["step"] = 999


def _plain_text_in_private(doc: Doc) -> None:
    _private(doc)["text"] = "written in the clear"


def _private_without_sealed_text(doc: Doc) -> None:
    _private(doc)["text_sealed"] = None


def _sealed_text_not_base64(doc: Doc) -> None:
    _private(doc)["text_sealed"] = "not base64 at all!"


def _sealed_text_cut_short(doc: Doc) -> None:
    row = _private(doc)
    row["text_sealed"] = base64.b64encode(base64.b64decode(row["text_sealed"])[:10]).decode()


def _sealed_text_in_a_shared_row(doc: Doc) -> None:
    _shared(doc)["text_sealed"] = _private(doc)["text_sealed"]


def _private_checkin_with_plain_note(doc: Doc) -> None:
    row = doc["checkins"][0]
    row["visibility"], row["note"] = "private", "in the clear"


def _bad_date(doc: Doc) -> None:
    doc["promises"][0]["made"] = "yesterday"


def _rows_not_a_list(doc: Doc) -> None:
    doc["selfcare"] = {"evil": 1}


def _unknown_column(doc: Doc) -> None:
    doc["checkins"][0]["rowid); DROP TABLE meta; --"] = 1


def _huge_answer(doc: Doc) -> None:
    _shared(doc)["text"] = "x" * 100_000


def _csi4_out_of_range(doc: Doc) -> None:
    doc["csi4"][0]["i1"] = 17


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        (_step_999, "reflections row .*Step"),
        (_plain_text_in_private, "private reflection holds plain text"),
        (_private_without_sealed_text, "sealed text is missing"),
        (_sealed_text_not_base64, "could not be imported"),
        (_sealed_text_cut_short, "too short to be sealed text"),
        (_sealed_text_in_a_shared_row, "shared reflection holds sealed text"),
        (_private_checkin_with_plain_note, "private check-in holds plain text"),
        (_bad_date, "promises row 1"),
        (_rows_not_a_list, "selfcare are not a list"),
        (_unknown_column, "unknown column"),
        (_huge_answer, "reflections row"),
        (_csi4_out_of_range, "csi4 row 1"),
    ],
)
def test_a_hostile_export_is_refused_before_anything_is_written(
    demo: workbook.Workbook, data_dir: Path, tamper: Callable[[Doc], None], message: str
) -> None:
    doc = json.loads(demo.export_json())
    tamper(doc)
    before = sorted(p.name for p in data_dir.iterdir())
    with pytest.raises(workbook.ValidationError, match=message) as refused:
        workbook.import_json(json.dumps(doc), "imported", data_dir=data_dir)
    assert "Nothing was imported" in str(refused.value)
    assert sorted(p.name for p in data_dir.iterdir()) == before, "something was written"


def test_a_huge_file_is_refused_by_its_size(data_dir: Path) -> None:
    text = '{"format": "healing-together-workbook", "x": "' + "x" * 200 * 2**20 + '"}'
    with pytest.raises(workbook.ValidationError, match="too large to be a workbook export"):
        workbook.import_json(text, "imported", data_dir=data_dir)
    with pytest.raises(workbook.ValidationError, match="too large"):
        workbook.import_json(text[: MAX_EXPORT_BYTES + 1].encode(), "imported", data_dir=data_dir)
    assert not data_dir.exists() or workbook.list_names(data_dir) == []


def test_json_nested_too_deep_gets_a_message_not_a_recursion_error(data_dir: Path) -> None:
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(workbook.ValidationError, match="nested far too deep"):
        workbook.import_json(text, "imported", data_dir=data_dir)


def test_an_untouched_export_still_imports(demo: workbook.Workbook, data_dir: Path) -> None:
    copy = workbook.import_json(demo.export_json(), "copy", data_dir=data_dir)
    copy.unlock("a", "sam demo passphrase")
    assert any(r.visibility == "private" for r in copy.reflections(viewer="a"))
    copy.close()


# --- one damaged private entry hides none of the others -----------------------------------------


def test_a_private_entry_that_does_not_open_is_shown_as_damaged_beside_the_others(
    wb: workbook.Workbook, caplog: pytest.LogCaptureFixture
) -> None:
    wb.set_passphrase("a", "a long passphrase for sam")
    for text in ("first", "second", "third"):
        wb.add_reflection("a", 2, "what-happened", text, visibility="private")
    wb.add_checkin("a", 5, 5, "a private note", visibility="private")
    wb.add_checkin("a", 7, 6, "another private note", visibility="private")
    # Flip one byte inside the ciphertext of the second entry and of the first check-in.
    con = sqlite3.connect(wb.path)
    blob = con.execute("SELECT text_sealed FROM reflections WHERE id = 2").fetchone()[0]
    con.execute(
        "UPDATE reflections SET text_sealed = ? WHERE id = 2",
        (blob[:-1] + bytes([blob[-1] ^ 1]),),
    )
    note = con.execute("SELECT note_sealed FROM checkins WHERE id = 1").fetchone()[0]
    con.execute(
        "UPDATE checkins SET note_sealed = ? WHERE id = 1", (note[:20] + b"\0" + note[21:],)
    )
    con.commit()
    con.close()
    assert [r.text for r in wb.reflections(step=2, viewer="a")] == ["first", DAMAGED, "third"]
    # A private check-in's numbers are sealed with its note: a damaged one has nothing to
    # show, and is left out (said once in the log); the other is shown.
    caplog.clear()
    assert [(c.mood, c.trust, c.note) for c in wb.checkins(viewer="a")] == [
        (7, 6, "another private note")
    ]
    assert [r.getMessage() for r in caplog.records] == [
        "A private entry in checkins (id 1) cannot be decrypted."
    ], "one damaged check-in, said once"


def test_a_tampered_ciphertext_in_an_export_hides_nothing_else(
    demo: workbook.Workbook, data_dir: Path
) -> None:
    """Whether sealed text opens needs its author's passphrase, which an import has not: a
    well-formed but tampered ciphertext is imported, and read as one damaged entry."""
    demo.unlock("a", "sam demo passphrase")
    wanted = [r.text for r in demo.reflections(viewer="a") if r.visibility == "private"]
    doc = json.loads(demo.export_json())
    row = _private(doc)
    blob = bytearray(base64.b64decode(row["text_sealed"]))
    blob[-1] ^= 1
    row["text_sealed"] = base64.b64encode(bytes(blob)).decode()
    copy = workbook.import_json(json.dumps(doc), "copy", data_dir=data_dir)
    copy.unlock("a", "sam demo passphrase")
    got = [r.text for r in copy.reflections(viewer="a") if r.visibility == "private"]
    assert got == [DAMAGED, *wanted[1:]]
    copy.close()


# --- a save that cannot reach the disk ------------------------------------------------------------


def _typed_checkin(wb: workbook.Workbook) -> CheckInForm:
    form = CheckInForm(Session(wb=wb, who="a"))
    form.mood.value, form.trust.value = 4, 6
    form.note.value = "We talked for an hour, the first time in weeks."
    return form


def _says_so_and_keeps_the_text(form: CheckInForm, wb: workbook.Workbook, expected: str) -> None:
    assert form.status.kind == "error"
    assert form.status.message == expected
    assert "reload" not in form.status.message.lower()
    assert form.note.value == "We talked for an hour, the first time in weeks."
    assert (form.mood.value, form.trust.value) == (4, 6)
    assert wb.checkins() == []


def test_a_save_on_a_full_disk_says_so_and_keeps_the_typed_text(wb: workbook.Workbook) -> None:
    form = _typed_checkin(wb)
    # SQLite's own "database or disk is full": the file may not grow by a single page.
    pages = wb._con.execute("PRAGMA page_count").fetchone()[0]
    wb._con.execute(f"PRAGMA max_page_count = {pages}")
    form.note.value += " " + "x" * 10_000  # more than the free space left in the last page
    typed = form.note.value
    form.save.click()
    assert form.status.message == DISK_FULL
    assert "reload" not in form.status.message.lower()
    assert form.note.value == typed
    assert wb.checkins() == []
    wb._con.execute(f"PRAGMA max_page_count = {pages * 100}")  # space freed: Save works
    form.save.click()
    assert form.status.kind == "ok"
    assert [c.note for c in wb.checkins()] == [typed]


def test_a_save_onto_a_read_only_file_says_so_and_keeps_the_typed_text(
    data_dir: Path,
) -> None:
    workbook.create("ro", "Sam", "Alex", data_dir=data_dir).close()
    wb = open_workbook("ro", data_dir=data_dir)
    path = wb.path
    form = _typed_checkin(wb)
    # The file opened read-only, as when the file or its folder cannot be written.
    wb._con.close()
    wb._con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    form.save.click()
    _says_so_and_keeps_the_text(form, wb, READ_ONLY)
    wb.close()


def test_the_store_turns_sqlite_write_failures_into_clear_errors(wb: workbook.Workbook) -> None:
    wb._con.execute("PRAGMA query_only = ON")
    with pytest.raises(CannotSave, match="read-only"):
        wb.add_checkin("a", 5, 5)
    wb._con.execute("PRAGMA query_only = OFF")
    assert wb.add_checkin("a", 5, 5).mood == 5
