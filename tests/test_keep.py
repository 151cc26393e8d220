"""Issue 22, items 3 to 5: reminders (.ics), backup and restore, the Daylio import, their CLI."""

from __future__ import annotations

import json
import stat
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

import workbook
from workbook import cli, daylio, reminders
from workbook.domain import ValidationError
from workbook.store import read_backup

# -- reminders --------------------------------------------------------------------------------


def _plan(**kw: object) -> reminders.ReminderPlan:
    base: dict[str, object] = {
        "who": "a",
        "at": time(8, 30),
        "tz": "Europe/Madrid",
        "start": date(2026, 12, 7),
        "url": reminders.start_link(reminders.DEFAULT_BASE_URL, "sam-and-alex", "a"),
    }
    return reminders.ReminderPlan(**(base | kw))  # type: ignore[arg-type]


def test_the_mood_list_is_in_daylios_order_then_custom_moods_by_count() -> None:
    counts = {"Sunny": 1, "awful": 4, "Tired": 3, "rad": 1, "Meh": 2, "good": 5}
    assert daylio.mood_order(counts) == ["rad", "good", "Meh", "awful", "Tired", "Sunny"]
    assert [daylio.entries_text(n) for n in (1, 3)] == ["1 entry", "3 entries"]


def test_the_offered_zones_are_real_places_with_a_sensible_first() -> None:
    zones = reminders.place_zones()
    assert zones[0] in (reminders.local_zone(), reminders.DEFAULT_PLACE)
    assert zones[1:] == sorted(zones[1:])
    for legacy in ("Factory", "localtime", "Asia/Calcutta", "Etc/GMT+5", "Etc/UTC", "US/Eastern"):
        assert legacy not in zones, legacy
    assert not [z for z in zones if z.startswith(("Etc/", "posix/", "right/", "SystemV/"))]
    for place in ("Europe/Madrid", "America/Chicago", "Asia/Kolkata", "Australia/Sydney"):
        assert place in zones
    assert len(zones) > 300


def test_a_time_is_said_on_both_clocks() -> None:
    assert reminders.both_clocks(time(20, 0)) == "20:00 (8 pm)"
    assert reminders.both_clocks(time(8, 30)) == "08:30 (8:30 am)"
    assert reminders.both_clocks(time(0, 5)) == "00:05 (12:05 am)"
    assert reminders.both_clocks(time(12, 0)) == "12:00 (12 pm)"


def test_the_calendar_file_parses_back_with_a_daily_and_a_weekly_event() -> None:
    data = reminders.reminders_ics(_plan(weekly_from=date(2026, 12, 10)), "sam-and-alex")
    assert data.startswith(b"BEGIN:VCALENDAR\r\n"), "RFC 5545 lines end in CRLF"
    cal = icalendar.Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0"
    events = {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}
    daily = events["Healing Together: a moment to check in"]
    weekly = events["Healing Together: the weekly satisfaction check"]
    assert daily["RRULE"]["FREQ"] == ["DAILY"]
    assert weekly["RRULE"]["FREQ"] == ["WEEKLY"]
    start = daily.decoded("DTSTART")
    assert (start.hour, start.minute, str(start.tzinfo)) == (8, 30, "Europe/Madrid")
    assert start.utcoffset() == timedelta(hours=1), "8:30 in Madrid in December"
    assert weekly.decoded("DTSTART").date() == date(2026, 12, 10), "when the check is next due"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Madrid"]
    url = "http://127.0.0.1:8866/voila/render/00_start.ipynb?wb=sam-and-alex&who=a"
    for e in events.values():
        assert str(e["URL"]) == url
        assert url in str(e["DESCRIPTION"])
        assert "streak" not in str(e["DESCRIPTION"]).lower()
    # The weekly check's total is charted: the file never says there is no score.
    assert "no score" not in str(weekly["DESCRIPTION"])
    assert "charted" in str(weekly["DESCRIPTION"])
    # No generator's note ("This timezone only works from ... to ...") in the calendar.
    assert b"only works" not in data
    assert all("COMMENT" not in tz for tz in cal.walk("VTIMEZONE"))
    # The same workbook and partner give the same UIDs (a newer file replaces the events).
    again = icalendar.Calendar.from_ical(reminders.reminders_ics(_plan(), "sam-and-alex"))
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {str(e["UID"]) for e in events.values()}


