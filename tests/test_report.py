"""The counsellor's report: both partners agree, then only shared entries, never step 8."""

from __future__ import annotations

import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest

import workbook
from workbook import store
from workbook.cli import main
from workbook.domain import ValidationError
from workbook.markup import esc
from workbook.privacy import Locked
from workbook.report import CSI4_LINE, NotAgreed, report_html
from workbook.steps import EMPATHY

HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def _agree(wb: workbook.Workbook) -> None:
    wb.set_report_consent("a", True)
    wb.set_report_consent("b", True)


def _paired_prompt() -> str:
    return next(str(ex.prompt) for ex in EMPATHY.exercises if ex.privacy == "paired")


def test_refused_until_both_agree_and_again_after_a_withdrawal(wb: workbook.Workbook) -> None:
    with pytest.raises(NotAgreed, match="Sam and Alex have not agreed"):
        report_html(wb)
    wb.set_report_consent("a", True)
    with pytest.raises(NotAgreed, match="Alex has not agreed yet"):
        report_html(wb)
    wb.set_report_consent("b", True)
    assert "For our counsellor" in report_html(wb)
    wb.set_report_consent("a", False)  # withdrawn: no report any more
    assert wb.report_consent("a") is None
    with pytest.raises(NotAgreed, match="Sam has not agreed yet"):
        report_html(wb)


def test_agreeing_needs_your_own_passphrase_but_withdrawing_never_does(
    wb: workbook.Workbook,
) -> None:
    wb.set_passphrase("b", "alex's own passphrase")
    wb.lock("b")
    with pytest.raises(Locked, match="no one else can agree in your name"):
        wb.set_report_consent("b", True)
    assert wb.report_consent("b") is None
    wb.unlock("b", "alex's own passphrase")
    wb.set_report_consent("b", True)
    wb.lock("b")
    wb.set_report_consent("b", False)
    assert wb.report_consent("b") is None
    with pytest.raises(ValidationError, match="yes or no"):
        wb.set_report_consent("a", "yes")  # type: ignore[arg-type]


def test_shared_answers_only_never_private_never_step_8(wb: workbook.Workbook) -> None:
    wb.add_reflection("a", 1, "i-statement", "I feel heard when we walk together.")
    wb.add_reflection("b", 7, "appreciation", f"Thank you for the soup {HOSTILE}")
    wb.set_passphrase("a", "sam's own passphrase")
    wb.add_reflection("a", 6, "journal", "PRIVATE-JOURNAL-WORDS", visibility="private")
    wb.add_checkin("a", 3, 3, note="PRIVATE-CHECKIN-NOTE", visibility="private")
    wb.add_checkin("b", 6, 7, note="a shared note")
    prompt = _paired_prompt()
    wb.add_reflection("a", 3, prompt, "ONLY-SAM-ANSWERED", visibility="paired")
    # A step-8 row could only come from a hand-edited file: it must still never be printed.
    wb._con.execute(
        "INSERT INTO reflections (author, step, prompt, text, visibility, at) "
        "VALUES ('b', 8, 'safety', 'STEP-EIGHT-WORDS', 'shared', '2026-01-01T00:00:00+00:00')"
    )
    _agree(wb)
    page = report_html(wb)
    assert "I feel heard when we walk together." in page
    assert "Thank you for the soup &lt;img src=x" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    for secret in ("PRIVATE-JOURNAL-WORDS", "PRIVATE-CHECKIN-NOTE", "STEP-EIGHT-WORDS"):
        assert secret not in page
    assert "Step 8" not in page
    assert "When to walk away" not in page
    # A paired answer shows only once both answered, as on step 3.
    assert "ONLY-SAM-ANSWERED" not in page
    wb.unlock("a", "sam's own passphrase")
    wb.add_reflection("b", 3, prompt, "ALEX-ANSWERED-TOO", visibility="paired")
    page = report_html(wb)
    assert "ONLY-SAM-ANSWERED" in page
    assert "ALEX-ANSWERED-TOO" in page
    assert "PRIVATE-JOURNAL-WORDS" not in page  # unlocked here, still never in the report


def test_charts_with_their_sentences_and_the_line_explained(demo: workbook.Workbook) -> None:
    demo.unlock("a", "sam demo passphrase")
    demo.unlock("b", "alex demo passphrase")
    _agree(demo)
    page = report_html(demo, today=date(2026, 12, 5))
    assert page.count("src='data:image/png;base64,") == 4  # mood and trust, gap, promises, CSI-4
    for title in ("Mood and trust", "The gap between you", "Promises kept"):
        assert f"<strong>{title}.</strong>" in page
    assert "latest CSI-4 total is" in page  # the chart's own sentence
    assert str(esc(CSI4_LINE)) in page
    assert "rather than a verdict" in page
    assert "first answer" in page
    assert "points" in page
    # The demo's private notes never appear, though both partners are unlocked here.
    seen = demo.reflections(viewer="a") + demo.reflections(viewer="b")
    private = {r.text for r in seen if r.visibility == "private"}
    assert private
    for note in private:
        assert str(esc(note)) not in page
    assert "@media print" in page
    assert "Save as PDF" in page
    assert "<script" not in page


def test_only_the_chosen_parts(demo: workbook.Workbook) -> None:
    demo.unlock("a", "sam demo passphrase")
    demo.unlock("b", "alex demo passphrase")
    _agree(demo)
    page = report_html(demo, ["csi4"])
    assert page.count("data:image/png;base64,") == 1
    assert "Our shared answers, step by step" not in page
    with pytest.raises(ValidationError, match="no part called 'everything'"):
        report_html(demo, ["everything"])
    with pytest.raises(ValidationError, match="at least one part"):
        report_html(demo, [])


def test_cli_refuses_without_both_and_writes_nothing(
    wb: workbook.Workbook, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    wb.set_report_consent("a", True)
    assert main(["--data-dir", str(data_dir), "report", wb.name, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "Alex has not agreed yet" in err
    assert "Nothing was written" in err
    assert not out.exists()
    wb.set_report_consent("b", True)
    wb.add_reflection("a", 1, "i-statement", "Words for the counsellor")
    assert main(["--data-dir", str(data_dir), "report", wb.name, "--out", str(out)]) == 0
    assert "Words for the counsellor" in out.read_text(encoding="utf-8")
    assert os.stat(out).st_mode & 0o777 == 0o600
    assert "Wrote the report for your counsellor" in capsys.readouterr().err
    code = main(["--data-dir", str(data_dir), "report", wb.name, "--out", str(out), "--parts", "x"])
    assert code == 2
    assert "no part called 'x'" in capsys.readouterr().err


def test_migration_adds_consents_to_an_older_file(wb: workbook.Workbook, data_dir: Path) -> None:
    path = wb.path
    wb.close()
    con = sqlite3.connect(path)
    con.execute("DROP TABLE report_consent")
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    with store.open_workbook(path) as again:
        assert again.report_consent("a") is None
        again.set_report_consent("a", True)
        assert again.report_consent("a") is not None
        version = again._con.execute("PRAGMA user_version").fetchone()[0]
        assert version == store.SCHEMA_VERSION
    # Written with IF NOT EXISTS: a file that has the table already (another migration order
    # after a merge) migrates without failing and keeps the agreement.
    con = sqlite3.connect(path)
    con.execute("PRAGMA user_version = 4")
    con.commit()
    con.close()
    with store.open_workbook(path) as again:
        assert again.report_consent("a") is not None
