"""Odd input and crashes in the store: exports, names, creating a workbook, small edges."""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest

import workbook
from workbook import cli, store
from workbook.domain import ValidationError, partner_name, same_name
from workbook.paths import SUFFIX, BadName, check_name

# --- 5. exports cannot carry formulas ----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["=HYPERLINK(evil)", "+1+1", "-2+3", "@SUM(A1)", "  =1+1", "\uff1dcmd"]
)
def test_every_text_cell_of_the_csv_is_defused(data_dir: Path, name: str) -> None:
    wb = workbook.create("formula-names", name, "Alex", data_dir=data_dir)
    wb.add_checkin("a", 5, 6, "=1+2 in a note")
    wb.add_checkin("b", 7, 8, "plain note")
    rows = list(csv.reader(io.StringIO(wb.export_csv())))
    wb.close()
    for row in rows[1:]:
        for cell in row:
            first = cell.lstrip(" ")[:1]
            assert first not in store._FORMULA_START, f"a cell a spreadsheet would run: {row}"
    assert rows[1][3] == "'" + name.strip(), "the name must be kept, defused"
    assert rows[1][4:6] == ["5", "6"], "numbers stay numbers"


# --- 6. names mean one thing -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sam-and-alex\n", "sam\n", "a\r\n"])
def test_workbook_names_with_a_final_newline_are_refused(data_dir: Path, name: str) -> None:
    with pytest.raises(BadName):
        check_name(name)
    with pytest.raises(BadName):
        workbook.create(name, "Sam", "Alex", data_dir=data_dir)
    assert workbook.list_names(data_dir) == []


@pytest.mark.parametrize(
    "name",
    [
        "\u202eSam",  # right-to-left override: reversed the header line
        "Sa\u200bm",  # zero-width space
        "Sam\u2066",  # left-to-right isolate
        "\u200dAlex",  # zero-width joiner
        "Sam\ufeff",  # zero-width no-break space
        "Sam\ufe0f",  # variation selector
        "Sa\u3164m",  # Hangul filler (shows as nothing)
        "Sam\u2028x",  # line separator
    ],
)
def test_partner_names_with_invisible_or_direction_characters_are_refused(
    data_dir: Path, name: str
) -> None:
    with pytest.raises(ValidationError, match="invisible or text-direction"):
        workbook.create("hidden-chars", name, "Robin", data_dir=data_dir)
    assert workbook.list_names(data_dir) == []
    wb = workbook.create("rename-hidden", "Kai", "Robin", data_dir=data_dir)
    with pytest.raises(ValidationError, match="invisible or text-direction"):
        wb.rename_partner("a", name)
    assert wb.names() == {"a": "Kai", "b": "Robin"}
    wb.close()


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sam", "sam"),
        ("Sam", "ＳＡＭ"),  # full-width
        ("Sam", "\u0405\u0430m"),  # Cyrillic DZE and a
        ("Alex", "\u0391lex"),  # Greek capital alpha
        ("Jos\u00e9", "Jose\u0301"),  # composed and decomposed
        ("Sam Lee", "Sam  Lee"),
    ],
)
def test_names_that_look_the_same_are_the_same(data_dir: Path, a: str, b: str) -> None:
    assert same_name(a, b)
    with pytest.raises(ValidationError, match="different names"):
        workbook.create("look-alikes", a, b, data_dir=data_dir)
    assert workbook.list_names(data_dir) == []
    wb = workbook.create("look-alikes", a, "Robin", data_dir=data_dir)
    with pytest.raises(ValidationError, match="different names"):
        wb.rename_partner("b", b)
    assert wb.partner("b").name == "Robin"
    wb.close()


def test_names_are_stored_composed_and_different_names_stay_allowed(data_dir: Path) -> None:
    wb = workbook.create("composed", "Jose\u0301", "Zoë", data_dir=data_dir)
    assert wb.partner("a").name == "Jos\u00e9"
    assert partner_name("  Ana María  ") == "Ana María"
    assert not same_name("Sam", "Sami")
    assert not same_name("Kim", "Kím")
    wb.rename_partner("a", "Dana")
    assert wb.names() == {"a": "Dana", "b": "Zoë"}
    wb.close()


def test_a_name_stored_before_these_checks_cannot_turn_the_header(data_dir: Path) -> None:
    from widget_utils import html_of

    from workbook.ui import pages

    wb = workbook.create("older-names", "Kai", "Robin", data_dir=data_dir)
    con = sqlite3.connect(wb.path)
    con.execute("UPDATE partners SET name = ? WHERE id = 'a'", ("\u202eKai",))
    con.commit()
    con.close()
    html = html_of(pages.step_page(1, "older-names", "a"))
    assert "Writing as <strong><bdi>\u202eKai</bdi></strong>" in html
    wb.close()


# --- 7. a crash while creating leaves nothing half-made -----------------------------------------

CREATE_SCRIPT = """
import sys, time
from pathlib import Path
from workbook.store import create
folder = Path(sys.argv[1])
print("ready", flush=True)
started = time.monotonic()
create("crash-test", "Sam", "Alex", data_dir=folder).close()
print(f"done {time.monotonic() - started:.4f}", flush=True)
"""


