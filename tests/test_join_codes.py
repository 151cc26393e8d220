"""Join codes cannot be guessed: long codes, attempts limited per page and per workshop."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from widget_utils import html_of

from workbook import workshop
from workbook.ui import facilitator
from workbook.ui import start as start_ui
from workbook.workshop import (
    CODE_ALPHABET,
    CODE_LENGTH,
    PAGE_FREE_ATTEMPTS,
    SERVER_FREE_ATTEMPTS,
    SERVER_MAX_DELAY,
    TooManyAttempts,
    UnknownCode,
    create_couples,
    format_code,
    replace_code,
    resolve_code,
)

COUPLES_IN_A_BIG_WORKSHOP = 50


class Clock:
    """Stands in for the `time` module in workbook.workshop: time moves only when told."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(workshop, "time", fake)
    return fake


@pytest.fixture
def room(data_dir: Path) -> list[workshop.CoupleCode]:
    return create_couples(data_dir, 3)


def _wrong(taken: list[workshop.CoupleCode]) -> str:
    return workshop.new_code({c.code for c in taken})


def _new_page() -> None:
    """What opening another page does: a new kernel, with no attempts of its own yet."""
    workshop._PAGE_ATTEMPTS.clear()


def test_codes_are_long_readable_and_printed_in_groups(room: list[workshop.CoupleCode]) -> None:
    for c in room:
        assert len(c.code) == CODE_LENGTH == 12
        assert set(c.code) <= set(CODE_ALPHABET)
        shown = format_code(c.code)
        assert shown == f"{c.code[:4]}-{c.code[4:8]}-{c.code[8:]}"
    for look_alike in "0O1IL5S2Z":
        assert look_alike not in CODE_ALPHABET


def test_codes_typed_any_way_open_the_workbook(
    data_dir: Path, room: list[workshop.CoupleCode]
) -> None:
    code = room[0].code
    for typed in (
        format_code(code).lower(),
        f" {code[:4]} {code[4:8]} {code[8:]} ",
        f"{code[:4]}\u2013{code[4:8]}\u2014{code[8:]}",  # dashes a phone's keyboard makes
        f"{code[:6]} - {code[6:].lower()}",
    ):
        assert resolve_code(data_dir, typed) == room[0].name, typed


def test_old_six_letter_codes_still_open_their_workbook(data_dir: Path) -> None:
    (c,) = create_couples(data_dir, 1)
    path = data_dir / workshop.WORKSHOP_FILE
    doc = json.loads(path.read_text())
    doc["codes"] = {"KT7Q4M": c.name}
    path.write_text(json.dumps(doc))
    assert resolve_code(data_dir, "kt7 q4m") == c.name
    assert format_code("KT7Q4M") == "KT7 Q4M"


def test_a_page_waits_longer_after_each_wrong_code(
    data_dir: Path, room: list[workshop.CoupleCode], clock: Clock
) -> None:
    for _ in range(PAGE_FREE_ATTEMPTS):
        with pytest.raises(UnknownCode, match="not part of this workshop"):
            resolve_code(data_dir, _wrong(room))
    waits = []
    for _ in range(4):
        with pytest.raises(TooManyAttempts, match="wait") as refused:
            resolve_code(data_dir, room[0].code)  # even the right code: nothing to learn
        waits.append(refused.value.wait)
        clock.advance(refused.value.wait)
        with pytest.raises(UnknownCode, match="not part of this workshop"):
            resolve_code(data_dir, _wrong(room))
    assert waits == [1.0, 2.0, 4.0, 8.0], "the delays must double"
    clock.advance(16)
    assert resolve_code(data_dir, room[0].code) == room[0].name, "the right code works after"


def test_delays_stay_capped_however_many_codes_a_page_tries() -> None:
    assert workshop._delay(5_000, PAGE_FREE_ATTEMPTS, workshop.PAGE_MAX_DELAY) == 60.0
    assert workshop._delay(0, PAGE_FREE_ATTEMPTS, workshop.PAGE_MAX_DELAY) == 0.0


def test_malformed_codes_are_not_counted(
    data_dir: Path, room: list[workshop.CoupleCode], clock: Clock
) -> None:
    for typed in ["abc", "../etc/passwd", "0000-0000-0000", "<b>XX"] * 5:
        with pytest.raises(UnknownCode, match="is not a join code"):
            resolve_code(data_dir, typed)
    assert resolve_code(data_dir, room[1].code) == room[1].name


