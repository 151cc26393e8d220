"""Join codes cannot be guessed (long codes, limits per page), and no one can block the room."""

from __future__ import annotations

import json
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


class Pages:
    """Several pages (kernels) in one test process: each has its own wrong-code count."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.monkeypatch = monkeypatch
        self.states: dict[str, dict[str, workshop._PageAttempts]] = {}

    def on(self, page: str) -> None:
        """Make `page` the one that types next (a new page starts with no attempts)."""
        self.monkeypatch.setattr(workshop, "_PAGE_ATTEMPTS", self.states.setdefault(page, {}))


@pytest.fixture
def pages(monkeypatch: pytest.MonkeyPatch) -> Pages:
    return Pages(monkeypatch)


def test_a_phone_guessing_without_pause_never_blocks_another_phone(
    data_dir: Path, room: list[workshop.CoupleCode], clock: Clock, pages: Pages
) -> None:
    """One phone types a wrong code every second for an hour. Meanwhile, every minute, another
    phone joins with its right code (after one honest typo), and a couple that joined moves
    to a new page (a new kernel, its code in the address): none is refused or told to wait."""
    guessed = refused_guesses = 0
    for second in range(3600):
        pages.on("attacker")
        try:
            resolve_code(data_dir, _wrong(room))
        except TooManyAttempts:
            refused_guesses += 1
        except UnknownCode:
            guessed += 1
        if second % 60 == 30:
            pages.on(f"arriving-{second}")
            with pytest.raises(UnknownCode, match="not part of this workshop"):
                resolve_code(data_dir, _wrong(room))  # an honest typo costs no wait
            assert resolve_code(data_dir, room[1].code) == room[1].name, second
            pages.on(f"next-page-{second}")
            assert resolve_code(data_dir, room[2].code) == room[2].name, second
        clock.advance(1.0)
    # The guessing phone itself is held to its own doubling waits (capped at a minute).
    assert guessed <= PAGE_FREE_ATTEMPTS + 3600 / workshop.PAGE_MAX_DELAY + 7, guessed
    assert refused_guesses >= 3600 - guessed


def test_fifty_couples_with_honest_typos_wait_for_nothing(
    data_dir: Path, clock: Clock, pages: Pages
) -> None:
    room = create_couples(data_dir, COUPLES_IN_A_BIG_WORKSHOP)
    for c in room:
        for who in ("a", "b"):
            pages.on(f"{c.name}/{who}")
            for _ in range(3):  # three typos each, all in the same minute
                with pytest.raises(UnknownCode, match="not part of this workshop") as err:
                    resolve_code(data_dir, _wrong(room))
                assert not isinstance(err.value, TooManyAttempts)
            assert resolve_code(data_dir, format_code(c.code)) == c.name
    clock.advance(1.0)


def test_when_the_room_sees_many_wrong_codes_pages_wait_sooner_but_right_codes_open(
    data_dir: Path, room: list[workshop.CoupleCode], clock: Clock, pages: Pages
) -> None:
    for i in range(SERVER_FREE_ATTEMPTS):
        pages.on(f"guess-{i}")
        with pytest.raises(UnknownCode, match="not part of this workshop"):
            resolve_code(data_dir, _wrong(room))
    pages.on("busy")
    with pytest.raises(UnknownCode, match="not part of this workshop"):
        resolve_code(data_dir, _wrong(room))  # one more than the room's budget
    with pytest.raises(TooManyAttempts, match="Several codes") as refused:
        resolve_code(data_dir, room[0].code)  # this page now waits after one wrong code
    assert refused.value.wait == 1.0
    pages.on("a-new-page")
    assert resolve_code(data_dir, room[0].code) == room[0].name, "a right code is never refused"
    clock.advance(workshop.SERVER_WINDOW)
    pages.on("an-hour-later")
    for _ in range(PAGE_FREE_ATTEMPTS):
        with pytest.raises(UnknownCode, match="not part of this workshop") as err:
            resolve_code(data_dir, _wrong(room))
        assert not isinstance(err.value, TooManyAttempts)


def test_the_workshop_count_is_shared_between_processes(
    data_dir: Path, room: list[workshop.CoupleCode]
) -> None:
    """Each Voila page is its own kernel process: the workshop's count lives in its folder,
    and another process is never refused its right code because of it."""
    for _ in range(SERVER_FREE_ATTEMPTS + 1):
        _new_page()
        with pytest.raises(UnknownCode):
            resolve_code(data_dir, _wrong(room))
    script = (
        "import sys\n"
        "from workbook import workshop\n"
        "print(workshop.resolve_code(sys.argv[1], sys.argv[2]))\n"
        "try:\n"
        "    workshop.resolve_code(sys.argv[1], sys.argv[3])\n"
        "except workshop.UnknownCode:\n"
        "    pass\n"
        "print(workshop._page_attempts(workshop._folder(sys.argv[1])).free)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(data_dir), room[0].code, _wrong(room)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    opened, free = done.stdout.split()
    assert opened == room[0].name, done.stderr[-2000:]
    assert int(free) == workshop.PAGE_FREE_ATTEMPTS_BUSY, "the room's count was not seen"


def test_guessing_one_of_fifty_codes_is_impractical_even_at_full_speed(
    data_dir: Path, room: list[workshop.CoupleCode], clock: Clock
) -> None:
    """An attacker who opens a new page for every guess (as fast as the server starts pages,
    here: with no time passing at all) gets at most PAGE_FREE_ATTEMPTS_BUSY guess per page once
    the room is busy; a page that keeps guessing waits up to a minute per code."""
    per_page = []
    for _ in range(SERVER_FREE_ATTEMPTS + 50):
        _new_page()
        n = 0
        while True:
            try:
                resolve_code(data_dir, _wrong(room))
            except TooManyAttempts:
                break
            except UnknownCode:
                n += 1
        per_page.append(n)
    assert per_page[0] == PAGE_FREE_ATTEMPTS
    assert per_page[-1] == workshop.PAGE_FREE_ATTEMPTS_BUSY
    # Even 1,000 guesses a second (far beyond this server's page starts, which are counted in
    # seconds per page) would take tens of thousands of years to find one of 50 codes.
    codes = len(CODE_ALPHABET) ** CODE_LENGTH
    expected_guesses = (codes + 1) / (COUPLES_IN_A_BIG_WORKSHOP + 1)
    years = expected_guesses / 1_000 / 86_400 / 365
    assert years > 10_000, f"{years:.3g} years"


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
    assert [name for name, _ in dash.replace_which.options] == [
        facilitator.CHOOSE_COUPLE,
        *(c.name for c in room),
    ]
    # Nothing chosen yet (the list starts on its prompt): nothing changes, and it says why.
    assert dash.replace_which.value == ""
    dash.replace_button.click()
    assert dash.replace_status.kind == "error"
    assert "Choose the couple" in dash.replace_status.message
    assert [workshop.join_code(c.name, data_dir) for c in room] == [c.code for c in room]
    dash.replace_which.value = room[2].name
    dash.replace_button.click()
    # The first press only asks (the re-walk: one click on the wrong row cut a couple off).
    assert dash.replace_status.kind == "info"
    assert f"again to replace the code of {room[2].name}" in dash.replace_status.message
    assert workshop.join_code(room[2].name, data_dir) == room[2].code
    dash.replace_which.value = room[1].name  # another couple chosen: it asks again
    assert dash.replace_status.message == ""
    dash.replace_button.click()
    assert dash.replace_status.kind == "info"
    assert workshop.join_code(room[1].name, data_dir) == room[1].code
    dash.replace_which.value = room[2].name
    dash.replace_button.click()
    dash.replace_button.click()
    assert dash.replace_status.kind == "ok"
    assert workshop.join_code(room[1].name, data_dir) == room[1].code
    new = workshop.join_code(room[2].name, data_dir)
    assert new is not None
    assert new != room[2].code
    # The new code is not on screen (the old one was overheard), until asked.
    assert format_code(new) not in html_of(dash)
    assert f"Give {room[2].name} their new code" in html_of(dash)
    dash.show_codes.value = True
    assert format_code(new) in html_of(dash)
    assert format_code(room[2].code) not in html_of(dash)


def test_a_replaced_code_leaves_the_list_and_slips_of_couples_just_created(
    data_dir: Path,
) -> None:
    """The facilitator walk: after a replacement, "Created 5 couples" and its slips still held
    the dead code, so a slip reprinted from there opened nothing."""
    dash = facilitator.FacilitatorDashboard(data_dir)
    dash.count.value = 3
    dash.create_button.click()
    assert dash.create_status.kind == "ok", dash.create_status.message
    first = dash._made[0]
    dash.replace_which.value = first.name
    dash.replace_button.click()
    dash.replace_button.click()
    assert dash.replace_status.kind == "ok"
    new = workshop.join_code(first.name, data_dir)
    assert new is not None
    assert new != first.code
    dash.show_codes.value = True
    created = dash.codes.value
    assert format_code(new) in created
    assert format_code(first.code) not in created
    assert format_code(first.code) not in html_of(dash)
    # Another couple chosen next: the box no longer shows the first couple's new slip (the
    # facilitator walk saw "Give couple-02 their new code" under couple-03's question).
    assert format_code(new) in dash.new_code.value
    dash.replace_which.value = dash._made[1].name
    dash.replace_button.click()
    assert dash.new_code.value == ""
    assert first.name not in dash.replace_status.message
    assert format_code(new) in dash.codes.value, "the new code stays in the list"


def test_a_page_open_with_a_replaced_code_closes_at_its_next_check(
    data_dir: Path, room: list[workshop.CoupleCode]
) -> None:
    """The facilitator re-walk: a page opened with a code later replaced (it was overheard)
    kept reading and saving for over a minute. At its half-minute check it now stops serving
    the workbook and sends the browser to the start page, where only the new code opens it."""
    import sqlite3

    from workbook.store import open_workbook
    from workbook.ui.session import Session

    couple = room[1]
    old = Session(wb=open_workbook(couple.name, data_dir=data_dir), who="a", code=couple.code)
    by_name = Session(wb=open_workbook(couple.name, data_dir=data_dir), who="b", cookies={})
    neighbour = Session(
        wb=open_workbook(room[2].name, data_dir=data_dir), who="a", code=room[2].code
    )
    old.privacy._tick_work()
    assert "data-op='leave'" not in old.privacy.bridge.value, "a current code stays open"

    replace_code(data_dir, couple.name)
    for page in (old, by_name, neighbour):
        page.privacy._tick_work()  # what each page's half-minute timer does
    assert "data-op='leave' " in old.privacy.bridge.value
    assert "data-value='./00_start.ipynb'" in old.privacy.bridge.value
    with pytest.raises(sqlite3.ProgrammingError):
        old.wb.checkins()  # nothing more is read or written through that page
    assert old.privacy.closed
    for page in (by_name, neighbour):
        assert "data-op='leave'" not in page.privacy.bridge.value
        assert page.wb.checkins() == []
        page.wb.close()