def _run_create(folder: Path, kill_after: float | None) -> str:
    proc = subprocess.Popen(
        [sys.executable, "-c", CREATE_SCRIPT, str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    out, err = proc.communicate(timeout=60)
    assert kill_after is not None or proc.returncode == 0, err[-2000:]
    return out


def test_killing_create_leaves_either_nothing_or_a_whole_workbook(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    took = float(_run_create(folder, None).split()[-1])  # one creation, import aside
    # Kill times spread from "at once" to well after one creation's length, in random order.
    delays = [took * 1.5 * i / 19 for i in range(20)]
    random.Random(12).shuffle(delays)
    outcomes = {"nothing": 0, "whole": 0}
    for delay in delays:
        for leftover in folder.iterdir():
            if leftover.name != ".workshop.lock":
                leftover.unlink()
        # "ready" is printed before creation starts: a kill lands anywhere from then on.
        out = _run_create(folder, delay)
        if workbook.list_names(folder) == ["crash-test"]:
            with workbook.open("crash-test", data_dir=folder) as wb:
                assert wb.names() == {"a": "Sam", "b": "Alex"}, "a half-made workbook"
            outcomes["whole"] += 1
        else:
            assert "done" not in out
            assert not (folder / f"crash-test{SUFFIX}").exists()
            workbook.create("crash-test", "Sam", "Alex", data_dir=folder).close()
            outcomes["nothing"] += 1
        visible = [p.name for p in folder.iterdir() if not p.name.startswith(".")]
        assert set(visible) <= {f"crash-test{SUFFIX}", f"crash-test{SUFFIX}-wal"} | {
            f"crash-test{SUFFIX}-shm"
        }, visible
    assert outcomes["nothing"] >= 1, f"no kill landed before creation finished: {outcomes}"


def test_an_incomplete_workbook_is_reported_not_unpacked(data_dir: Path) -> None:
    wb = workbook.create("no-partners", "Sam", "Alex", data_dir=data_dir)
    path = wb.path
    wb.close()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM partners")
    con.commit()
    con.close()
    with (
        workbook.open("no-partners", data_dir=data_dir) as broken,
        pytest.raises(store.DamagedWorkbook, match="incomplete"),
    ):
        broken.names()


# --- 8. small ones -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("since", "until"),
    [
        (date(1, 1, 1), date(9999, 12, 31)),
        (date(1, 1, 1), None),
        (None, date(9999, 12, 31)),
        (datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59)),
    ],
)
def test_calendar_edge_dates_bound_a_period(
    wb: workbook.Workbook, since: date | None, until: date | None
) -> None:
    wb.add_checkin("a", 5, 5)
    assert len(wb.checkins(since=since, until=until)) == 1


@pytest.mark.usefixtures("low_dpi_charts")
@pytest.mark.parametrize(
    ("start", "end"),
    [(date(1, 1, 1), date(1, 1, 1)), (date(1, 1, 1), None), (None, date(9999, 12, 31))],
)
def test_trends_period_at_calendar_edges_gets_a_message(
    wb: workbook.Workbook, start: date | None, end: date | None
) -> None:
    from workbook.ui.base import Session
    from workbook.ui.trends import TrendsDashboard

    wb.add_checkin("a", 5, 5)
    dash = TrendsDashboard(Session(wb=wb, who="a"), background=False)
    drawn = dash.panels["mood_trust"].summary.value
    dash.start.value = start
    if dash.status.kind != "error":
        # A valid period on the way (no start: everything) is drawn, its summaries in its own
        # weeks; the edge date that follows must change nothing.
        drawn = dash.panels["mood_trust"].summary.value
    dash.end.value = end
    assert dash.status.kind == "error"
    assert "Choose dates from 1900 to 2999" in dash.status.message
    assert dash.panels["mood_trust"].summary.value == drawn, "the charts changed"


def test_worksheet_out_onto_an_existing_file_makes_it_private(tmp_path: Path) -> None:
    out = tmp_path / "step4.html"
    out.write_text("old")
    out.chmod(0o644)
    assert cli.main(["worksheet", "4", "--out", str(out)]) == 0
    assert "old" not in out.read_text()
    if os.name == "posix":
        assert out.stat().st_mode & 0o777 == 0o600


def test_refusing_a_damaged_wal_file_leaves_nothing_beside_it(wb: workbook.Workbook) -> None:
    for i in range(300):
        wb.add_reflection("a", 2, "what-happened", f"entry {i} " + "words " * 40)
    path = wb.path
    wb.close()
    sidecars = [path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal")]
    assert not any(p.exists() for p in sidecars)
    with path.open("rb") as fh:
        assert fh.read(20)[18:20] == b"\x02\x02", "the file should be in WAL mode"
    data = bytearray(path.read_bytes())
    for offset in range(3 * 4096, 6 * 4096, 7):
        data[offset] = 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(workbook.DamagedWorkbook, match="damaged"):
        workbook.open(path)
    assert [p.name for p in sidecars if p.exists()] == []


def _key_costs(book: workbook.Workbook) -> dict[str, int]:
    with sqlite3.connect(book.path) as con:
        rows = con.execute("SELECT id, key_n FROM partners WHERE key_n IS NOT NULL").fetchall()
    return dict(rows)


@pytest.mark.real_scrypt
def test_a_new_passphrase_gets_the_production_scrypt_cost(wb: workbook.Workbook) -> None:
    """The tests' cheap scrypt (tests/conftest.py) is theirs alone: production is 2**15."""
    from workbook import privacy

    assert privacy.SCRYPT_N == 2**15
    wb.set_passphrase("a", "a passphrase of real cost")
    assert _key_costs(wb) == {"a": 2**15}


def test_the_tests_cheap_scrypt_is_kept_in_the_record_and_opens_again(
    wb: workbook.Workbook,
) -> None:
    """A key made at the tests' cost records that cost, so it still unlocks (and only it)."""
    wb.set_passphrase("b", "a passphrase of test cost")
    assert _key_costs(wb) == {"b": 2**10}
    wb.lock("b")
    with pytest.raises(workbook.WrongPassphrase):
        wb.unlock("b", "not the passphrase at all")
    wb.unlock("b", "a passphrase of test cost")