def test_the_whole_workshop_slows_down_when_many_pages_guess(
    data_dir: Path, room: list[workshop.CoupleCode], clock: Clock
) -> None:
    for _ in range(SERVER_FREE_ATTEMPTS):
        _new_page()
        with pytest.raises(UnknownCode, match="not part of this workshop"):
            resolve_code(data_dir, _wrong(room))
    _new_page()
    with pytest.raises(TooManyAttempts, match="Many codes") as refused:
        resolve_code(data_dir, room[0].code)
    assert refused.value.wait == 1.0
    clock.advance(1.0)
    assert resolve_code(data_dir, room[0].code) == room[0].name


def test_the_limit_is_shared_between_processes(
    data_dir: Path, room: list[workshop.CoupleCode]
) -> None:
    """Each Voila page is its own kernel process: the workshop's count lives in its folder."""
    for _ in range(SERVER_FREE_ATTEMPTS + 1):
        _new_page()
        with pytest.raises(UnknownCode):
            resolve_code(data_dir, _wrong(room))
    script = (
        "import sys\n"
        "from workbook.workshop import TooManyAttempts, resolve_code\n"
        "try:\n"
        "    resolve_code(sys.argv[1], sys.argv[2])\n"
        "except TooManyAttempts:\n"
        "    print('refused')\n"
        "else:\n"
        "    print('opened')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(data_dir), room[0].code],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "refused", done.stderr[-2000:]


def test_guessing_one_of_fifty_codes_takes_longer_than_30_days(
    data_dir: Path, room: list[workshop.CoupleCode], clock: Clock
) -> None:
    """An attacker who opens a new page for every guess and waits out every delay."""
    hours = 3
    end = clock.now + hours * 3600
    guesses = 0
    while clock.now < end:
        _new_page()
        try:
            resolve_code(data_dir, _wrong(room))
        except TooManyAttempts as refused:
            clock.advance(refused.wait)
        except UnknownCode:
            guesses += 1
    per_day = guesses / hours * 24
    # Steady state: one guess per SERVER_MAX_DELAY seconds (the free ones are a first burst).
    assert per_day <= 86_400 / SERVER_MAX_DELAY + 24 / hours * (SERVER_FREE_ATTEMPTS + 6)
    codes = len(CODE_ALPHABET) ** CODE_LENGTH
    expected_guesses = (codes + 1) / (COUPLES_IN_A_BIG_WORKSHOP + 1)
    expected_days = expected_guesses / per_day
    assert expected_days > 30, f"{expected_days:.3g} days"
    assert math.log10(expected_days) > 9, "about 1e12 days: far beyond 30"


def test_the_join_form_refuses_rapid_guesses(
    data_dir: Path, room: list[workshop.CoupleCode], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKBOOK_WORKSHOP", "1")
    start = start_ui.StartPage()
    for _ in range(PAGE_FREE_ATTEMPTS):
        start.join_code.value = _wrong(room)
        start.join_button.click()
        assert "not part of this workshop" in start.status.message
    start.join_code.value = room[0].code
    start.join_button.click()
    assert start.status.kind == "error"
    assert "wait" in start.status.message.lower()
    assert start.book is None, "a workbook opened during the wait"


def test_facilitator_replaces_a_couples_code(
    data_dir: Path, room: list[workshop.CoupleCode]
) -> None:
    old = room[1]
    new = replace_code(data_dir, old.name)
    assert new.name == old.name
    assert new.code != old.code
    assert len(new.code) == CODE_LENGTH
    assert resolve_code(data_dir, new.code) == old.name
    with pytest.raises(UnknownCode, match="not part of this workshop"):
        resolve_code(data_dir, old.code)
    assert workshop.join_code(old.name, data_dir) == new.code
    others = {c.name: c.code for c in workshop.couple_codes(data_dir)}
    assert others[room[0].name] == room[0].code, "another couple's code changed"
    with pytest.raises(workshop.ValidationError, match="no workbook called"):
        replace_code(data_dir, "couple-99")


def test_facilitator_page_replaces_a_code(data_dir: Path, room: list[workshop.CoupleCode]) -> None:
    dash = facilitator.FacilitatorDashboard(data_dir)
    assert list(dash.replace_which.options) == [c.name for c in room]
    dash.replace_which.value = room[2].name
    dash.replace_button.click()
    assert dash.replace_status.kind == "ok"
    new = workshop.join_code(room[2].name, data_dir)
    assert new is not None
    assert new != room[2].code
    assert format_code(new) in html_of(dash)
    assert format_code(room[2].code) not in html_of(dash)
