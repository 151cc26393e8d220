"""Validation of the domain objects: bad input gets a message a person understands."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from workbook import domain


def test_checkin_accepts_the_full_range() -> None:
    low = domain.CheckIn(author="a", mood=1, trust=1)
    high = domain.CheckIn(author="b", mood=10, trust=10, note="  fine  ")
    assert (low.mood, low.trust, high.mood, high.trust) == (1, 1, 10, 10)
    assert high.note == "fine"
    assert high.at.tzinfo is UTC


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"trust": 11}, "Trust must be a whole number from 1 to 10, got 11."),
        ({"trust": 0}, "Trust must be a whole number from 1 to 10, got 0."),
        ({"mood": 5.5}, "Mood must be a whole number from 1 to 10, got 5.5."),
        ({"mood": "7"}, "Mood must be a whole number from 1 to 10, got '7'."),
        ({"mood": True}, "Mood must be a whole number from 1 to 10, got True."),
        ({"author": "c"}, "Who is writing must be partner 'a' or 'b', got 'c'."),
        ({"visibility": "public"}, "Visibility must be one of"),
        ({"note": "x" * (domain.MAX_TEXT + 1)}, "The note is too long: 20,001 characters"),
        ({"note": "a\x00b"}, "cannot be saved (NUL)"),
    ],
)
def test_checkin_rejects_bad_input_with_a_clear_message(kwargs: dict, message: str) -> None:
    args = {"author": "a", "mood": 5, "trust": 5, **kwargs}
    with pytest.raises(domain.ValidationError) as info:
        domain.CheckIn(**args)
    assert message in str(info.value)


def test_whole_float_is_accepted_as_int() -> None:
    assert domain.CheckIn(author="a", mood=7.0, trust=3).mood == 7  # type: ignore[arg-type]


def test_naive_time_is_taken_as_local_time() -> None:
    naive = datetime(2026, 3, 1, 20, 0)
    c = domain.CheckIn(author="a", mood=5, trust=5, at=naive)
    assert c.at == naive.astimezone().astimezone(UTC)
    assert c.day == date(2026, 3, 1)


def test_partner_names() -> None:
    assert domain.Partner(id="a", name="  Sam ").name == "Sam"
    with pytest.raises(domain.ValidationError, match="name is empty"):
        domain.Partner(id="a", name="   ")
    with pytest.raises(domain.ValidationError, match="cannot contain"):
        domain.Partner(id="b", name="<b>Alex</b>")
    with pytest.raises(domain.ValidationError, match="too long"):
        domain.Partner(id="b", name="A" * 41)


def test_reflection_requires_text_and_a_real_step() -> None:
    with pytest.raises(domain.ValidationError, match="Your answer is empty"):
        domain.Reflection(author="a", step=1, prompt="i-statement", text="  ")
    with pytest.raises(
        domain.ValidationError, match="Step must be a whole number from 0 to 8, got 9"
    ):
        domain.Reflection(author="a", step=9, prompt="x", text="y")


def test_promise_dates_must_make_sense() -> None:
    made = date(2026, 5, 1)
    with pytest.raises(domain.ValidationError, match="due date cannot be before"):
        domain.Promise(author="a", text="Call", made=made, due=made - timedelta(days=1))
    with pytest.raises(domain.ValidationError, match="Say on which day the promise was kept"):
        domain.Promise(author="a", text="Call", made=made, status="kept")
    with pytest.raises(domain.ValidationError, match="cannot be broken before the day it was made"):
        domain.Promise(
            author="a", text="Call", made=made, status="broken", resolved=made - timedelta(days=2)
        )
    with pytest.raises(domain.ValidationError, match="open, kept or broken"):
        domain.Promise(author="a", text="Call", made=made, status="maybe")  # type: ignore[arg-type]
    ok = domain.Promise(author="b", text="Call", made=made, status="kept", resolved=made)
    assert ok.status == "kept"


def test_csi4_ranges_and_scoring() -> None:
    a = domain.CSI4Answer(author="a", items=(6, 5, 5, 5), day=date(2026, 1, 1))
    assert a.total == 21
    assert not a.distressed
    b = domain.CSI4Answer(author="b", items=(3, 3, 3, 4), day=date(2026, 1, 1))
    assert b.total == 13
    assert b.distressed  # 13 < 13.5
    with pytest.raises(
        domain.ValidationError, match="Answer 2 must be a whole number from 0 to 5, got 6"
    ):
        domain.CSI4Answer(author="a", items=(1, 6, 1, 1), day=date(2026, 1, 1))
    with pytest.raises(domain.ValidationError, match="four questions, got 3"):
        domain.CSI4Answer(author="a", items=(1, 1, 1), day=date(2026, 1, 1))  # type: ignore[arg-type]


def test_selfcare_and_progress_validation() -> None:
    with pytest.raises(domain.ValidationError, match="Self-care is one of"):
        domain.SelfCare(author="a", day=date(2026, 1, 1), kind="shopping", minutes=10)
    with pytest.raises(
        domain.ValidationError, match="Minutes must be a whole number from 0 to 1440"
    ):
        domain.SelfCare(author="a", day=date(2026, 1, 1), kind="rest", minutes=-5)
    with pytest.raises(domain.ValidationError, match="How it went is too long"):
        domain.StepProgress(author="a", step=1, done=True, how_it_went="x" * 501)


def test_reveal_when_both_answered() -> None:
    first = domain.Reflection(
        author="a", step=3, prompt="perspective", text="A", visibility="paired"
    )
    assert domain.reveal_when_both_answered([first], "perspective") is None
    second = domain.Reflection(
        author="b", step=3, prompt="perspective", text="B", visibility="paired"
    )
    both = domain.reveal_when_both_answered([first, second], "perspective")
    assert both is not None
    assert (both["a"].text, both["b"].text) == ("A", "B")
    assert domain.reveal_when_both_answered([first, second], "other") is None
