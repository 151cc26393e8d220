"""The quick exit's beacon ends the sittings it names, on the server, and nothing else.

healing.js sends the sitting cookies (form-encoded) to ``<base>ht/exit`` on the exit, because
the page's own "end" press can be overtaken by the kernel's shutdown on the way out.
"""

from __future__ import annotations

import base64
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

import pytest

from workbook.exit_sittings import MAX_BODY, cookie_name, end_sittings, named_sittings
from workbook.store import Workbook, keyring, open_workbook

PASS = "blue kettle on a quiet morning"


def sittings(book: Workbook) -> list[tuple[str, str]]:
    con = sqlite3.connect(book.path)
    try:
        return sorted((r[0], r[1]) for r in con.execute("SELECT author, id FROM sittings"))
    finally:
        con.close()


def unlocked_sitting(book: Workbook, who: str) -> str:
    book.set_passphrase(who, PASS)
    book.unlock(who, PASS)
    return book.open_sitting(who)


@pytest.fixture
def two_books(
    new_book: Callable[[str, str, str], Workbook],
) -> tuple[Workbook, Workbook]:
    return new_book("river-and-sky", "River", "Sky"), new_book("ana-and-luis", "Ana", "Luis")


def test_the_beacon_ends_the_sittings_it_names_and_no_other(
    data_dir: Path, two_books: tuple[Workbook, Workbook]
) -> None:
    book, other = two_books
    river = unlocked_sitting(book, "a")
    sky = unlocked_sitting(book, "b")
    ana = unlocked_sitting(other, "a")
    body = urlencode({cookie_name(book.name, "a"): river, "unrelated": "x"}).encode()

    assert end_sittings(data_dir, body) == 1

    assert [who for who, _ in sittings(book)] == ["b"]  # Sky's sitting stays
    assert len(sittings(other)) == 1
    assert book.resume_sitting("b", sky)
    assert not book.resume_sitting("a", river)
    assert other.resume_sitting("a", ana)


def test_two_sittings_of_two_workbooks_in_one_beacon(
    data_dir: Path, two_books: tuple[Workbook, Workbook]
) -> None:
    book, other = two_books
    body = urlencode(
        {
            cookie_name(book.name, "b"): unlocked_sitting(book, "b"),
            cookie_name(other.name, "a"): unlocked_sitting(other, "a"),
        }
    ).encode()
    assert end_sittings(data_dir, body) == 2
    assert sittings(book) == []
    assert sittings(other) == []


@pytest.mark.parametrize(
    "make_body",
    [
        pytest.param(lambda name, token: b"", id="empty"),
        pytest.param(
            lambda name, token: urlencode({cookie_name(name, "b"): token}).encode(),
            id="the-other-partner",
        ),
        pytest.param(
            lambda name, token: urlencode({cookie_name("not-there", "a"): token}).encode(),
            id="no-such-workbook",
        ),
        pytest.param(
            lambda name, token: urlencode({cookie_name(name, "a"): "made-up.AAAA"}).encode(),
            id="made-up-token",
        ),
        pytest.param(
            lambda name, token: (
                urlencode({cookie_name(name, "a"): token}).encode() + b"&" + b"x" * MAX_BODY
            ),
            id="too-long",
        ),
        pytest.param(
            lambda name, token: "ht_sit_ü=1".encode(),
            id="not-ascii",
        ),
        pytest.param(
            lambda name, token: urlencode({"ht_sit_../../etc_a": token}).encode(),
            id="odd-name",
        ),
    ],
)
def test_a_beacon_that_names_no_sitting_changes_nothing(
    data_dir: Path,
    two_books: tuple[Workbook, Workbook],
    make_body: Callable[[str, str], bytes],
) -> None:
    book, _ = two_books
    token = unlocked_sitting(book, "a")
    before = sittings(book)
    assert end_sittings(data_dir, make_body(book.name, token)) == 0
    assert sittings(book) == before
    assert book.resume_sitting("a", token)