def test_a_discreet_calendar_names_no_app_workbook_or_link() -> None:
    data = reminders.reminders_ics(_plan(discreet=True), "sam-and-alex")
    text = data.decode()
    for word in ("Healing", "sam-and-alex", "http", "Sam"):
        assert word not in text
    cal = icalendar.Calendar.from_ical(data)
    assert sorted(str(e["SUMMARY"]) for e in cal.walk("VEVENT")) == ["Check in", "Weekly check"]


@pytest.mark.parametrize(
    "link",
    [
        "http://127.0.0.1:8866/voila/render/00_start.ipynb?wb=x&token=abc",
        "http://127.0.0.1:8866/voila/render/00_start.ipynb?code=AAAA-BBBB",
        "http://user:pw@example.org/",
        "javascript:alert(1)",
    ],
)
def test_a_link_with_a_token_or_code_is_refused(link: str) -> None:
    with pytest.raises(ValidationError):
        _plan(url=link)


def test_bad_times_and_zones_get_a_message() -> None:
    assert reminders.parse_time(" 7:05 ") == time(7, 5)
    for bad in ("25:00", "noon", "7", ""):
        with pytest.raises(ValidationError, match="HH:MM"):
            reminders.parse_time(bad)
    with pytest.raises(ValidationError, match="time zone"):
        _plan(tz="Mars/Olympus")


