"""The SQLite store: entries, privacy, file safety, migrations, export and concurrency."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import workbook
from workbook import store
from workbook.paths import SUFFIX, path_for

# -- creating and opening -----------------------------------------------------------------


def test_create_and_reopen(wb: workbook.Workbook, data_dir: Path) -> None:
    wb.add_checkin("a", 6, 5, "Talked at dinner")
    wb.close()
    again = workbook.open("sam-and-alex")
    assert [p.name for p in again.partners] == ["Sam", "Alex"]
    [c] = again.checkins()
    assert (c.author, c.mood, c.trust, c.note) == ("a", 6, 5, "Talked at dinner")
    assert again.name == "sam-and-alex"
    assert workbook.list_names(data_dir) == ["sam-and-alex"]
    again.close()


def test_files_are_private(wb: workbook.Workbook, data_dir: Path) -> None:
    wb.add_checkin("a", 5, 5)
    assert data_dir.stat().st_mode & 0o777 == 0o700
    files = list(data_dir.iterdir())
    assert {f.name for f in files} >= {f"sam-and-alex{SUFFIX}", f"sam-and-alex{SUFFIX}-wal"}
    for f in files:
        assert f.stat().st_mode & 0o777 == 0o600, f"{f.name} is {oct(f.stat().st_mode)}"


def test_create_refuses_duplicates_and_same_names(wb: workbook.Workbook, data_dir: Path) -> None:
    with pytest.raises(workbook.WorkbookExists, match="already exists"):
        workbook.create("sam-and-alex", "Sam", "Alex", data_dir=data_dir)
    with pytest.raises(workbook.ValidationError, match="different names"):
        workbook.create("twins", "Sam", "sam", data_dir=data_dir)
    with pytest.raises(workbook.ValidationError, match="name is empty"):
        workbook.create("nobody", "", "Alex", data_dir=data_dir)
    assert workbook.list_names(data_dir) == ["sam-and-alex"]


@pytest.mark.parametrize(
    "name", ["../evil", "/etc/passwd", "a/b", "..", "Sam And Alex", "x" * 49, "", "a\x00b", "é"]
)
def test_names_cannot_escape_the_data_folder(name: str, data_dir: Path) -> None:
    with pytest.raises(workbook.BadName, match=r"cannot be used as a workbook name|Give the"):
        workbook.create(name, "Sam", "Alex", data_dir=data_dir)
    with pytest.raises(workbook.BadName):
        workbook.open(name)
    assert not data_dir.exists() or list(data_dir.iterdir()) == []


def test_open_missing_name(data_dir: Path) -> None:
    with pytest.raises(workbook.WorkbookNotFound, match="no workbook called 'nobody'"):
        workbook.open("nobody")


def test_path_for_stays_inside(data_dir: Path) -> None:
    assert path_for("ok-name", data_dir).parent == data_dir.resolve()


# -- bad files are refused and never modified ------------------------------------------------


def _digest(path: Path) -> bytes:
    return path.read_bytes()


def test_not_a_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    f = tmp_path / "notes.txt"
    f.write_text("just some notes")
    with pytest.raises(workbook.NotAWorkbook, match="not a SQLite file"):
        workbook.open(f)
    assert f.read_text() == "just some notes"
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with pytest.raises(workbook.NotAWorkbook):
        workbook.open(empty)
    assert empty.read_bytes() == b""


def test_other_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    f = tmp_path / "other.sqlite3"
    con = sqlite3.connect(f)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = _digest(f)
    with pytest.raises(workbook.NotAWorkbook, match="not a Healing Together workbook"):
        workbook.open(f)
    assert _digest(f) == before
    assert list(tmp_path.iterdir()) == [f]


def test_newer_file_is_refused_untouched(wb: workbook.Workbook) -> None:
    path = wb.path
    wb.close()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {store.SCHEMA_VERSION + 1}")
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = _digest(path)
    with pytest.raises(workbook.NewerWorkbook, match="newer version of Healing Together"):
        workbook.open(path)
    assert _digest(path) == before


def test_damaged_file_is_refused_untouched(wb: workbook.Workbook) -> None:
    for i in range(300):
        wb.add_reflection("a", 2, "what-happened", f"entry {i} " + "words " * 40)
    path = wb.path
    wb.close()
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > 8 * page
    for offset in range(3 * page, 6 * page, 7):  # scribble over pages in the middle
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(workbook.DamagedWorkbook, match="damaged"):
        workbook.open(path)
    assert _digest(path) == before


def test_migration_from_version_1_keeps_a_backup(old_file: Callable[..., Path]) -> None:
    path = old_file(
        1,
        "INSERT INTO checkins (author, at, mood, trust, visibility)"
        " VALUES ('a', '2025-01-01T10:00:00+00:00', 4, 3, 'shared')",
    )

    opened = workbook.open(path)
    assert opened.backup_path is not None
    backup = sqlite3.connect(opened.backup_path)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT mood, trust FROM checkins").fetchall() == [(4, 3)]
    tables = {r[0] for r in backup.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "selfcare" not in tables  # the copy is the file as it was before migrating
    backup.close()
    assert opened.backup_path.stat().st_mode & 0o777 == 0o600
    assert [c.mood for c in opened.checkins()] == [4]
    assert opened.consent("a") is False  # the column added by migration 2
    opened.add_selfcare("a", "rest", 20)
    version = opened._con.execute("PRAGMA user_version").fetchone()[0]
    assert version == store.SCHEMA_VERSION
    opened.close()
    # A second open needs no migration and makes no second backup.
    again = workbook.open(path)
    assert again.backup_path is None
    again.close()


# -- entries -------------------------------------------------------------------------------


def test_checkins_filters(wb: workbook.Workbook) -> None:
    t0 = datetime(2026, 1, 10, 12, tzinfo=UTC)
    for i in range(5):
        wb.add_checkin("a" if i % 2 == 0 else "b", 3 + i, 4, at=t0 + timedelta(days=i))
    assert [c.mood for c in wb.checkins()] == [3, 4, 5, 6, 7]
    assert [c.mood for c in wb.checkins(partner="b")] == [4, 6]
    assert [c.mood for c in wb.checkins(since=t0 + timedelta(days=3))] == [6, 7]
    local_day = (t0 + timedelta(days=1)).astimezone().date()
    assert [c.mood for c in wb.checkins(since=local_day, until=local_day)] == [4]


def test_bad_checkin_changes_nothing(wb: workbook.Workbook) -> None:
    with pytest.raises(workbook.ValidationError, match="Trust must be a whole number"):
        wb.add_checkin("a", 5, 11)
    with pytest.raises(workbook.ValidationError, match="partner 'a' or 'b'"):
        wb.add_checkin("z", 5, 5)
    assert wb.checkins() == []


def test_promises_progress_csi4_selfcare(wb: workbook.Workbook) -> None:
    p = wb.add_promise("b", "Call when late", made=date(2026, 2, 1), due=date(2026, 2, 8))
    assert p.id is not None
    kept = wb.resolve_promise(p.id, "kept", on=date(2026, 2, 5))
    assert wb.promises() == [kept]
    with pytest.raises(workbook.ValidationError, match="That promise is no longer there"):
        wb.resolve_promise(999, "kept")
    with pytest.raises(workbook.ValidationError, match="cannot be kept before"):
        wb.resolve_promise(p.id, "kept", on=date(2026, 1, 1))
    assert wb.promises()[0].resolved == date(2026, 2, 5)

    wb.mark_step("a", 1, how_it_went="Hard but good")
    wb.mark_step("a", 1, how_it_went="Better the second time")
    wb.mark_step("b", 2, done=False)
    assert wb.steps_done("a") == {1}
    assert wb.steps_done("b") == set()
    assert [m[1] for m in wb.milestones()] == ["Step 1"]
    assert wb.progress("a")[0].how_it_went == "Better the second time"

    wb.add_csi4("a", (3, 3, 3, 3), day=date(2026, 2, 1))
    assert wb.csi4()[0].total == 12
    with pytest.raises(workbook.ValidationError):
        wb.add_csi4("a", (7, 3, 3, 3))
    assert len(wb.csi4()) == 1

    wb.add_selfcare("b", "mindfulness", 15, day=date(2026, 2, 2))
    assert wb.selfcare("b")[0].minutes == 15


def test_consent_is_off_by_default(wb: workbook.Workbook) -> None:
    assert (wb.consent("a"), wb.consent("b")) == (False, False)
    wb.set_consent("b", True)
    assert (wb.consent("a"), wb.consent("b")) == (False, True)


# -- private entries -------------------------------------------------------------------------


def test_private_text_is_encrypted_at_rest(wb: workbook.Workbook) -> None:
    secret = "I am not sure I can forgive yet"
    with pytest.raises(workbook.Locked, match="passphrase"):
        wb.add_reflection("a", 6, "journal", secret, visibility="private")
    assert wb.reflections(viewer="a") == []
    wb.set_passphrase("a", "correct horse battery")
    wb.add_reflection("a", 6, "journal", secret, visibility="private")
    wb.add_checkin("a", 4, 3, "private note about " + secret, visibility="private")
    wb.close()
    for f in wb.path.parent.iterdir():
        assert b"forgive" not in f.read_bytes(), f"private text readable in {f.name}"


def test_private_entries_only_for_their_unlocked_author(wb: workbook.Workbook) -> None:
    wb.set_passphrase("a", "correct horse battery")
    wb.add_reflection("a", 6, "journal", "mine alone", visibility="private")
    wb.add_reflection("a", 6, "journal", "for both", visibility="shared")
    wb.add_checkin("a", 2, 2, "quiet", visibility="private")
    path = wb.path
    wb.close()

    fresh = workbook.open(path)
    assert [r.text for r in fresh.reflections(viewer="a")] == ["for both"]  # locked
    assert [r.text for r in fresh.reflections(viewer="b")] == ["for both"]
    assert [r.text for r in fresh.reflections()] == ["for both"]
    assert fresh.checkins(viewer="b") == []
    assert fresh.locked_count("a") == 2
    with pytest.raises(workbook.WrongPassphrase, match=r"does not match\. Nothing was changed"):
        fresh.unlock("a", "wrong horse battery")
    fresh.unlock("a", "correct horse battery")
    assert [r.text for r in fresh.reflections(viewer="a")] == ["mine alone", "for both"]
    assert [c.note for c in fresh.checkins(viewer="a")] == ["quiet"]
    # The other partner, even on the same open workbook, still sees none of it.
    assert [r.text for r in fresh.reflections(viewer="b")] == ["for both"]
    assert "mine alone" not in fresh.export_csv(viewer="b")
    assert "mine alone" not in fresh.export_json()
    fresh.close()


def test_passphrase_change_reseals_and_old_one_stops_working(wb: workbook.Workbook) -> None:
    wb.set_passphrase("b", "first passphrase")
    wb.add_reflection("b", 6, "journal", "kept safe", visibility="private")
    with pytest.raises(workbook.ValidationError, match="Give the current one"):
        wb.set_passphrase("b", "second passphrase")
    with pytest.raises(workbook.WrongPassphrase):
        wb.set_passphrase("b", "second passphrase", old="not it at all")
    wb.set_passphrase("b", "second passphrase", old="first passphrase")
    wb.lock("b")
    with pytest.raises(workbook.WrongPassphrase):
        wb.unlock("b", "first passphrase")
    wb.unlock("b", "second passphrase")
    assert [r.text for r in wb.reflections(viewer="b")] == ["kept safe"]


def test_short_passphrase_is_refused(wb: workbook.Workbook) -> None:
    with pytest.raises(workbook.ValidationError, match="at least 8 characters"):
        wb.set_passphrase("a", "short")
    assert not wb.has_passphrase("a")


def test_paired_answers_are_revealed_only_when_both_answered(wb: workbook.Workbook) -> None:
    wb.add_reflection("a", 3, "perspective", "Alex may feel ashamed", visibility="paired")
    assert [r.text for r in wb.reflections(viewer="a")] == ["Alex may feel ashamed"]
    assert wb.reflections(viewer="b") == []
    assert wb.reflections() == []
    assert wb.paired_status(3, "perspective") == {"a"}
    wb.add_reflection("b", 3, "perspective", "Sam may feel foolish", visibility="paired")
    assert len(wb.reflections(viewer="b")) == 2
    assert len(wb.reflections()) == 2


# -- export and import ---------------------------------------------------------------------


def test_export_import_round_trip_is_lossless(demo: workbook.Workbook, data_dir: Path) -> None:
    text = demo.export_json()
    copy = workbook.import_json(text, "demo-copy", data_dir=data_dir)
    assert copy.export_json() == text.replace('"name": "demo"', '"name": "demo-copy"')
    assert copy.checkins() == demo.checkins()
    assert copy.promises() == demo.promises()
    assert copy.csi4() == demo.csi4()
    assert copy.selfcare() == demo.selfcare()
    assert copy.progress() == demo.progress()
    # Private entries survive sealed, and open with the same passphrase in the copy.
    copy.unlock("a", "sam demo passphrase")
    demo.unlock("a", "sam demo passphrase")
    assert copy.reflections(viewer="a") == demo.reflections(viewer="a")
    assert any(r.visibility == "private" for r in copy.reflections(viewer="a"))
    copy.close()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ('{"format": "something-else"}', "not a Healing Together workbook export"),
        ('{"format": "healing-together-workbook", "schema_version": 99}', "newer version"),
        ('{"format": "healing-together-workbook", "schema_version": 2}', "both partners"),
    ],
)
def test_import_rejects_bad_input(text: str, message: str, data_dir: Path) -> None:
    with pytest.raises(workbook.ValidationError, match=message):
        workbook.import_json(text, "imported", data_dir=data_dir)
    assert workbook.list_names(data_dir) == []


def test_import_rejects_out_of_range_values_and_leaves_nothing(
    demo: workbook.Workbook, data_dir: Path
) -> None:
    doc = json.loads(demo.export_json())
    doc["checkins"][0]["mood"] = 42
    with pytest.raises(workbook.ValidationError, match="could not be imported"):
        workbook.import_json(json.dumps(doc), "broken", data_dir=data_dir)
    assert workbook.list_names(data_dir) == ["demo"]
    assert not any(p.name.startswith("broken") for p in data_dir.iterdir())


def test_csv_export(wb: workbook.Workbook) -> None:
    wb.add_checkin("a", 6, 5, "=HYPERLINK(evil)", at=datetime(2026, 1, 2, 9, tzinfo=UTC))
    wb.add_checkin("b", 3, 4, "tired")
    lines = wb.export_csv().splitlines()
    assert lines[0] == "date,time_utc,partner,name,mood,trust,note,visibility"
    assert len(lines) == 3
    assert "'=HYPERLINK(evil)" in lines[1]  # no formula injection into spreadsheets
    assert lines[2].split(",")[3:6] == ["Alex", "3", "4"]


def test_checkins_frame(demo: workbook.Workbook) -> None:
    frame = demo.checkins_frame()
    assert len(frame) == len(demo.checkins())
    assert list(frame.columns[:6]) == ["id", "at", "day", "partner", "name", "mood"]
    assert set(frame["name"]) == {"Sam", "Alex"}


def test_records_are_plain(demo: workbook.Workbook) -> None:
    recs = demo.records()
    assert len(recs["checkins"]) == len(demo.checkins())
    assert all(r["visibility"] != "private" for r in recs["reflections"])
    assert isinstance(recs["promises"][0]["made"], date)


# -- concurrency and crashes -----------------------------------------------------------------

_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import workbook
    wb = workbook.open(Path(sys.argv[1]))
    who = sys.argv[2]
    for i in range(int(sys.argv[3])):
        wb.add_checkin(who, 1 + i % 10, 1 + (i * 3) % 10, f"{who}-{i}")
    wb.close()
    """
)


def test_two_processes_writing_lose_nothing(wb: workbook.Workbook, tmp_path: Path) -> None:
    script = tmp_path / "writer.py"
    script.write_text(_WRITER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(wb.path), who, "1000"],
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in ("a", "b")
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "locked" not in err
    notes = [c.note for c in wb.checkins()]
    assert len(notes) == 2000
    assert set(notes) == {f"{w}-{i}" for w in "ab" for i in range(1000)}


_KILLED = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import workbook
    wb = workbook.open(Path(sys.argv[1]))
    print("ready", flush=True)
    i = 0
    while True:
        wb.add_reflection("a", 2, "what-happened", "words " * 200 + str(i))
        i += 1
    """
)


def test_killed_writer_leaves_a_sound_file(wb: workbook.Workbook, tmp_path: Path) -> None:
    script = tmp_path / "killed.py"
    script.write_text(_KILLED)
    path = wb.path
    wb.close()
    proc = subprocess.Popen(
        [sys.executable, str(script), str(path)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    time.sleep(1.0)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    proc.stdout.close()
    reopened = workbook.open(path)
    assert reopened._con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    saved = reopened.reflections()
    assert len(saved) > 0
    assert all(r.text.startswith("words ") for r in saved)
    reopened.close()