def test_the_cookie_names_read_from_a_beacon() -> None:
    name = cookie_name("river-and-sky", "b")
    assert name.startswith("ht_sit_")
    assert name.endswith("_b")
    digest = name[len("ht_sit_") : -len("_b")]
    assert named_sittings(urlencode({name: "id.secret"}).encode()) == [(digest, "b", "id.secret")]
    assert named_sittings(b"%zz=1&=&&ht_sit_=") == []


# -- the file is scrubbed, whoever deleted the row and whoever was reading --------------------


def _traces(book: Workbook, token: str) -> list[bytes]:
    """What opens the key if found together: the sealed key and the browser's secret."""
    sid, secret = token.split(".")
    [(wrapped,)] = [
        (bytes(r[0]),)
        for r in sqlite3.connect(book.path).execute(
            "SELECT wrapped FROM sittings WHERE id = ?", (sid,)
        )
    ]
    return [wrapped, base64.urlsafe_b64decode(secret + "=" * (-len(secret) % 4))]


def _left_on_disk(book: Workbook, traces: list[bytes]) -> bool:
    raw = b"".join(p.read_bytes() for p in sorted(book.path.parent.glob(book.path.name + "*")))
    return any(trace in raw for trace in traces)


def _reading(book: Workbook) -> sqlite3.Connection:
    """Another page in the middle of a read: its snapshot blocks a scrub until it ends."""
    reader = sqlite3.connect(book.path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    reader.execute("SELECT COUNT(*) FROM sittings").fetchone()
    return reader


def _done(reader: sqlite3.Connection) -> None:
    reader.execute("COMMIT")
    reader.close()


@pytest.fixture
def quick_scrubs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blocked scrub gives up after 50 ms instead of 2 s."""
    monkeypatch.setattr(keyring, "SCRUB_WAIT_MS", 50)


@pytest.mark.usefixtures("quick_scrubs")
def test_the_beacon_scrubs_a_sitting_a_page_ended_but_could_not_scrub(
    data_dir: Path, two_books: tuple[Workbook, Workbook]
) -> None:
    """The quick exit in CI once left the sealed key in the WAL: the exiting page's kernel
    deleted the row first, its scrub did not happen (blocked, or the kernel shut down on the
    way out), and the beacon, finding no row, scrubbed nothing."""
    book, _ = two_books
    token = unlocked_sitting(book, "a")
    traces = _traces(book, token)
    page = open_workbook(book.name, data_dir=data_dir)
    reader = _reading(book)
    try:
        assert page.end_sitting("a", token)  # the page deleted it; its scrub was blocked
    finally:
        _done(reader)
    assert _left_on_disk(book, traces), "the WAL still holds the sitting"

    body = urlencode({cookie_name(book.name, "a"): token}).encode()
    assert end_sittings(data_dir, body) == 0  # already ended
    assert not _left_on_disk(book, traces), "the beacon left the key in the WAL"
    page.close()


@pytest.mark.usefixtures("quick_scrubs")
def test_the_beacon_keeps_scrubbing_until_a_reader_is_done(
    data_dir: Path, two_books: tuple[Workbook, Workbook]
) -> None:
    book, _ = two_books
    token = unlocked_sitting(book, "a")
    traces = _traces(book, token)
    reader = _reading(book)
    later = threading.Timer(1.0, _done, (reader,))  # the other page's read ends a second later
    later.start()
    try:
        body = urlencode({cookie_name(book.name, "a"): token}).encode()
        assert end_sittings(data_dir, body) == 1
    finally:
        later.join()
    assert not _left_on_disk(book, traces), "the beacon gave up while a page was reading"


@pytest.mark.usefixtures("quick_scrubs")
def test_a_page_finishes_a_blocked_scrub_at_its_next_check(
    data_dir: Path, two_books: tuple[Workbook, Workbook]
) -> None:
    """Lock pressed while the other partner's page was reading: the page that locked scrubs
    again at its half-minute check (`purge_sittings`)."""
    book, _ = two_books
    token = unlocked_sitting(book, "a")
    traces = _traces(book, token)
    reader = _reading(book)
    try:
        assert book.end_sittings("a") == 1
    finally:
        _done(reader)
    assert _left_on_disk(book, traces)
    book.purge_sittings()  # what each open page does every half minute
    assert not _left_on_disk(book, traces)