def test_cli_reminders(wb: workbook.Workbook, data_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.ics"
    args = ["--data-dir", str(data_dir), "reminders", "sam-and-alex", "--partner", "b"]
    assert cli.main([*args, "--out", str(out), "--time", "07:45", "--tz", "America/Chicago"]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    starts = [e.decoded("DTSTART") for e in cal.walk("VEVENT")]
    assert {(s.hour, s.minute, str(s.tzinfo)) for s in starts} == {(7, 45, "America/Chicago")}
    assert "who=b" in str(cal.walk("VEVENT")[0]["URL"])
    bad = tmp_path / "bad.ics"
    assert cli.main([*args, "--out", str(bad), "--time", "7pm"]) == 2
    assert not bad.exists(), "bad input writes nothing"


# -- backup and restore -----------------------------------------------------------------------


def _filled(wb: workbook.Workbook) -> None:
    wb.add_checkin("a", 6, 5, "after dinner")
    wb.add_checkin("b", 4, 7)
    wb.set_passphrase("a", "sam private words")
    wb.add_reflection("a", 6, "journal", "ONLY-FOR-SAM", visibility="private")
    wb.add_checkin("a", 3, 3, "PRIVATE-NOTE", visibility="private")
    wb.add_reflection("b", 1, "i-statement", "I feel heard when we slow down")
    wb.add_promise("b", "Call if late")
    wb.add_csi4("a", (4, 3, 3, 4))
    wb.lock("a")


def test_backup_restores_every_entry_elsewhere_with_private_text_still_locked(
    wb: workbook.Workbook, tmp_path: Path
) -> None:
    _filled(wb)
    text = wb.backup()
    assert "ONLY-FOR-SAM" not in text, "sealed in the file"
    assert "PRIVATE-NOTE" not in text
    summary = read_backup(text)
    assert summary.checked
    assert summary.names == {"a": "Sam", "b": "Alex"}
    assert summary.counts["checkins"] == 3
    assert summary.private == 2
    said = " ".join(summary.lines())
    assert "The workbook 'sam-and-alex' of Sam and Alex" in said
    assert "3 check-ins, 2 written answers, 1 promise, 1 weekly satisfaction check" in said
    assert "2 private entries, still locked" in said
    assert "1 private entry, still locked" in " ".join(replace(summary, private=1).lines())
    nothing = " ".join(replace(summary, private=0).lines())
    assert "No private entries." in nothing
    assert "0 private" not in nothing
    assert "still locked" not in nothing

    fresh = tmp_path / "other-computer"
    copy = workbook.restore_backup(text, data_dir=fresh)
    assert copy.name == "sam-and-alex"
    assert copy.path.parent == fresh
    assert json.loads(copy.export_json()) | {"meta": None} == json.loads(wb.export_json()) | {
        "meta": None
    }, "every row, byte for byte"
    assert len(copy.checkins()) == 2, "the private check-in stays locked"
    with pytest.raises(workbook.Locked):
        copy.add_reflection("a", 6, "journal", "x", visibility="private")
    copy.unlock("a", "sam private words")
    assert "ONLY-FOR-SAM" in [r.text for r in copy.reflections(viewer="a")]
    assert "PRIVATE-NOTE" in [c.note for c in copy.checkins(viewer="a")]
    copy.close()


def test_a_partners_backup_needs_their_unlock_when_they_have_a_passphrase(
    wb: workbook.Workbook,
) -> None:
    _filled(wb)  # Sam has a passphrase and is locked; Alex has none
    with pytest.raises(workbook.Locked, match="No backup was made"):
        wb.backup(viewer="a")
    assert "healing-together-backup" in wb.backup(viewer="b")
    wb.unlock("a", "sam private words")
    assert read_backup(wb.backup(viewer="a")).private == 2


def test_a_restore_never_overwrites_an_existing_workbook(
    wb: workbook.Workbook, data_dir: Path
) -> None:
    _filled(wb)
    before = wb.path.read_bytes()
    with pytest.raises(workbook.WorkbookExists, match="'sam-and-alex-2'"):
        workbook.restore_backup(wb.backup(), data_dir=data_dir)
    assert wb.path.read_bytes() == before
    other = workbook.restore_backup(wb.backup(), "moved", data_dir=data_dir)
    assert len(other.checkins()) == 2
    other.close()


def _damaged(text: str) -> list[bytes]:
    doc = json.loads(text)
    flipped = doc["export"].replace('"mood": 6', '"mood": 9')
    newer = dict(doc, version=99)
    return [
        text[: len(text) // 2].encode(),  # cut short on the way
        json.dumps(dict(doc, export=flipped)).encode(),  # changed after it was made
        json.dumps(newer).encode(),
        b"\x89PNG\r\n\x1a\n not a backup",
        json.dumps({"format": "something-else", "rows": []}).encode(),
        b"full_date,date,weekday,time,mood,activities,note_title,note\n",
    ]


def test_a_damaged_or_foreign_file_is_refused_and_nothing_is_written(
    wb: workbook.Workbook, tmp_path: Path
) -> None:
    _filled(wb)
    fresh = tmp_path / "fresh"
    for n, data in enumerate(_damaged(wb.backup())):
        with pytest.raises(ValidationError, match="Nothing was restored"):
            workbook.restore_backup(data, f"copy-{n}", data_dir=fresh)
        assert not fresh.exists() or list(fresh.iterdir()) == [], f"file {n} wrote something"


def test_a_plain_export_restores_too(wb: workbook.Workbook, tmp_path: Path) -> None:
    _filled(wb)
    summary = read_backup(wb.export_json())
    assert not summary.checked
    assert summary.counts["promises"] == 1
    workbook.restore_backup(wb.export_json(), data_dir=tmp_path).close()


def test_cli_backup_and_restore(wb: workbook.Workbook, data_dir: Path, tmp_path: Path) -> None:
    _filled(wb)
    out = tmp_path / "backup.json"
    assert cli.main(["--data-dir", str(data_dir), "backup", "sam-and-alex", "--out", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    fresh = tmp_path / "fresh"
    assert cli.main(["--data-dir", str(fresh), "restore", str(out)]) == 0
    assert cli.main(["--data-dir", str(fresh), "restore", str(out)]) == 2, "never overwrites"
    assert cli.main(["--data-dir", str(fresh), "restore", str(out), "--as", "moved"]) == 0
    assert workbook.list_names(fresh) == ["moved", "sam-and-alex"]
    # The installed app's command takes the same verbs (it serves only without one).
    again = tmp_path / "again.json"
    assert cli.app_main(["--data-dir", str(fresh), "backup", "moved", "--out", str(again)]) == 0
    assert read_backup(again.read_bytes()).counts["checkins"] == 3
    broken = tmp_path / "broken.json"
    broken.write_bytes(out.read_bytes()[:-40])
    assert cli.main(["--data-dir", str(fresh), "restore", str(broken), "--as", "x"]) == 2
    assert workbook.list_names(fresh) == ["moved", "sam-and-alex"]


# -- Daylio -----------------------------------------------------------------------------------

#: Written in Daylio's real export format (its header, quoting and " | " between activities).
DAYLIO_CSV = (
    "full_date,date,weekday,time,mood,activities,note_title,note\n"
    '2026-11-30,November 30,Monday,21:10,good,"family | cooking",Dinner,"We laughed, finally."\n'
    "2026-11-30,November 30,Monday,08:02,meh,,,\n"
    '2026-12-01,December 1,Tuesday,8:15 pm,Sunny,"walk",,""\n'
    '2026-12-02,December 2,Wednesday,22:40,awful,,Argument,"It hurt."\n'
)


def test_daylio_entries_moods_and_mapping() -> None:
    entries = daylio.read_daylio(DAYLIO_CSV.encode("utf-8-sig"), "Europe/Madrid")
    assert [e.at.strftime("%d %H:%M") for e in entries] == [
        "30 08:02",
        "30 21:10",
        "01 20:15",
        "02 22:40",
    ]
    # The title leads its note, not run into it ("Dinner We laughed" read as one sentence).
    assert entries[1].note == "Dinner: We laughed, finally.\n\nActivities: family, cooking"
    assert entries[3].note == "Argument: It hurt."
    assert daylio.mood_counts(entries) == {"meh": 1, "good": 1, "Sunny": 1, "awful": 1}
    mapping = daylio.default_mapping(list(daylio.mood_counts(entries)))
    assert mapping == {"meh": 5, "good": 7, "Sunny": None, "awful": 1}
    with pytest.raises(ValidationError, match="'Sunny'"):
        daylio.to_checkins(entries, mapping, "a")
    checkins = daylio.to_checkins(entries, mapping | daylio.parse_mapping("Sunny=8"), "a")
    assert [(c.mood, c.trust, c.visibility) for c in checkins][:3] == [
        (5, 5, "private"),
        (7, 5, "private"),
        (8, 5, "private"),
    ]
    for bad in ("rad", "rad=11", "=3", "good=x"):
        with pytest.raises(ValidationError, match="name=value"):
            daylio.parse_mapping(bad)


@pytest.mark.parametrize(
    "text",
    [
        "date,mood\n2026-01-01,good\n",
        "full_date,date,weekday,time,mood,activities,note_title,note\n",
        "full_date,date,weekday,time,mood,activities,note_title,note\nyesterday,,,20:00,good,,,\n",
        "full_date,date,weekday,time,mood,activities,note_title,note\n2026-01-01,,,late,good,,,\n",
    ],
)
def test_a_file_that_is_not_a_daylio_export_is_refused(text: str) -> None:
    with pytest.raises(ValidationError, match=r"Daylio|Line 2"):
        daylio.read_daylio(text)


def test_the_same_daylio_file_imported_twice_gives_one_set(wb: workbook.Workbook) -> None:
    wb.set_passphrase("a", "sam private words")
    entries = daylio.read_daylio(DAYLIO_CSV, "Europe/Madrid")
    mapping = daylio.default_mapping(["meh", "good", "awful"]) | {"Sunny": 8}
    checkins = daylio.to_checkins(entries, mapping, "a")
    assert wb.add_new_checkins(checkins) == 4
    assert wb.add_new_checkins(checkins) == 0, "nothing written twice"
    again = daylio.to_checkins(entries, mapping | {"Sunny": 2}, "a")  # a changed mapping too
    assert wb.add_new_checkins(again) == 0
    mine = wb.checkins(viewer="a")
    assert len(mine) == 4
    assert {c.visibility for c in mine} == {"private"}
    assert "Argument: It hurt." in [c.note for c in mine]
    assert wb.checkins(viewer="b") == [], "Alex sees none of Sam's diary"
    assert "hurt" not in wb.export_json()
    # The other partner's check-ins at the same moments are theirs, not duplicates.
    shared = daylio.to_checkins(entries, mapping, "b", visibility="shared")
    assert wb.add_new_checkins(shared) == 4


def test_cli_import_daylio(
    wb: workbook.Workbook, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    csv_file = tmp_path / "daylio_export.csv"
    csv_file.write_text(DAYLIO_CSV, encoding="utf-8")
    base = ["--data-dir", str(data_dir), "import-daylio", str(csv_file), "--into", "sam-and-alex"]
    base += ["--partner", "a", "--tz", "Europe/Madrid"]
    assert cli.main(base) == 2, "'Sunny' has no mood yet"
    assert cli.main([*base, "--map", "Sunny=8"]) == 2, "private needs a passphrase first"
    assert wb.checkins() == []
    wb.set_passphrase("a", "sam private words")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "sam private words")
    assert cli.main([*base, "--map", "Sunny=8,good=6"]) == 0
    assert cli.main([*base, "--map", "Sunny=8,good=6"]) == 0
    wb.unlock("a", "sam private words")
    assert sorted(c.mood for c in wb.checkins(viewer="a")) == [1, 5, 6, 8]
    shared = [*base, "--map", "Sunny=8", "--shared", "--partner", "b", "--trust", "6"]
    assert cli.main(shared) == 0
    assert {(c.trust, c.visibility) for c in wb.checkins("b")} == {(6, "shared")}
    assert len(wb.checkins("b")) == 4


def test_the_same_moment_in_another_zone_is_not_written_again(wb: workbook.Workbook) -> None:
    at = datetime(2026, 12, 1, 20, 15, tzinfo=ZoneInfo("Europe/Madrid"))
    first = workbook.CheckIn(author="a", mood=5, trust=5, at=at)
    assert wb.add_new_checkins([first]) == 1
    moved = workbook.CheckIn(author="a", mood=5, trust=5, at=at.astimezone(ZoneInfo("UTC")))
    assert wb.add_new_checkins([moved]) == 0


def test_a_partners_backup_with_answers_restores_and_keeps_what_they_saw(
    wb: workbook.Workbook, tmp_path: Path
) -> None:
    """Answers under a revealed step-3 answer and under an entry made private later: the
    page's backup still restores (an answer whose entry is left out goes with it)."""
    wb.add_reflection("a", 3, "perspective-feel", "Sam feels unheard", visibility="paired")
    wb.add_reflection("b", 3, "perspective-feel", "Alex feels alone", visibility="paired")
    [revealed] = [r for r in wb.reflections(3, "perspective-feel", viewer="a") if r.author == "b"]
    shared = wb.add_reflection("b", 1, "i-statement", "I feel tired", visibility="shared")
    assert revealed.id is not None
    assert shared.id is not None
    wb.add_reply("a", "reflections", revealed.id, "I hear you")
    wb.add_reply("a", "reflections", shared.id, "Thank you")
    wb.set_passphrase("b", "alex private words")
    wb.edit_reflection(shared.id, author="b", text="I feel tired", visibility="private")
    wb.lock("b")

    copy = workbook.restore_backup(wb.backup(viewer="a"), data_dir=tmp_path / "elsewhere")
    texts = {r.text for r in copy.reflections(viewer="a")}
    assert {"Sam feels unheard", "Alex feels alone"} <= texts, "the revealed pair is kept"
    assert [r.text for r in copy.replies(viewer="a")] == ["I hear you"]
    copy.close()


@pytest.mark.parametrize("command", ["restore", "import-daylio"])
def test_cli_says_why_a_file_cannot_be_read_and_changes_nothing(
    wb: workbook.Workbook,
    data_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    command: str,
) -> None:
    missing = tmp_path / "not-here.file"
    args = ["--data-dir", str(data_dir), command, str(missing)]
    args += ["--as", "x"] if command == "restore" else ["--into", "sam-and-alex", "--partner", "a"]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert f"workbook: cannot read {missing}: No such file or directory" in err
    assert "Traceback" not in err
    assert workbook.list_names(data_dir) == ["sam-and-alex"]
    assert wb.checkins() == []
