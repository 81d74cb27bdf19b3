"""Relative dates in source text, resolved against the report's publication date."""

from __future__ import annotations

from datetime import date

import pytest

from assistant.time.relative_dates import EXPRESSION, resolve


def resolved(text: str, published: date, *, future: bool = False) -> date | None:
    match = EXPRESSION.search(text)
    assert match is not None, text
    return resolve(match, published, future).date


@pytest.mark.parametrize(
    ("text", "published", "day"),
    [
        # a month and day without a year: the occurrence nearest the report
        ("The tariff takes effect on January 1.", date(2026, 11, 30), date(2027, 1, 1)),
        ("Talks resumed on December 30.", date(2026, 1, 5), date(2025, 12, 30)),
        ("The truce starts on March 3.", date(2026, 2, 17), date(2026, 3, 3)),
        ("The quota was set on July 4.", date(2026, 1, 20), date(2026, 7, 4)),
    ],
)
def test_a_day_of_the_month_is_the_nearest_one(text: str, published: date, day: date) -> None:
    assert resolved(text, published) == day


def test_weekdays_follow_the_tense_they_are_given() -> None:
    monday = date(2026, 1, 26)
    assert resolved("He backed it on Tuesday.", monday) == date(2026, 1, 20)
    assert resolved("He will back it on Tuesday.", monday, future=True) == date(2026, 1, 27)


@pytest.mark.parametrize(
    ("text", "published"),
    [
        ("Yesterday the board met.", date.min),
        ("The board meets next week.", date.max),
        ("The board met last Monday.", date.min),
        ("The board meets on December 31.", date(1, 1, 1)),  # would be year 0
        ("The vote is on February 30.", date(2026, 2, 1)),
    ],
)
def test_a_date_off_the_calendar_is_shown_as_written(text: str, published: date) -> None:
    match = EXPRESSION.search(text)
    assert match is not None
    event = resolve(match, published, future="next" in text)
    assert event.date is None and not event.resolved and event.label == match.group().strip()
