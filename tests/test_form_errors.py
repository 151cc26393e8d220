"""A failing form: the traceback goes to the server's log, the person reads a calm sentence,
and a save that did not fully succeed never says "Saved"."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jupyter_client.session import json_packer

import workbook
from workbook.domain import ValidationError
from workbook.ui.base import Session
from workbook.ui.checkin import CheckInForm

#: A stand-in for a Voila kernel: ``sys.stderr`` goes to the page (here a buffer printed at the
#: end), and ``sys.stderr.fileno()`` is the kernel's own stderr, which is the server's log
#: (ipykernel's OutStream behaves this way). A form action then fails.
KERNEL_SCRIPT = r"""
import io, os, sys
log_fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

class ToThePage(io.StringIO):
    def fileno(self):
        return log_fd

page = ToThePage()
sys.stderr = page
os.environ["VOILA_PREHEAT"] = "False"
os.environ["SCRIPT_NAME"] = "/voila/render/04_rebuild_trust.ipynb"
from workbook.ui.base import Status, guarded

class PromiseForm:
    def save(self):
        raise RuntimeError("secret-detail in /very/private/path.py")

status = Status()
guarded(status, PromiseForm().save)
sys.__stdout__.write("PAGE-STDERR:" + page.getvalue() + "\n")
sys.__stdout__.write("STATUS:" + status.message + "\n")
"""


def test_traceback_goes_to_the_server_log_not_the_page(tmp_path: Path) -> None:
    server_log = tmp_path / "server.log"
    done = subprocess.run(
        [sys.executable, "-c", KERNEL_SCRIPT, str(server_log)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    page_stderr = done.stdout.split("PAGE-STDERR:", 1)[1].split("\nSTATUS:", 1)[0]
    status = done.stdout.split("STATUS:", 1)[1]
    for leak in ("secret-detail", "/very/private/path.py", "Traceback", "RuntimeError"):
        assert leak not in page_stderr, f"{leak!r} reached the page: {page_stderr[-800:]}"
        assert leak not in status
    assert "Something went wrong and nothing was saved" in status
    logged = server_log.read_text()
    assert "Traceback" in logged
    assert "secret-detail" in logged
    assert "04_rebuild_trust.ipynb" in logged, "the log does not say which page failed"
    assert "PromiseForm.save" in logged, "the log does not say which action failed"


# --- a note the page could not carry ------------------------------------------------------------


class _KernelComm:
    """Serialises what a widget sends as the kernel's session does (so bad text fails there)."""

    def __init__(self) -> None:
        self.sent: list[bytes] = []

    def send(self, data: Any = None, metadata: Any = None, buffers: Any = None) -> None:
        self.sent.append(json_packer(data))


def _browser_types(widget: Any, text: str) -> None:
    """What a browser's update of a text box does in the kernel."""
    widget.comm.send = _KernelComm().send
    widget._handle_msg(
        {
            "content": {"data": {"method": "update", "state": {"value": text}, "buffer_paths": []}},
            "metadata": {},
            "buffers": [],
        }
    )


def test_a_note_with_a_lone_surrogate_is_refused_not_dropped(wb: workbook.Workbook) -> None:
    form = CheckInForm(Session(wb=wb, who="a"))
    form.mood.value = 5
    form.trust.value = 5
    _browser_types(form.note, "We talked \ud83d and it helped")
    assert form.note.value == "We talked \ud83d and it helped", "the typed note was dropped"
    form.save.click()
    assert form.status.kind == "error"
    assert "Saved" not in form.status.message
    assert "cannot be saved" in form.status.message
    assert wb.checkins() == [], "a check-in was saved without its note"
    _browser_types(form.note, "We talked and it helped")
    form.save.click()
    assert form.status.message.startswith("Saved")
    assert [c.note for c in wb.checkins()] == ["We talked and it helped"]


@pytest.mark.parametrize("text", ["half \udc00 pair", "\ud800"])
def test_the_store_refuses_lone_surrogates_with_a_message(wb: workbook.Workbook, text: str) -> None:
    with pytest.raises(ValidationError, match="cannot be saved"):
        wb.add_checkin("a", 5, 5, text)
    with pytest.raises(ValidationError, match="cannot be saved"):
        wb.add_reflection("a", 2, "what-happened", text)
    assert wb.checkins() == []
    assert wb.reflections() == []


# --- the same in a real Voila kernel -----------------------------------------------------------

FAILING_PAGE = [
    (
        "code",
        "from workbook.ui.base import Status, guarded\n"
        "def save_promise():\n"
        "    raise RuntimeError('secret-detail in /very/private/path.py')\n"
        "status = Status()\n"
        "guarded(status, save_promise)\n"
        "print('status=' + status.message)",
    ),
]


@pytest.mark.voila
def test_a_voila_kernel_logs_to_the_server_not_the_page(tmp_path: Path) -> None:
    from voila_harness import assert_no_voila_error, http_get, running_voila, write_notebook

    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(folder / "failing_form.ipynb", FAILING_PAGE)
    with running_voila(
        folder, tmp_path / "data", name="voila-test-form-log", preheat=False, start_page=None
    ) as server:
        status, html = http_get(server.page_url("failing_form.ipynb"))
        assert status == 200
        assert_no_voila_error(html)
        assert "status=Something went wrong and nothing was saved" in html
        for leak in ("secret-detail", "/very/private/path.py", "RuntimeError", "Traceback"):
            assert leak not in html, f"{leak!r} reached the page"
        log = server.log_text()
    assert "secret-detail" in log, "the traceback did not reach the server log"
    assert "A form action failed on failing_form.ipynb: save_promise" in log


def test_a_card_forms_buttons_report_in_its_one_status_line() -> None:
    """`CardForm`, the forms' shared shape: its card holds the children under the title, each
    button's action runs guarded, and bad input is told in the form's status line, unchanged."""
    from workbook.ui.blocks import CardForm

    done: list[str] = []

    def refuse() -> str:
        raise ValidationError("Write a few words first.")

    class Tiny(CardForm):
        css_class = "ht-tiny"

        def __init__(self) -> None:
            self.ok = self.action("Save", lambda: done.append("saved") or "Saved.")
            self.bad = self.action("Refuse", refuse, style="warning")
            super().__init__(self.ok, self.bad, self.status, title="A tiny form")

    form = Tiny()
    (box,) = form.children
    assert "ht-tiny" in box._dom_classes
    assert list(box.children[1:]) == [form.ok, form.bad, form.status]
    assert form.status is form.status  # one status line, made once
    form.bad.click()
    assert (form.status.kind, form.status.message) == ("error", "Write a few words first.")
    assert done == []
    form.ok.click()
    assert (form.status.kind, form.status.message) == ("ok", "Saved.")
    assert done == ["saved"]
