"""Issue 18, item 1: nothing done on step 8 leaves a trace the other partner can see.

The store refuses step-8 progress, reads never return it (even from a file an older version
wrote), a migration deletes it with its bytes, backups and imports drop it, and every view that
reads progress (the step-8 page, the start map, the facilitator's table, the charts'
milestones, exports and worksheets) shows step 8 the same way whatever anyone did there.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import ipywidgets as widgets
import pytest
from widget_utils import html_of, walk

import workbook
from workbook import store
from workbook.aggregates import progress_table
from workbook.domain import RECORDED_STEPS, StepProgress, ValidationError
from workbook.paths import SUFFIX
from workbook.ui import facilitator, pages
from workbook.ui import start as start_ui
from workbook.ui.base import Session
from workbook.worksheets import worksheet_html

NOTE = "STEP8-NOTE-Read-it-not-sure-yet"


def _old_step8_row(path: Path, *, version: int = 3) -> None:
    """Write step-8 progress as an older version could, and mark the file as that version."""
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO progress (author, step, done, how_it_went, at) VALUES ('a', 8, 1, ?, ?)",
        (NOTE, datetime(2026, 11, 2, 10, tzinfo=UTC).isoformat()),
    )
    con.execute(
        "INSERT INTO progress (author, step, done, how_it_went, at) VALUES ('b', 2, 1, '', ?)",
        (datetime(2026, 11, 1, 10, tzinfo=UTC).isoformat(),),
    )
    con.execute(f"PRAGMA user_version = {version}")
    con.commit()
    con.close()


def test_the_store_refuses_step_8_progress_and_saves_nothing(wb: workbook.Workbook) -> None:
    with pytest.raises(ValidationError, match="Step 8 is never marked done"):
        wb.mark_step("a", 8, how_it_went=NOTE)
    with pytest.raises(ValidationError, match="Nothing was saved"):
        wb.mark_step("b", 8, done=False)
    with pytest.raises(ValidationError):
        StepProgress(author="a", step=8, done=True)
    assert wb.progress() == []
    raw = wb._con.execute("SELECT COUNT(*) FROM progress").fetchone()[0]
    assert raw == 0
    assert RECORDED_STEPS == (1, 2, 3, 4, 5, 6, 7)


def test_an_old_file_with_step_8_marks_loses_them_bytes_and_all(data_dir: Path) -> None:
    workbook.create("old", "Maya", "Jordan", data_dir=data_dir).close()
    path = data_dir / f"old{SUFFIX}"
    _old_step8_row(path)
    assert NOTE.encode() in path.read_bytes()  # the test's premise: the note is on disk

    opened = workbook.open("old", data_dir=data_dir)
    try:
        assert [(p.author, p.step) for p in opened.progress()] == [("b", 2)]
        assert opened.steps_done("a") == set()
        assert [label for _, label in opened.milestones()] == ["Step 2"]
        assert NOTE not in opened.export_json()
        version = opened._con.execute("PRAGMA user_version").fetchone()[0]
        assert version == store.SCHEMA_VERSION
        # Gone from the file and its WAL, and from the copy kept before migrating.
        for f in (path, path.with_name(path.name + "-wal")):
            if f.exists():
                assert NOTE.encode() not in f.read_bytes(), f.name
        assert opened.backup_path is not None
        assert NOTE.encode() not in opened.backup_path.read_bytes()
        backup = sqlite3.connect(opened.backup_path)
        assert backup.execute("SELECT author, step FROM progress").fetchall() == [("b", 2)]
        backup.close()
    finally:
        opened.close()


def test_reads_skip_step_8_rows_whatever_put_them_there(wb: workbook.Workbook) -> None:
    # A row written behind the library's back (a hand-edited file) is still never shown.
    with wb._write() as con:
        con.execute(
            "INSERT INTO progress (author, step, done, how_it_went, at) VALUES ('a', 8, 1, ?, ?)",
            (NOTE, datetime.now(UTC).isoformat()),
        )
    assert wb.progress() == []
    assert wb.progress("a") == []
    assert wb.milestones() == []
    assert NOTE not in wb.export_json()


def test_an_export_from_an_older_version_imports_without_step_8(
    wb: workbook.Workbook, data_dir: Path
) -> None:
    wb.mark_step("a", 1, how_it_went="fine")
    doc = json.loads(wb.export_json())
    doc["progress"].append(
        {"author": "a", "step": 8, "done": True, "how_it_went": NOTE, "at": "2026-11-02T10:00"}
    )
    doc["reflections"].append(
        {
            "author": "a",
            "step": 8,
            "prompt": "x",
            "text": NOTE,
            "visibility": "shared",
            "at": "2026-11-02T10:00:00+00:00",
        }
    )
    restored = workbook.import_json(json.dumps(doc), "restored", data_dir=data_dir)
    try:
        assert [(p.author, p.step) for p in restored.progress()] == [("a", 1)]
        assert NOTE.encode() not in (data_dir / f"restored{SUFFIX}").read_bytes()
        assert all(r.step != 8 for r in restored.reflections(viewer=None))
    finally:
        restored.close()


def _step8_widgets(page: widgets.Widget) -> list[str]:
    return [w.description for w in walk(page) if isinstance(w, widgets.Button)]


def test_step_8_page_offers_no_done_mark_and_says_why(sam: Session, alex: Session) -> None:
    page = pages.StepPage(sam, 8)
    html = html_of(page)
    assert "Mark this step done" not in _step8_widgets(page)
    assert "Worksheet with our shared answers" not in _step8_widgets(page)
    assert "Finished this step?" not in html
    assert "This page leaves no trace" in html
    assert "Nothing you do on this page is saved" in html
    # Other steps keep theirs.
    assert "Mark this step done" in _step8_widgets(pages.StepPage(sam, 7))


def test_partner_views_are_the_same_whatever_was_done_on_step_8(
    wb: workbook.Workbook, sam: Session, alex: Session, data_dir: Path
) -> None:
    before_map = html_of(start_ui.StepMap(alex))
    before_page = html_of(pages.StepPage(alex, 8))
    before_table = facilitator.progress_html(progress_table(data_dir))
    with pytest.raises(ValidationError):
        wb.mark_step("a", 8, how_it_went=NOTE)
    with wb._write() as con:  # and even a row an older version left
        con.execute(
            "INSERT INTO progress (author, step, done, how_it_went, at) VALUES ('a', 8, 1, ?, ?)",
            (NOTE, datetime.now(UTC).isoformat()),
        )
    after_map = html_of(start_ui.StepMap(alex))
    assert after_map == before_map
    assert html_of(pages.StepPage(alex, 8)) == before_page
    assert facilitator.progress_html(progress_table(data_dir)) == before_table
    assert "0 of 7 steps done" in after_map
    assert "(nothing here is saved)" in after_map
    assert NOTE not in worksheet_html(8, wb)
    assert "of 7" in before_table


def test_the_map_counts_seven_recordable_steps(wb: workbook.Workbook, sam: Session) -> None:
    for step in RECORDED_STEPS:
        wb.mark_step("a", step)
    html = html_of(start_ui.StepMap(sam))
    assert "7 of 7 steps done" in html
    assert "max='7' value='7'" in html


def test_the_safety_check_says_what_the_browser_keeps_before_its_questions() -> None:
    """The wary-partner walk found step 8's address in the browser's history; the page said
    so only at its foot, below the questions a hurried person answers first."""
    from workbook.ui.safety import SafetyCheck

    check = SafetyCheck()
    order = list(walk(check))
    [note] = [
        i
        for i, w in enumerate(order)
        if isinstance(w, widgets.HTML) and "history does keep this page" in w.value
    ]
    assert note < order.index(check.questions[0]), "the note comes before the questions"
    assert "private window" in order[note].value
