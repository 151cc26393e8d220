"""Issue 22, items 1 and 2: the question of the day, and answering each other (store and domain)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

import workbook
from workbook import daily, store
from workbook.domain import MAX_REPLY, Reply, ValidationError
from workbook.store import StaleEntry


def test_at_least_sixty_questions_each_once_and_short() -> None:
    keys = [k for k, _ in daily.QUESTIONS]
    texts = [t for _, t in daily.QUESTIONS]
    assert len(keys) >= 60
    assert len(set(keys)) == len(keys)
    assert len(set(texts)) == len(texts)
    assert all(t.endswith(("?", ".")) and len(t) <= 90 for t in texts)
    # Warm, not blaming: no "you always" / "you never" / "why did you".
    assert not [t for t in texts if any(b in t.lower() for b in ("always", "never", "why did"))]


@pytest.mark.parametrize("seed", ["2026-01-01T10:00:00+00:00", "sam-and-alex", "x"])
def test_no_question_repeats_within_two_months(seed: str) -> None:
    start = date(2026, 12, 1)
    keys = [daily.question_for(seed, start + timedelta(days=i)).key for i in range(400)]
    for i in range(len(keys) - 61):
        window = keys[i : i + 62]  # any 62 consecutive days: more than two months
        assert len(set(window)) == 62, (seed, i)
    # Each workbook its own order, the same every time.
    assert keys == [daily.question_for(seed, start + timedelta(days=i)).key for i in range(400)]


def test_workbooks_get_different_orders() -> None:
    assert daily.order_for("one") != daily.order_for("two")


def test_a_prompt_names_its_day_and_question() -> None:
    q = daily.question_for("seed", date(2026, 12, 5))
    assert daily.from_prompt(q.prompt) == q
    assert daily.from_prompt("i-statement") is None
    assert daily.from_prompt("daily:not-a-day:grateful") is None
    assert daily.from_prompt("daily:2026-12-05:no-such-question") is None


def test_daily_answers_are_revealed_only_when_both_answered(wb: workbook.Workbook) -> None:
    q = wb.question_of_the_day()
    assert q == wb.question_of_the_day(date.today())
    wb.add_reflection("a", daily.DAILY_STEP, q.prompt, "Sam's answer", visibility="paired")
    assert [r.text for r in wb.reflections(0, q.prompt, viewer="a")] == ["Sam's answer"]
    assert wb.reflections(0, q.prompt, viewer="b") == []
    assert wb.reflections(0, q.prompt, viewer=None) == []
    assert wb.daily_answers(viewer="b") == []
    assert wb.paired_status(0, q.prompt) == {"a"}
    wb.add_reflection("b", daily.DAILY_STEP, q.prompt, "Alex's answer", visibility="paired")
    [(question, answers)] = wb.daily_answers(viewer="b")
    assert question == q
    assert sorted(r.text for r in answers) == ["Alex's answer", "Sam's answer"]


def test_daily_answers_need_the_partners_secret(wb: workbook.Workbook) -> None:
    wb.set_passphrase("a", "sam's long passphrase")
    wb.lock("a")
    q = wb.question_of_the_day()
    with pytest.raises(workbook.privacy.Locked):
        wb.add_reflection("a", 0, q.prompt, "as Sam", visibility="paired")
    assert wb.paired_status(0, q.prompt) == set()


def _statement(wb: workbook.Workbook, who: str = "a", **kw: object) -> int:
    r = wb.add_reflection(who, 1, "i-statement", "I feel tired when plans change", **kw)  # type: ignore[arg-type]
    assert r.id is not None
    return r.id


def test_a_partner_answers_a_shared_entry_and_corrects_or_deletes_it(
    wb: workbook.Workbook,
) -> None:
    entry = _statement(wb)
    reply = wb.add_reply("b", "reflections", entry, "I hear you")
    assert [(r.author, r.text) for r in wb.replies(viewer="a")] == [("b", "I hear you")]
    assert wb.replies(viewer=None) == wb.replies(viewer="b") == wb.replies(viewer="a")
    assert reply.id is not None
    # Only its author changes it.
    with pytest.raises(ValidationError):
        wb.edit_reply(reply.id, author="a", text="changed by Sam")
    with pytest.raises(ValidationError):
        wb.delete_reply(reply.id, author="a")
    changed = wb.edit_reply(reply.id, author="b", text="That makes sense", version=reply.version)
    assert changed.version == 2
    assert [r.text for r in wb.replies(viewer="a")] == ["That makes sense"]
    with pytest.raises(StaleEntry):  # an older view's change is refused
        wb.edit_reply(reply.id, author="b", text="old view", version=1)
    wb.delete_reply(reply.id, author="b", version=2)
    assert wb.replies(viewer="a") == []


@pytest.mark.parametrize(
    ("text", "words"),
    [("", "Your answer"), ("   ", "Your answer"), ("x" * (MAX_REPLY + 1), "too long")],
)
def test_a_bad_answer_is_refused_and_changes_nothing(
    wb: workbook.Workbook, text: str, words: str
) -> None:
    entry = _statement(wb)
    with pytest.raises(ValidationError, match=words):
        wb.add_reply("b", "reflections", entry, text)
    assert wb.replies(viewer="b") == []


def test_nothing_answers_private_text_ones_own_or_an_unrevealed_answer(
    wb: workbook.Workbook,
) -> None:
    wb.set_passphrase("a", "sam's long passphrase")
    private = _statement(wb, visibility="private")
    own = _statement(wb)
    q = wb.question_of_the_day()
    paired = wb.add_reflection("a", 0, q.prompt, "Sam's answer", visibility="paired").id
    assert paired is not None
    for who, table, entry_id, message in [
        ("b", "reflections", private, "cannot be answered"),
        ("a", "reflections", own, "not your own"),
        ("b", "reflections", paired, "cannot be answered"),  # Alex has not answered yet
        ("b", "reflections", 999, "cannot be answered"),
        ("b", "promises", 999, "cannot be answered"),
    ]:
        with pytest.raises(ValidationError, match=message):
            wb.add_reply(who, table, entry_id, "I hear you")
    with pytest.raises(ValidationError):
        Reply(author="b", entry_table="checkins", entry_id=1, text="hi")
    assert wb._con.execute("SELECT COUNT(*) FROM replies").fetchone()[0] == 0
    wb.add_reflection("b", 0, q.prompt, "Alex's answer", visibility="paired")
    wb.add_reply("b", "reflections", paired, "Thank you")  # revealed now
    with pytest.raises(ValidationError, match="already"):
        wb.add_reply("b", "reflections", paired, "Thank you again")


def test_step_8_is_never_answered(wb: workbook.Workbook) -> None:
    # Nothing on step 8 is stored; a hand-made row still cannot be answered.
    with wb._write() as con:
        con.execute(
            "INSERT INTO reflections (author, step, prompt, text, visibility, at)"
            " VALUES ('a', 8, 'safety', 'x', 'shared', '2026-01-01T00:00:00+00:00')"
        )
    step8 = wb._con.execute("SELECT id FROM reflections WHERE step = 8").fetchone()[0]
    assert ("reflections", step8) not in wb.answerable("b")
    with pytest.raises(ValidationError, match="cannot be answered"):
        wb.add_reply("b", "reflections", step8, "I hear you")


def test_answers_follow_their_entry_private_then_deleted(wb: workbook.Workbook) -> None:
    wb.set_passphrase("a", "sam's long passphrase")
    entry = _statement(wb)
    promise = wb.add_promise("a", "text you when I am late")
    wb.add_reply("b", "reflections", entry, "I hear you")
    assert promise.id is not None
    wb.add_reply("b", "promises", promise.id, "Thank you")
    # Sam makes the entry private: its answer is out of view for everyone.
    wb.edit_reflection(entry, author="a", text="I feel tired", visibility="private")
    assert [r.entry_table for r in wb.replies(viewer="a")] == ["promises"]
    assert [r.entry_table for r in wb.replies(viewer="b")] == ["promises"]
    # Deleting an entry deletes its answers from the file.
    wb.delete_promise(promise.id, author="a")
    assert (
        wb._con.execute("SELECT COUNT(*) FROM replies WHERE entry_table = 'promises'").fetchone()[0]
        == 0
    )


def test_news_since_the_last_visit(wb: workbook.Workbook) -> None:
    assert wb.record_visit("a") is None  # a first visit: nothing is "new"
    visit = wb.last_visit("a")
    assert visit is not None
    entry = _statement(wb)
    wb.add_reply("b", "reflections", entry, "I hear you")
    [news] = wb.news("a", visit)
    assert (news.author, news.text) == ("b", "I hear you")
    assert wb.news("b", wb.last_visit("b")) == []  # Alex's own answer is not news to Alex
    q = wb.question_of_the_day()
    assert not wb.answered_since("b", q.prompt, visit)
    wb.add_reflection("b", 0, q.prompt, "Alex's answer", visibility="paired")
    assert wb.answered_since("b", q.prompt, visit)
    before = wb.record_visit("a")
    assert before == visit
    assert wb.news("a", wb.last_visit("a")) == []


def test_answers_travel_in_the_export(wb: workbook.Workbook, data_dir: Path) -> None:
    entry = _statement(wb)
    wb.add_reply("b", "reflections", entry, "I hear you")
    doc = json.loads(wb.export_json())
    assert [r["text"] for r in doc["replies"]] == ["I hear you"]
    assert "visits" not in doc
    copy = workbook.import_json(wb.export_json(), "copy", data_dir=data_dir)
    assert [(r.author, r.text, r.entry_id) for r in copy.replies(viewer="a")] == [
        ("b", "I hear you", entry)
    ]
    assert [r["text"] for r in copy.records(viewer="a")["replies"]] == ["I hear you"]
    copy.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"author": "a"}, "answers its own author"),
        ({"entry_id": 99}, "not there"),
        ({"entry_table": "checkins"}, "could not be imported"),
        ({"text": ""}, "Your answer"),
        ({"surprise": 1}, "unknown column"),
    ],
)
def test_a_bad_answer_in_an_export_is_refused_and_nothing_is_written(
    wb: workbook.Workbook, data_dir: Path, change: dict[str, object], message: str
) -> None:
    entry = _statement(wb)
    wb.add_reply("b", "reflections", entry, "I hear you")
    doc = json.loads(wb.export_json())
    doc["replies"][0].update(change)
    with pytest.raises(ValidationError, match=message):
        workbook.import_json(json.dumps(doc), "copy", data_dir=data_dir)
    assert not list(data_dir.glob("copy*"))


def test_an_answer_under_an_entry_made_private_later_survives_export_and_import(
    wb: workbook.Workbook, data_dir: Path
) -> None:
    entry = _statement(wb)
    wb.add_reply("b", "reflections", entry, "I hear you")
    wb.set_passphrase("a", "sam's long passphrase")
    wb.edit_reflection(entry, author="a", text="I feel tired", visibility="private")
    copy = workbook.import_json(wb.export_json(), "copy", data_dir=data_dir)
    assert copy.replies(viewer="b") == []  # still out of view, as in the original
    rows = copy._con.execute("SELECT author, text FROM replies").fetchall()
    assert [tuple(r) for r in rows] == [("b", "I hear you")]
    copy.close()


def test_an_answer_under_step_8_in_an_export_is_refused(
    wb: workbook.Workbook, data_dir: Path
) -> None:
    entry = _statement(wb)
    wb.add_reply("b", "reflections", entry, "I hear you")
    doc = json.loads(wb.export_json())
    doc["reflections"][0]["step"] = 8
    with pytest.raises(ValidationError):
        workbook.import_json(json.dumps(doc), "copy", data_dir=data_dir)
    assert not list(data_dir.glob("copy*"))


def test_a_version_4_file_gains_answers_and_visits(old_file: Callable[..., Path]) -> None:
    path = old_file(
        4,
        "INSERT INTO reflections (author, step, prompt, text, visibility, at)"
        " VALUES ('a', 7, 'appreciation', 'Thank you for dinner', 'shared',"
        " '2026-01-01T10:00:00+00:00')",
    )
    opened = workbook.open(path)
    assert opened.backup_path is not None
    [r] = opened.reflections()
    assert r.id is not None
    opened.add_reply("b", "reflections", r.id, "Thank you")
    assert opened.record_visit("a") is None
    assert opened._con.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    opened.close()
