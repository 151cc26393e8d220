"""The workshop: join codes, a progress table without entry text, consented anonymised
aggregates, printable worksheets, the `workbook worksheet` command and the facilitator page."""

from __future__ import annotations

import base64
import html
import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import ipywidgets as widgets
import pytest
from widget_utils import html_of, walk

import workbook
from workbook import charts, cli, workshop
from workbook.aggregates import aggregate_trends, progress_table
from workbook.domain import ValidationError
from workbook.ui import facilitator
from workbook.worksheets import worksheet_html
from workbook.workshop import (
    CODE_ALPHABET,
    CODE_LENGTH,
    UnknownCode,
    couple_codes,
    create_couples,
    join_code,
    resolve_code,
)

DAY0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


# --- join codes -------------------------------------------------------------------------------


def test_create_couples_makes_workbooks_with_unique_resolvable_codes(data_dir: Path) -> None:
    made = create_couples(data_dir, 12)
    assert [c.name for c in made] == [f"couple-{i:02d}" for i in range(1, 13)]
    codes = [c.code for c in made]
    assert len(set(codes)) == len(codes)
    for c in made:
        assert len(c.code) == CODE_LENGTH
        assert set(c.code) <= set(CODE_ALPHABET)
        assert resolve_code(data_dir, c.code) == c.name
        assert join_code(c.name, data_dir) == c.code
    assert workbook.list_names(data_dir) == [c.name for c in made]
    with workbook.open("couple-01", data_dir=data_dir) as wb:
        assert wb.names() == {"a": "Partner A", "b": "Partner B"}


def test_codes_are_forgiving_about_case_spaces_and_dashes(data_dir: Path) -> None:
    (c,) = create_couples(data_dir, 1)
    typed = f" {c.code[:3].lower()} - {c.code[3:].lower()} "
    assert resolve_code(data_dir, typed) == c.name


def test_workshop_file_is_private_and_numbering_continues(data_dir: Path) -> None:
    first = create_couples(data_dir, 2)
    second = create_couples(data_dir, 2)
    assert [c.name for c in second] == ["couple-03", "couple-04"]
    path = data_dir / workshop.WORKSHOP_FILE
    if os.name == "posix":
        assert path.stat().st_mode & 0o777 == 0o600
    doc = json.loads(path.read_text())
    assert doc["format"] == workshop.WORKSHOP_FORMAT
    assert doc["codes"] == {c.code: c.name for c in first + second}
    assert couple_codes(data_dir) == sorted(first + second, key=lambda c: c.name)


def test_other_prefix(data_dir: Path) -> None:
    made = create_couples(data_dir, 2, prefix="tuesday")
    assert [c.name for c in made] == ["tuesday-01", "tuesday-02"]


def test_unknown_code_is_refused(data_dir: Path) -> None:
    taken = {c.code for c in create_couples(data_dir, 3)}
    unknown = workshop.new_code(taken)
    with pytest.raises(UnknownCode, match="not part of this workshop"):
        resolve_code(data_dir, unknown)


@pytest.mark.parametrize("code", ["", "   ", "abc", "../etc/passwd", "ABCDEFG", "<b>XX", None])
def test_malformed_code_is_refused_clearly(data_dir: Path, code: object) -> None:
    create_couples(data_dir, 1)
    with pytest.raises(ValidationError, match="code"):
        resolve_code(data_dir, code)  # type: ignore[arg-type]


def test_code_without_workshop_is_refused(data_dir: Path) -> None:
    with pytest.raises(UnknownCode):
        resolve_code(data_dir, "KT7Q4M")


@pytest.mark.parametrize("n", [0, -1, 101, 2.5, True, "3"])
def test_bad_number_of_couples_changes_nothing(data_dir: Path, n: object) -> None:
    with pytest.raises(ValidationError, match="how many couples"):
        create_couples(data_dir, n)  # type: ignore[arg-type]
    assert workbook.list_names(data_dir) == []


@pytest.mark.parametrize("prefix", ["", "Couple", "../x", "a b", "x" * 41])
def test_bad_prefix_is_refused(data_dir: Path, prefix: str) -> None:
    with pytest.raises(ValidationError, match="prefix"):
        create_couples(data_dir, 1, prefix=prefix)


def test_damaged_workshop_file_is_left_untouched(data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / workshop.WORKSHOP_FILE
    path.write_text("{not json")
    with pytest.raises(ValidationError, match="left untouched"):
        create_couples(data_dir, 2)
    assert path.read_text() == "{not json"
    assert workbook.list_names(data_dir) == []


# --- progress table ---------------------------------------------------------------------------


def test_progress_table_counts_steps_and_holds_no_entry_text(demo: workbook.Workbook) -> None:
    data_dir = demo.path.parent
    secret = "PROGRESS-SECRET-7731 <script>"
    demo.add_reflection("b", 4, "honesty", secret)
    demo.mark_step("b", 4, how_it_went=secret)
    demo.unlock("a", "sam demo passphrase")
    demo.add_reflection("a", 6, "journal", "PRIVATE-SECRET-991", visibility="private")
    (c,) = create_couples(data_dir, 1)
    rows = progress_table(data_dir)
    assert [r.name for r in rows] == [c.name, "demo"]
    row = rows[1]
    assert (row.steps_a, row.steps_b) == (3, 3)
    assert row.last_activity is not None
    assert rows[0].code == c.code
    assert rows[0].last_activity is None
    shown = repr(rows) + str(facilitator.progress_html(rows))
    for text in (secret, "PROGRESS-SECRET", "PRIVATE-SECRET", "Sam", "Alex", "kept to the"):
        assert text not in shown


def test_progress_table_survives_a_damaged_workbook(data_dir: Path) -> None:
    create_couples(data_dir, 1)
    (data_dir / "broken.workbook.sqlite3").write_bytes(b"not a database at all")
    rows = progress_table(data_dir)
    assert [(r.name, r.problem) for r in rows] == [("broken", "cannot be read"), ("couple-01", "")]


# --- aggregate trends -------------------------------------------------------------------------


def _couple(
    data_dir: Path, name: str, mood: int, trust: int, *, consent: tuple[bool, bool] = (True, True)
) -> workbook.Workbook:
    wb = workbook.create(name, "Robin", "Kai", data_dir=data_dir)
    wb.set_consent("a", consent[0])
    wb.set_consent("b", consent[1])
    for day in range(5):
        at = DAY0 + timedelta(days=day)
        wb.add_checkin("a", mood, trust, "shared note", at=at)
        wb.add_checkin("b", mood, trust, at=at + timedelta(hours=1))
    return wb


def test_aggregate_is_none_under_three_consenting_couples(data_dir: Path) -> None:
    for i, consent in enumerate([(True, True), (True, True), (True, False), (False, True)]):
        _couple(data_dir, f"c{i}", 5, 5, consent=consent).close()
    result = aggregate_trends(data_dir)
    assert result.points is None
    assert result.consenting == 2
    assert "three" in result.message
    points, message = result
    assert points is None
    assert message


def test_aggregate_excludes_non_consenting_and_private_checkins(data_dir: Path) -> None:
    _couple(data_dir, "c1", 4, 6).close()
    _couple(data_dir, "c2", 6, 8).close()
    wb3 = _couple(data_dir, "c3", 8, 4)
    # A private check-in with values no shared one has, on a day the others checked in.
    wb3.set_passphrase("a", "a long private passphrase")
    wb3.set_passphrase("b", "another long passphrase")
    wb3.add_checkin("a", 1, 1, "PRIVATE NOTE", at=DAY0 + timedelta(hours=2), visibility="private")
    wb3.add_checkin("b", 10, 10, at=DAY0 + timedelta(days=2), visibility="private")
    wb3.close()
    # Only one partner consented: never included, whatever their numbers.
    _couple(data_dir, "c4", 1, 1, consent=(True, False)).close()
    _couple(data_dir, "c5", 10, 10, consent=(False, False)).close()

    result = aggregate_trends(data_dir)
    assert result.points is not None
    assert result.consenting == 3
    assert len(result.points) == 5
    for p in result.points:
        assert p.couples == 3
        assert p.mood == pytest.approx(6.0)  # (4 + 6 + 8) / 3: no private 1 or 10
        assert p.trust == pytest.approx(6.0)  # (6 + 8 + 4) / 3
    text = repr(result)
    for word in ("Robin", "Kai", "c1", "c2", "c3", "PRIVATE", "shared note"):
        assert word not in text


def test_aggregate_leaves_out_days_with_too_few_couples(data_dir: Path) -> None:
    for i in range(3):
        _couple(data_dir, f"c{i}", 5, 5).close()
    with workbook.open("c0", data_dir=data_dir) as wb:
        wb.add_checkin("a", 9, 9, at=DAY0 + timedelta(days=20))  # only this couple that day
    result = aggregate_trends(data_dir)
    assert result.points is not None
    assert {p.mood for p in result.points} == {5.0}
    assert (DAY0 + timedelta(days=20)).date() not in {p.day for p in result.points}


def test_aggregate_min_couples_is_checked(data_dir: Path) -> None:
    with pytest.raises(ValidationError):
        aggregate_trends(data_dir, min_couples=0)


# --- worksheets -------------------------------------------------------------------------------


@pytest.mark.parametrize("step", range(1, 9))
def test_blank_worksheet_is_a_printable_page_without_scripts(step: int) -> None:
    page = worksheet_html(step)
    assert page.startswith("<!DOCTYPE html>")
    assert "@page" in page
    assert "@media print" in page
    assert f"Step {step}: {workbook.domain.STEPS[step]}" in page
    low = page.lower()
    assert "<script" not in low
    assert "javascript:" not in low
    assert " on" + "click" not in low
    assert "1-800-799-7233" in page  # every sheet carries the safety line


def test_step_8_worksheet_has_us_resources_and_no_safety_answers(
    demo: workbook.Workbook,
) -> None:
    demo.add_reflection("a", 8, "safety", "SAFETY-ANSWER-123")
    for page in (worksheet_html(8), worksheet_html(8, demo), worksheet_html(8, demo, "a")):
        assert "1-800-799-7233" in page
        assert "88788" in page
        assert "988" in page
        assert "911" in page
        assert "not advised" in page
        assert "SAFETY-ANSWER" not in page
        from workbook.ui.safety import SAFETY_QUESTIONS

        for q in SAFETY_QUESTIONS:
            assert q not in page


def test_filled_worksheet_shows_shared_answers_only_escaped(wb: workbook.Workbook) -> None:
    wb.add_reflection("a", 2, "what-happened", "<script>alert('x')</script> & more")
    wb.add_reflection("b", 2, "my-mistakes", "I stayed silent too long.")
    wb.set_passphrase("a", "a long private passphrase")
    wb.add_reflection("a", 2, "unshared-pain", "PRIVATE-PAIN-55", visibility="private")
    wb.add_reflection("a", 2, "what-happened", "PRIVATE-TOO-66", visibility="private")
    assert wb.is_unlocked("a")  # even unlocked in this session, private text never shows

    blank = worksheet_html(2)
    filled = worksheet_html(2, wb)
    assert "I stayed silent too long." in filled
    assert "I stayed silent" not in blank
    assert "Shared answers of Sam &amp; Alex" in filled
    # Shown as typed, never as markup (whichever entity spelling the escaping uses for ').
    assert "<script>alert('x')</script> & more" in html.unescape(filled)
    assert "<script" not in filled.lower()
    assert "PRIVATE-PAIN" not in filled
    assert "PRIVATE-TOO" not in filled
    assert blank.count("class='line'") > filled.count("class='line'")

    only_b = worksheet_html(2, wb, "b")
    assert "I stayed silent too long." in only_b
    assert "alert" not in only_b


def test_filled_worksheet_of_the_demo_hides_private_journal(demo: workbook.Workbook) -> None:
    page = worksheet_html(6, demo)
    assert "not sure I can forgive" not in page
    assert "scared this will not be enough" not in page
    step7 = worksheet_html(7, demo)
    assert "Thank you for making coffee every morning." in step7
    step4 = worksheet_html(4, demo)
    assert "No more secrets about money" in step4


def test_paired_answers_stay_hidden_until_both_answered(wb: workbook.Workbook) -> None:
    wb.add_reflection("a", 3, "perspective-feel", "PAIRED-ONLY-A", visibility="paired")
    assert "PAIRED-ONLY-A" not in worksheet_html(3, wb)
    wb.add_reflection("b", 3, "perspective-feel", "PAIRED-B", visibility="paired")
    page = worksheet_html(3, wb)
    assert "PAIRED-ONLY-A" in page
    assert "PAIRED-B" in page


@pytest.mark.parametrize("step", [0, 9, -1, "x", None, 2.0, True])
def test_bad_step_is_refused(step: object) -> None:
    with pytest.raises(ValidationError, match="step"):
        worksheet_html(step)  # type: ignore[arg-type]


def test_bad_partner_is_refused(wb: workbook.Workbook) -> None:
    with pytest.raises(ValidationError):
        worksheet_html(1, wb, "c")


# --- the command line -------------------------------------------------------------------------


def test_cli_writes_a_worksheet_file(
    wb: workbook.Workbook, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb.add_reflection("b", 7, "appreciation", "Thanks for <b>dinner</b>")
    out = tmp_path / "sheet.html"
    assert cli.main(["worksheet", "7", "--out", str(out)]) == 0
    assert "Step 7" in out.read_text()
    assert "dinner" not in out.read_text()
    filled = tmp_path / "filled.html"
    argv = ["--data-dir", str(data_dir), "worksheet", "7", "--workbook", wb.name]
    assert cli.main([*argv, "--out", str(filled)]) == 0
    assert "Thanks for &lt;b&gt;dinner&lt;/b&gt;" in filled.read_text()
    if os.name == "posix":
        assert filled.stat().st_mode & 0o777 == 0o600
    assert cli.main(["worksheet", "3", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "step-3-worksheet.html").exists()
    capsys.readouterr()
    assert cli.main(["worksheet", "1"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("step", ["9", "0", "nine", "-1"])
def test_cli_refuses_a_bad_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], step: str
) -> None:
    out = tmp_path / "sheet.html"
    assert cli.main(["worksheet", step, "--out", str(out)]) == 2
    assert "choose a step from 1 to 8" in capsys.readouterr().err
    assert not out.exists()


def test_cli_reports_an_unwritable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "no-such-folder" / "sheet.html"
    assert cli.main(["worksheet", "2", "--out", str(out)]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_cli_refuses_an_unknown_workbook(
    data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "sheet.html"
    assert cli.main(["worksheet", "2", "--workbook", "nobody", "--out", str(out)]) == 2
    assert "nobody" in capsys.readouterr().err
    assert not out.exists()


# --- the facilitator page ---------------------------------------------------------------------


def test_dashboard_shows_progress_and_no_entry_text(demo: workbook.Workbook) -> None:
    dash = facilitator.FacilitatorDashboard(demo.path.parent)
    shown = html_of(dash)
    assert "demo" in shown
    assert "3 of 7" in shown  # steps 1 to 7: step 8 is never recorded
    assert "Fewer than three couples" in shown
    assert dash.chart.layout.display == "none"
    # Hiding the chart hides nothing else: layouts from `layout()` are shared between widgets.
    hidden = [w for w in walk(dash) if w is not dash.chart and w.layout.display == "none"]
    assert hidden == []
    for text in ("I feel hurt", "Sam", "Alex", "coffee", "forgive", "Painful and needed"):
        assert text not in shown


def test_dashboard_creates_couples_and_shows_codes(data_dir: Path) -> None:
    dash = facilitator.FacilitatorDashboard(data_dir)
    dash.count.value = 3
    dash.create_button.click()
    assert dash.create_status.kind == "ok"
    codes = couple_codes(data_dir)
    assert len(codes) == 3
    # No code is on screen until asked (a projected screen shows the room; found by the
    # facilitator walk: the new codes were shown large right after the press): the names are,
    # with their slips to print (tests/test_slips.py).
    shown = dash.codes.value + dash.progress.value
    assert not any(workshop.format_code(c.code) in shown for c in codes)
    assert all(c.name in dash.codes.value for c in codes)
    assert dash.codes.value.count(">code hidden<") == 3
    assert dash.progress.value.count(">hidden<") == 3
    assert "Join codes are hidden" in dash.codes_note.value
    dash.show_codes.value = True
    for c in codes:
        assert workshop.format_code(c.code) in dash.codes.value
        assert workshop.format_code(c.code) in dash.progress.value
    # The re-walk: ticked, the page still said the codes were hidden.
    assert "Join codes are on screen now" in dash.codes_note.value
    assert "hidden" not in dash.codes_note.value
    dash.show_codes.value = False
    assert "Join codes are hidden" in dash.codes_note.value
    shown = dash.codes.value + dash.progress.value
    assert not any(workshop.format_code(c.code) in shown for c in codes)
    dash.prefix.value = "../bad"
    dash.create_button.click()
    assert dash.create_status.kind == "error"
    assert len(couple_codes(data_dir)) == 3


def test_dashboard_group_chart_once_three_couples_consent(data_dir: Path) -> None:
    for i in range(3):
        _couple(data_dir, f"c{i}", 4 + i, 5).close()
    dash = facilitator.FacilitatorDashboard(data_dir)
    assert bytes(dash.chart.value).startswith(b"\x89PNG")
    assert dash.chart.layout.display is None
    assert "3 couples agreed" in dash.summary.value
    assert "Robin" not in html_of(dash)


def test_dashboard_worksheet_link_is_a_data_url(data_dir: Path) -> None:
    dash = facilitator.FacilitatorDashboard(data_dir)
    dash.step.value = 8
    m = re.search(
        r"href='data:text/html;charset=utf-8;base64,([A-Za-z0-9+/=]+)'", dash.download.value
    )
    assert m
    page = base64.b64decode(m.group(1)).decode()
    assert page == worksheet_html(8)
    assert "download='step-8-worksheet.html'" in dash.download.value


def test_aggregate_chart_is_a_figure_without_pyplot(data_dir: Path) -> None:
    from matplotlib.figure import Figure

    for i in range(3):
        _couple(data_dir, f"c{i}", 5, 5).close()
    points = aggregate_trends(data_dir).points
    assert points
    fig = charts.aggregate_chart(points)
    assert isinstance(fig, Figure)
    assert {line.get_gid() for line in fig.axes[0].lines} >= {"group-mood", "group-trust"}
    assert isinstance(charts.aggregate_chart([]), Figure)


def test_served_page_needs_the_facilitator_key(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create_couples(data_dir, 2)
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.delenv("WORKBOOK_FACILITATOR_KEY", raising=False)
    monkeypatch.setenv("QUERY_STRING", "key=anything")
    page = facilitator.facilitator_page()
    assert not any(isinstance(w, facilitator.FacilitatorDashboard) for w in walk(page))
    assert "couple-01" not in html_of(page)

    monkeypatch.setenv("WORKBOOK_FACILITATOR_KEY", "room-key-123")
    monkeypatch.setenv("QUERY_STRING", "key=wrong")
    page = facilitator.facilitator_page()
    assert "couple-01" not in html_of(page)

    monkeypatch.setenv("QUERY_STRING", "key=room-key-123")
    page = facilitator.facilitator_page()
    assert isinstance(page, facilitator.FacilitatorDashboard)
    assert "couple-01" in html_of(page)


def test_page_in_jupyterlab_opens_directly(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    page = facilitator.facilitator_page()
    assert isinstance(page, facilitator.FacilitatorDashboard)
    assert isinstance(page, widgets.VBox)
